"""DropDuplicates: article rows -> one row per article and per text; copies are counted."""
from __future__ import annotations

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.core import partitions
from newsbeam.core.dedup import keep_best
from newsbeam.schemas import ARTICLES

from .names import METRICS

_KEYS = ["article_id", "content_hash"]


class KeepBestFn(beam.DoFn):
    def __init__(self, kind: str):
        self.duplicates = beam.metrics.Metrics.counter(METRICS, "duplicates")
        self.by_kind = beam.metrics.Metrics.counter(METRICS, f"duplicates.{kind}")
        self.seen_before = beam.metrics.Metrics.counter(METRICS, "duplicates.seen_before")

    def process(self, grouped):
        _, groups = grouped
        copies = list(groups["new"])
        if not copies:
            return
        if groups["seen"]:  # an earlier run wrote this article already
            self.duplicates.inc(len(copies))
            self.seen_before.inc(len(copies))
            return
        kept, dropped = keep_best(copies)
        self.duplicates.inc(dropped)
        self.by_kind.inc(dropped)
        yield kept


class DropDuplicates(beam.PTransform):
    """Article rows -> the same rows without repeats of an article id (same URL or input
    id) or of a text (same content hash), nor of any article in ``seen``: the
    (article_id, content_hash) pairs earlier runs wrote."""

    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def expand(self, articles):
        for step, column, kind in (("Id", "article_id", "same_id"),
                                   ("Text", "content_hash", "same_text")):
            index = _KEYS.index(column)
            articles = (
                {"new": articles | f"KeyBy{step}" >> beam.Map(lambda a, c=column: (a[c], a)),
                 "seen": self.seen | f"Seen{step}" >> beam.Map(lambda k, i=index: (k[i], 1))}
                | f"GroupBy{step}" >> beam.CoGroupByKey()
                | f"KeepOnePer{step}" >> beam.ParDo(KeepBestFn(kind)))
        return articles


def _earlier_files(pattern: str, run_id: str) -> list[str]:
    """Article files of other runs (this run's own files are being replaced)."""
    try:
        found = FileSystems.match([pattern])
    except Exception:  # nothing written yet: some filesystems raise on no match
        return []
    return [m.path for r in found for m in r.metadata_list
            if partitions.run_of(m.path) not in (None, run_id)]


def _keys(path: str):
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        table = pq.read_table(handle, columns=_KEYS)
    yield from zip(*(table.column(c).to_pylist() for c in _KEYS))


class ReadSeenArticles(beam.PTransform):
    """Pipeline begin -> (article_id, content_hash) of the articles earlier runs wrote to
    ``output``, so that scheduled runs into one folder write each article once."""

    def __init__(self, output: str, run_id: str):
        super().__init__()
        self.pattern = f"{output.rstrip('/')}/{ARTICLES.name}/*/*/*.parquet"
        self.run_id = run_id

    def expand(self, pbegin):
        return (pbegin
                | "Pattern" >> beam.Create([self.pattern])
                | "ListFiles" >> beam.FlatMap(_earlier_files, self.run_id)
                | "SpreadFiles" >> beam.Reshuffle()
                | "ReadKeys" >> beam.FlatMap(_keys))
