"""CodeEvents: annotated articles -> the same articles with their event rows, each with the
real event it reports; a reject row for each article the coder fails on."""
from __future__ import annotations

import dataclasses

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core.events import reports
from newsbeam.core.events.coder import EventCoder
from newsbeam.core.horizon import DEFAULT_HORIZON_SECONDS
from newsbeam.core.language import nlp

from . import metrics
from .rejects import REJECTS, internal_error


class CodeEventsFn(beam.DoFn):
    """Batches of annotated articles -> the same articles with their event rows, and a
    reject row for each article the coder fails on."""

    def __init__(self, model: str, shared: Shared):
        self.model = model
        self.shared = shared
        self.events = metrics.counter("events")
        self.coded = metrics.counter(metrics.ARTICLES_CODED)

    def setup(self):
        self.coder = self.shared.acquire(lambda: EventCoder(nlp.load(self.model, "parse")),
                                         tag=f"parse:{self.model}")

    def process(self, batch):
        try:
            coded = self.coder.code(batch)
        except Exception:  # noqa: BLE001 (find the article that fails; keep the others)
            coded = None
        for index, annotated in enumerate(batch):
            article = annotated.article
            try:
                rows = coded[index] if coded else self.coder.code([annotated])[0]
            except Exception as err:  # noqa: BLE001 (one article must not stop the run)
                yield internal_error(article["input_ref"], "events", err,
                                     article["ingested_at"])
                continue
            self.events.inc(len(rows))
            self.coded.inc()
            yield dataclasses.replace(annotated, events=rows)


def _with_counts(joined):
    _, grouped = joined
    counts = {cluster: (articles, sources) for cluster, articles, sources in grouped["counts"]}
    for coded in grouped["article"]:
        yield reports.counted(coded, counts)


class CountReportsFn(beam.DoFn):
    def __init__(self, horizon_seconds: float, shared: Shared):
        self.horizon_seconds = horizon_seconds
        self.shared = shared

    def setup(self):
        self.recent = self.shared.acquire(lambda: reports.RecentReports(self.horizon_seconds),
                                          tag="reports")

    def process(self, coded, timestamp=beam.DoFn.TimestampParam):
        yield self.recent.counted(coded, timestamp.micros / 1e6)


class CodeEvents(beam.PTransform):
    """AnnotatedArticles -> the same articles with their event rows (``articles``:
    PLOVER-coded, with evidence sentence and offsets, each with its real event's
    cluster_id and how many articles and sources report it), and reject rows
    (``rejects``) of the articles the coder fails on.

    In batch the counts cover the run; in streaming, the reports seen so far within
    ``horizon_seconds`` (a shuffle would hold the rows until the run ends).
    """

    def __init__(self, model: str, max_batch_size: int = 64,
                 horizon_seconds: float = DEFAULT_HORIZON_SECONDS):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size
        self.horizon_seconds = horizon_seconds

    def expand(self, annotated):
        coded = (annotated
                 | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                 max_batch_size=self.max_batch_size)
                 | "Code" >> beam.ParDo(CodeEventsFn(self.model, Shared())).with_outputs(
                     REJECTS, main="articles"))
        if not coded.articles.is_bounded:
            counted = coded.articles | "CountReports" >> beam.ParDo(
                CountReportsFn(self.horizon_seconds, Shared()))
        else:
            counts = (coded.articles
                      | "Reports" >> beam.FlatMap(reports.reports)
                      | "GroupByEvent" >> beam.GroupByKey()
                      | "CountReports" >> beam.FlatMapTuple(reports.cluster_counts))
            counted = ({"article": coded.articles | "KeyByArticle" >> beam.Map(
                            lambda coded: (coded.article["article_id"], coded)),
                        "counts": counts}
                       | "JoinCounts" >> beam.CoGroupByKey()
                       | "SetCounts" >> beam.FlatMap(_with_counts))
        return {"articles": counted, "rejects": coded[REJECTS]}
