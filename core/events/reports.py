"""How many articles and sources report each event (its ``cluster_id``): over a whole
batch, or in streaming over the reports seen within a horizon."""
from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator

from ..horizon import HorizonIndex
from ..records import AnnotatedArticle


def reports(coded: AnnotatedArticle) -> Iterator[tuple[str, tuple[str, str]]]:
    """(cluster_id, (article_id, source)) for each event of a coded article."""
    for row in coded.events:
        yield row["cluster_id"], (coded.article["article_id"], coded.article["source"])


def cluster_counts(cluster_id: str, cluster_reports: Iterable[tuple[str, str]]
                   ) -> Iterator[tuple[str, tuple[str, int, int]]]:
    """(article_id, (cluster_id, articles, sources)) for each article reporting an event."""
    cluster_reports = set(cluster_reports)
    articles = {article_id for article_id, _ in cluster_reports}
    sources = len({source for _, source in cluster_reports})
    for article_id in articles:
        yield article_id, (cluster_id, len(articles), sources)


def counted(coded: AnnotatedArticle, counts: dict) -> AnnotatedArticle:
    """The coded article, each event told how many articles and sources report it
    (``counts``: cluster_id -> (articles, sources))."""
    events = [dict(row, cluster_articles=counts[row["cluster_id"]][0],
                   cluster_sources=counts[row["cluster_id"]][1]) for row in coded.events]
    return dataclasses.replace(coded, events=events)


def join_cluster(cluster: tuple | None, article_id: str, source: str, at: float,
                 horizon_seconds: float) -> tuple[tuple, tuple[int, int]]:
    """One event's reports with a new one: ``cluster`` is (first report's time, article
    ids, sources), started afresh once the first report is beyond the horizon; with
    the (articles, sources) counted so far."""
    if cluster is None or cluster[0] < at - horizon_seconds:
        cluster = (at, set(), set())
    cluster[1].add(article_id)
    cluster[2].add(source)
    return cluster, (len(cluster[1]), len(cluster[2]))


class RecentReports:
    """Streaming: the articles and sources that reported each event within a horizon.
    Thread-safe."""

    def __init__(self, horizon_seconds: float):
        self.horizon_seconds = horizon_seconds
        self._by_cluster = HorizonIndex(horizon_seconds)

    def counted(self, coded: AnnotatedArticle, at: float) -> AnnotatedArticle:
        """The coded article, its events counted with every report seen so far."""
        counts = {}
        with self._by_cluster.lock:
            self._by_cluster.advance(at)
            for cluster_id, (article_id, source) in reports(coded):
                cluster, counts[cluster_id] = join_cluster(
                    self._by_cluster.get(cluster_id), article_id, source, at,
                    self.horizon_seconds)
                self._by_cluster.setdefault(cluster_id, cluster, cluster[0])
        return counted(coded, counts)
