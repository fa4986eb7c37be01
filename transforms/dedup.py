"""DropDuplicates: article rows -> one row per article and per text; copies are counted."""
from __future__ import annotations

import apache_beam as beam

from newsbeam.core.dedup import keep_best

from .names import METRICS


class KeepBestFn(beam.DoFn):
    def __init__(self, kind: str):
        self.duplicates = beam.metrics.Metrics.counter(METRICS, "duplicates")
        self.by_kind = beam.metrics.Metrics.counter(METRICS, f"duplicates.{kind}")

    def process(self, keyed):
        _, copies = keyed
        kept, dropped = keep_best(copies)
        self.duplicates.inc(dropped)
        self.by_kind.inc(dropped)
        yield kept


class DropDuplicates(beam.PTransform):
    """Article rows -> the same rows without repeats of an article id (same URL or input
    id) or of a text (same content hash)."""

    def expand(self, articles):
        return (articles
                | "KeyById" >> beam.Map(lambda a: (a["article_id"], a))
                | "GroupById" >> beam.GroupByKey()
                | "KeepOnePerId" >> beam.ParDo(KeepBestFn("same_id"))
                | "KeyByText" >> beam.Map(lambda a: (a["content_hash"], a))
                | "GroupByText" >> beam.GroupByKey()
                | "KeepOnePerText" >> beam.ParDo(KeepBestFn("same_text")))
