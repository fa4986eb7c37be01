"""ReadInputs: input files -> raw items, plus a reject row for every unreadable one."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.core.readers import InputFile, read_document
from newsbeam.core.records import RawItem, reject_row, utcnow

from .names import METRICS, REJECTS


class ReadFileFn(beam.DoFn):
    """Opens one input file (any Beam filesystem, .gz/.bz2 undone) and parses it."""

    def __init__(self, max_file_bytes: int):
        self.max_file_bytes = max_file_bytes
        self.items_read = beam.metrics.Metrics.counter(METRICS, "items_read")
        self.bytes_read = beam.metrics.Metrics.counter(METRICS, "bytes_read")

    def process(self, source: InputFile):
        ingested_at = utcnow()
        try:
            # Stored bytes: read_document undoes compression itself, strictly.
            with FileSystems.open(source.path,
                                  compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                data = handle.read(self.max_file_bytes + 1)
        except Exception as err:  # vanished, unreadable, permission denied
            yield self._rejected(source.path, "read_error", f"{type(err).__name__}: {err}",
                                 ingested_at)
            return
        self.bytes_read.inc(len(data))
        if len(data) > self.max_file_bytes:
            yield self._rejected(source.path, "too_large",
                                 f"larger than {self.max_file_bytes:,} bytes", ingested_at)
            return
        try:
            outputs = list(read_document(source.path, data, ingested_at, source.format,
                                         self.max_file_bytes))
        except Exception as err:  # a parser bug must not stop the run
            outputs = [reject_row(source.path, "parse", "parse_error",
                                  f"{type(err).__name__}: {err}", ingested_at)]
        for output in outputs:
            self.items_read.inc()
            if isinstance(output, RawItem):
                yield output
            else:
                yield beam.pvalue.TaggedOutput(REJECTS, output)

    def _rejected(self, path, reason, detail, ingested_at):
        self.items_read.inc()
        return beam.pvalue.TaggedOutput(REJECTS, reject_row(path, "read", reason, detail,
                                                            ingested_at))


class ReadInputs(beam.PTransform):
    """InputFiles -> RawItems (``items``) and reject rows (``rejects``)."""

    def __init__(self, max_file_bytes: int):
        super().__init__()
        self.max_file_bytes = max_file_bytes

    def expand(self, files):
        return (files
                # Spread file references over workers before reading: contents
                # are read where they are processed, never shipped through Create.
                | "SpreadFiles" >> beam.Reshuffle()
                | "ReadFiles" >> beam.ParDo(ReadFileFn(self.max_file_bytes))
                .with_outputs(REJECTS, main="items"))
