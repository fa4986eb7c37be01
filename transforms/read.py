"""ReadInputs: files and URLs -> raw items, plus a reject row for everything unreadable."""
from __future__ import annotations

import apache_beam as beam

from newsbeam.core.records import SKIPPED
from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.core.sources.readers import InputFile, SourceReader

from . import metrics
from .rejects import REJECTS, item_or_reject


class ReadSourceFn(beam.DoFn):
    """Reads one file (any Beam filesystem) or URL record by record, and the feeds an OPML
    list names; ``max_record_bytes`` caps each record (a JSONL line, a feed entry, a WARC
    record, a page), not the file."""

    def __init__(self, max_record_bytes: int, fetch: FetchSettings):
        self.max_record_bytes = max_record_bytes
        self.fetch = fetch
        self.items_read = metrics.counter(metrics.ITEMS_READ)
        self.bytes_read = metrics.counter("bytes_read")
        self.skipped = metrics.CounterFamily(metrics.WARC_SKIPPED)

    def setup(self):
        self.reader = SourceReader(Fetcher(self.fetch), self.max_record_bytes)

    def process(self, source: InputFile):
        # The feeds an OPML file lists are read here rather than in a stage of their own:
        # its items would have to be flattened with these, and the local runners hold
        # all of a Flatten's input in memory (every body of the run at once).
        read_before = self.reader.bytes_read
        for found in self.reader.read(source):
            if found.kind == SKIPPED:
                self.skipped.inc(found.value)
                continue
            self.items_read.inc()
            yield item_or_reject(found)
        self.bytes_read.inc(self.reader.bytes_read - read_before)


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
