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
from .keyed import AnswerFn, AskKeyedState, MeetAnswersFn
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


class CountInClusterFn(AnswerFn):
    """Streaming, keyed by cluster_id: (article_id, (cluster_id, (articles, sources)))
    for each report of the event, counting the reports within the horizon that reached
    any worker."""

    def __init__(self, horizon_seconds: float):
        self.horizon_seconds = horizon_seconds

    def answer(self, cluster_id, report, cluster, at):
        article_id, source = report
        cluster, counts = reports.join_cluster(cluster, article_id, source, at,
                                               self.horizon_seconds)
        return cluster, cluster[0] + self.horizon_seconds, (article_id, (cluster_id, counts))


class SetCountsFn(MeetAnswersFn):
    """Streaming, keyed by article id: the coded article, once each of its events has
    been counted, with the counts."""

    def expected(self, coded) -> int:
        return len(_report_questions(coded))

    def complete(self, coded, answers):
        return reports.counted(coded, dict(answers))


def _report_questions(coded):
    return set(reports.reports(coded))


def _coded_article_id(coded):
    return coded.article["article_id"]


class CountReports(beam.PTransform):
    """Coded articles -> the same articles, each event told how many articles and
    sources report it (``cluster_articles``, ``cluster_sources``).

    In batch the counts cover the run; in streaming, the reports seen so far within
    ``horizon_seconds``: by this worker process, or with ``keyed_state`` (distributed
    runners) by any worker, counted in keyed state per event.
    """

    def __init__(self, horizon_seconds: float = DEFAULT_HORIZON_SECONDS,
                 keyed_state: bool = False):
        super().__init__()
        self.horizon_seconds = horizon_seconds
        self.keyed_state = keyed_state

    def expand(self, coded):
        if not coded.is_bounded and self.keyed_state:
            return coded | "InClusters" >> AskKeyedState(
                _coded_article_id, _report_questions, CountInClusterFn(self.horizon_seconds),
                SetCountsFn())
        if not coded.is_bounded:
            return coded | "InProcess" >> beam.ParDo(
                CountReportsFn(self.horizon_seconds, Shared()))
        counts = (coded
                  | "Reports" >> beam.FlatMap(reports.reports)
                  | "GroupByEvent" >> beam.GroupByKey()
                  | "CountPerEvent" >> beam.FlatMapTuple(reports.cluster_counts))
        return ({"article": coded | "KeyByArticle" >> beam.Map(
                    lambda article: (_coded_article_id(article), article)),
                 "counts": counts}
                | "JoinCounts" >> beam.CoGroupByKey()
                | "SetCounts" >> beam.FlatMap(_with_counts))


class CodeEvents(beam.PTransform):
    """AnnotatedArticles -> the same articles with their event rows (``articles``:
    PLOVER-coded, with evidence sentence and offsets, each with its real event's
    cluster_id and how many articles and sources report it: ``CountReports``), and
    reject rows (``rejects``) of the articles the coder fails on.
    """

    def __init__(self, model: str, max_batch_size: int = 64,
                 horizon_seconds: float = DEFAULT_HORIZON_SECONDS, keyed_state: bool = False):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size
        self.horizon_seconds = horizon_seconds
        self.keyed_state = keyed_state

    def expand(self, annotated):
        coded = (annotated
                 | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                 max_batch_size=self.max_batch_size)
                 | "Code" >> beam.ParDo(CodeEventsFn(self.model, Shared())).with_outputs(
                     REJECTS, main="articles"))
        counted = coded.articles | "CountReports" >> CountReports(self.horizon_seconds,
                                                                  self.keyed_state)
        return {"articles": counted, "rejects": coded[REJECTS]}
