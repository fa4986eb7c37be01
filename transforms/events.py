"""CodeEvents: annotated articles -> the same articles with their event rows, each with the
real event it reports; a reject row for each article the coder fails on."""
from __future__ import annotations

import collections
import dataclasses
import threading

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core.language import nlp
from newsbeam.core.events.coder import EventCoder

from .names import METRICS, REJECTS
from .rejects import internal_error


class CodeEventsFn(beam.DoFn):
    """Batches of annotated articles -> the same articles with their event rows, and a
    reject row for each article the coder fails on."""

    def __init__(self, model: str, shared: Shared):
        self.model = model
        self.shared = shared
        self.events = beam.metrics.Metrics.counter(METRICS, "events")

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
            yield dataclasses.replace(annotated, events=rows)


def _reports(coded):
    """(cluster_id, (article_id, source)) for each event of a coded article."""
    for row in coded.events:
        yield row["cluster_id"], (coded.article["article_id"], coded.article["source"])


def _cluster_counts(grouped):
    """(article_id, (cluster_id, articles, sources)) for each article reporting an event."""
    cluster_id, reports = grouped
    reports = set(reports)
    articles = {article_id for article_id, _ in reports}
    sources = len({source for _, source in reports})
    for article_id in articles:
        yield article_id, (cluster_id, len(articles), sources)


def _with_counts(joined):
    _, grouped = joined
    counts = {cluster: (articles, sources) for cluster, articles, sources in grouped["counts"]}
    for coded in grouped["article"]:
        yield _counted(coded, counts)


def _counted(coded, counts: dict):
    """The coded article, each event told how many articles and sources report it."""
    events = [dict(row, cluster_articles=counts[row["cluster_id"]][0],
                   cluster_sources=counts[row["cluster_id"]][1]) for row in coded.events]
    return dataclasses.replace(coded, events=events)


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

    def process(self, coded, timestamp=beam.DoFn.TimestampParam):
        source, at = coded.article["source"], timestamp.micros / 1e6
        yield _counted(coded, {row["cluster_id"]: self.reports.add(row, source, at)
                               for row in coded.events})


class CodeEvents(beam.PTransform):
    """AnnotatedArticles -> the same articles with their event rows (``articles``:
    PLOVER-coded, with evidence sentence and offsets, each with its real event's
    cluster_id and how many articles and sources report it), and reject rows
    (``rejects``) of the articles the coder fails on.

    In batch the counts cover the run; in streaming, the reports seen so far within
    ``horizon`` seconds (a shuffle would hold the rows until the run ends).
    """

    def __init__(self, model: str, max_batch_size: int = 64, horizon: float = 3 * 86400.0):
        super().__init__()
        self.model = model
        self.max_batch_size = max_batch_size
        self.horizon = horizon

    def expand(self, annotated):
        coded = (annotated
                 | "Batch" >> beam.BatchElements(min_batch_size=1,
                                                 max_batch_size=self.max_batch_size)
                 | "Code" >> beam.ParDo(CodeEventsFn(self.model, Shared())).with_outputs(
                     REJECTS, main="articles"))
        if not coded.articles.is_bounded:
            counted = coded.articles | "CountReports" >> beam.ParDo(
                CountReportsFn(self.horizon, Shared()))
        else:
            counts = (coded.articles
                      | "Reports" >> beam.FlatMap(_reports)
                      | "GroupByEvent" >> beam.GroupByKey()
                      | "CountReports" >> beam.FlatMap(_cluster_counts))
            counted = ({"article": coded.articles | "KeyByArticle" >> beam.Map(
                            lambda coded: (coded.article["article_id"], coded)),
                        "counts": counts}
                       | "JoinCounts" >> beam.CoGroupByKey()
                       | "SetCounts" >> beam.FlatMap(_with_counts))
        return {"articles": counted, "rejects": coded[REJECTS]}
