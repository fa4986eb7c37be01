"""CodeEvents: annotated articles -> event rows, each with the real event it reports."""
from __future__ import annotations

import collections
import logging
import threading

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core import nlp
from newsbeam.core.events import EventCoder

from .names import METRICS

_LOG = logging.getLogger(__name__)


class CodeEventsFn(beam.DoFn):
    """Batches of annotated articles -> (event row, the article's source)."""

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
        except Exception:  # find the article that fails; the others keep their events
            coded = [self._code_one(annotated) for annotated in batch]
        for annotated, rows in zip(batch, coded):
            self.events.inc(len(rows))
            for row in rows:
                yield row, annotated.article["source"]

    def _code_one(self, annotated) -> list[dict]:
        try:
            return self.coder.code([annotated])[0]
        except Exception:  # the article is still written; only its events are lost
            _LOG.exception("event coding failed on %s", annotated.article["input_ref"])
            self.failures.inc()
            return []


def _with_counts(grouped):
    """The rows of one real event, each told how many articles and sources report it."""
    _, reports = grouped
    reports = list(reports)
    articles = len({row["article_id"] for row, _ in reports})
    sources = len({source for _, source in reports})
    for row, _ in reports:
        yield dict(row, cluster_articles=articles, cluster_sources=sources)


class _Reports:
    """Streaming: the articles and sources that reported each event within a horizon."""

    def __init__(self, horizon: float):
        self.horizon = horizon
        self.by_cluster: collections.OrderedDict = collections.OrderedDict()
        self.lock = threading.Lock()

    def add(self, row: dict, source: str, at: float) -> tuple[int, int]:
        with self.lock:
            while self.by_cluster:
                oldest = next(iter(self.by_cluster.values()))
                if oldest[2] >= at - self.horizon:
                    break
                self.by_cluster.popitem(last=False)
            articles, sources, _ = self.by_cluster.setdefault(row["cluster_id"],
                                                              (set(), set(), at))
            articles.add(row["article_id"])
            sources.add(source)
            return len(articles), len(sources)


class CountReportsFn(beam.DoFn):
    def __init__(self, horizon: float, shared: Shared):
        self.horizon = horizon
        self.shared = shared

    def setup(self):
        self.reports = self.shared.acquire(lambda: _Reports(self.horizon), tag="reports")

    def process(self, report, timestamp=beam.DoFn.TimestampParam):
        row, source = report
        articles, sources = self.reports.add(row, source, timestamp.micros / 1e6)
        yield dict(row, cluster_articles=articles, cluster_sources=sources)


class CodeEvents(beam.PTransform):
    """AnnotatedArticles -> event rows (PLOVER-coded, with evidence sentence and offsets),
    each with its real event's cluster_id and how many articles and sources report it.

    In batch the counts cover the run; in streaming, the reports seen so far within
    ``horizon`` seconds (a shuffle would hold the rows until the run ends).
    """

    def __init__(self, model: str, max_batch_size: int = 64, horizon: float = 3 * 86400.0):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size
        self.horizon = horizon

    def expand(self, annotated):
        reports = (annotated
                   | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                   max_batch_size=self.max_batch_size)
                   | "Code" >> beam.ParDo(CodeEventsFn(self.model, Shared())))
        if not reports.is_bounded:
            return reports | "CountReports" >> beam.ParDo(CountReportsFn(self.horizon,
                                                                         Shared()))
        return (reports
                | "KeyByEvent" >> beam.Map(lambda report: (report[0]["cluster_id"], report))
                | "GroupByEvent" >> beam.GroupByKey()
                | "CountReports" >> beam.FlatMap(_with_counts))
