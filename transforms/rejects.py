"""CollectRejects: the reject outputs of every stage -> one PCollection, counted by reason."""
from __future__ import annotations

import apache_beam as beam

from .names import METRICS


class CountRejectFn(beam.DoFn):
    def __init__(self):
        self.rejects = beam.metrics.Metrics.counter(METRICS, "rejects")
        self.by_reason = {}

    def process(self, row):
        self.rejects.inc()
        reason = row["reason"]
        if reason not in self.by_reason:
            self.by_reason[reason] = beam.metrics.Metrics.counter(METRICS, f"reject.{reason}")
        self.by_reason[reason].inc()
        yield row


class CollectRejects(beam.PTransform):
    """Reject PCollections of all stages -> one PCollection of reject rows."""

    def expand(self, reject_pcollections):
        return (reject_pcollections
                | "Flatten" >> beam.Flatten()
                | "Count" >> beam.ParDo(CountRejectFn()))
