"""CodeEvents: annotated articles -> event rows."""
from __future__ import annotations

import logging

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core import nlp
from newsbeam.core.events import EventCoder

from .names import METRICS

_LOG = logging.getLogger(__name__)


class CodeEventsFn(beam.DoFn):
    def __init__(self, model: str, shared: Shared):
        self.model = model
        self.shared = shared
        self.events = beam.metrics.Metrics.counter(METRICS, "events")
        self.failures = beam.metrics.Metrics.counter(METRICS, "event_failures")

    def setup(self):
        self.coder = self.shared.acquire(lambda: EventCoder(nlp.load(self.model, "parse")),
                                         tag=f"parse:{self.model}")

    def process(self, batch):
        try:
            coded = self.coder.code(batch)
        except Exception:  # the articles are still written; only their events are lost
            _LOG.exception("event coding failed on a batch of %d articles", len(batch))
            self.failures.inc(len(batch))
            return
        for rows in coded:
            self.events.inc(len(rows))
            yield from rows


class CodeEvents(beam.PTransform):
    """AnnotatedArticles -> event rows (PLOVER-coded, with evidence sentence and offsets)."""

    def __init__(self, model: str, max_batch_size: int = 64):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size

    def expand(self, annotated):
        return (annotated
                | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                max_batch_size=self.max_batch_size)
                | "Code" >> beam.ParDo(CodeEventsFn(self.model, Shared())))
