"""The run's metrics: one namespace, and the names the command's summary reads back."""
from __future__ import annotations

import apache_beam as beam

NAMESPACE = "newsbeam"
ITEMS_READ = "items_read"  # every input item: it ends as an article, a duplicate or a reject
DUPLICATES = "duplicates"
DUPLICATES_BY_KIND = "duplicates."  # + same_id, same_text, seen_before
REJECTS_BY_REASON = "reject."  # + the reason
ROWS = "rows."  # + the table: rows written
FILES = "files."  # + the table: files written
WARC_SKIPPED = "warc_skipped."  # + why a WARC record is not an item
FETCH_FAILURES = "fetch."  # + the reason a page was not fetched
UNREADABLE_FILES = "unreadable_files"  # a string set: output files that could not be read


def counter(name: str):
    return beam.metrics.Metrics.counter(NAMESPACE, name)


def string_set(name: str):
    return beam.metrics.Metrics.string_set(NAMESPACE, name)


class CounterFamily:
    """Counters named prefix + key, made as keys come (reject reasons, ...)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._counters: dict = {}

    def inc(self, key: str, n: int = 1) -> None:
        if key not in self._counters:
            self._counters[key] = counter(self.prefix + key)
        self._counters[key].inc(n)
