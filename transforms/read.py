"""ReadInputs: files and URLs -> raw items, plus a reject row for everything unreadable."""
from __future__ import annotations

import io

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.core.sources import warc
from newsbeam.core.sources.compression import SourceStream
from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.core.sources.readers import InputFile, format_of, read_stream
from newsbeam.core.records import RawItem, Rejected, reject_row, utcnow
from newsbeam.core.urls import is_web_url

from .names import METRICS, REJECTS

class ReadSourceFn(beam.DoFn):
    """Reads one file (any Beam filesystem) or URL record by record and parses what it
    holds; ``max_record_bytes`` caps each record (a JSONL line, a feed entry, a WARC
    record, a page), not the file."""

    def __init__(self, max_record_bytes: int, fetch: FetchSettings):
        self.max_record_bytes = max_record_bytes
        self.fetch = fetch
        self.items_read = beam.metrics.Metrics.counter(METRICS, "items_read")
        self.bytes_read = beam.metrics.Metrics.counter(METRICS, "bytes_read")
        self.skipped = {}

    def setup(self):
        self.fetcher = Fetcher(self.fetch)

    def process(self, source: InputFile):
        listed = []
        yield from self._read(source, listed)
        # The feeds an OPML file lists are read here rather than in a stage of their own:
        # its items would have to be flattened with these, and the local runners hold
        # all of a Flatten's input in memory (every body of the run at once).
        for feed in listed:
            nested = []
            yield from self._read(feed, nested)
            for inner in nested:
                self.items_read.inc()
                yield beam.pvalue.TaggedOutput(REJECTS, reject_row(
                    inner.path, "read", "nested_opml",
                    "an OPML file listed inside an OPML file is not followed", utcnow()))

    def _read(self, source: InputFile, listed: list):
        """The items and reject rows of one file or URL; the feeds it lists go to listed."""
        ingested_at = utcnow()
        fmt = source.format or format_of(source.path)
        try:
            handle, charset = self._open(source.path, fmt)
        except Rejected as err:
            self.items_read.inc()
            yield beam.pvalue.TaggedOutput(REJECTS, reject_row(
                source.path, "read", err.reason, err.detail, ingested_at))
            return
        with handle:
            stream = SourceStream(handle)
            for output in read_stream(source.path, stream, ingested_at, fmt,
                                      self.max_record_bytes, charset):
                if isinstance(output, warc.Skipped):
                    self._count_skipped(output.reason)
                elif isinstance(output, InputFile):
                    listed.append(output)
                else:
                    self.items_read.inc()
                    yield output if isinstance(output, RawItem) else \
                        beam.pvalue.TaggedOutput(REJECTS, output)
        self.bytes_read.inc(stream.bytes_read)

    def _open(self, path: str, fmt):
        """A binary stream of the bytes as stored (compression is undone by the reader)
        and any charset the server declared; raises Rejected."""
        if is_web_url(path):
            response = self.fetcher.get(path, accept="feed" if fmt in ("feed", "opml")
                                        else "any")
            return io.BytesIO(response.body), response.charset
        try:
            return FileSystems.open(path,
                                    compression_type=CompressionTypes.UNCOMPRESSED), None
        except Exception as err:  # vanished, unreadable, permission denied
            raise Rejected("read_error", f"{type(err).__name__}: {err}") from None

    def _count_skipped(self, reason: str) -> None:
        if reason not in self.skipped:
            self.skipped[reason] = beam.metrics.Metrics.counter(METRICS,
                                                                f"warc_skipped.{reason}")
        self.skipped[reason].inc()


class ReadInputs(beam.PTransform):
    """Pipeline begin -> RawItems (``items``) and reject rows (``rejects``) of the inputs
    (InputFiles: paths or URLs), once.

    Feeds listed in OPML files are read too. Contents are read where they are
    processed: only references travel to the workers, and items go on to the next
    stages as they are read, without a shuffle or a Flatten of their bodies (the
    local runners would hold every body of the run in memory at once).
    ``max_record_bytes`` caps each record of a file, not the file.
    """

    def __init__(self, inputs: list, max_record_bytes: int, fetch: FetchSettings):
        super().__init__()
        self.inputs = inputs
        self.max_record_bytes = max_record_bytes
        self.fetch = fetch

    def expand(self, pbegin):
        read = (pbegin
                | "Inputs" >> beam.Create(self.inputs)
                | "SpreadSources" >> beam.Reshuffle()
                | "ReadSources" >> beam.ParDo(ReadSourceFn(self.max_record_bytes, self.fetch)
                                              ).with_outputs(REJECTS, main="items"))
        return {"items": read.items, "rejects": read[REJECTS]}
