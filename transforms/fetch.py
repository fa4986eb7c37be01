"""FetchPages: raw items -> the same items, feed entries with their article page fetched."""
from __future__ import annotations

import apache_beam as beam

from newsbeam.core.records import Rejected
from newsbeam.core.sources.fetch import FetchSettings, Fetcher, with_page

from . import metrics


class FetchPagesFn(beam.DoFn):
    def __init__(self, settings: FetchSettings):
        self.settings = settings
        self.fetched = metrics.counter("pages_fetched")
        self.failures = metrics.CounterFamily(metrics.FETCH_FAILURES)

    def setup(self):
        self.fetcher = Fetcher(self.settings)

    def process(self, batch):
        wanted = [i for i, item in enumerate(batch) if item.fetch_url]
        outcomes = self.fetcher.get_many([batch[i].fetch_url for i in wanted], accept="html")
        for index, outcome in outcomes:
            position = wanted[index]
            try:
                batch[position] = with_page(batch[position], outcome)
            except Exception as err:  # noqa: BLE001 (one page must not stop the run)
                batch[position] = with_page(batch[position], Rejected(
                    "internal_error", f"{type(err).__name__}: {err}"))
            if batch[position].fetch_failure:
                self.failures.inc(batch[position].fetch_failure[0])
            else:
                self.fetched.inc()
        yield from batch


class FetchPages(beam.PTransform):
    """RawItems -> RawItems; entries naming a web page get it fetched, many at a time."""

    def __init__(self, settings: FetchSettings, batch_size: int = 64):
        super().__init__()
        self.settings = settings
        self.batch_size = batch_size

    def expand(self, items):
        return (items
                # full batches: the more pages in a batch, the more requests in flight
                | "Batch" >> beam.BatchElements(min_batch_size=self.batch_size,
                                                max_batch_size=self.batch_size)
                | "Fetch" >> beam.ParDo(FetchPagesFn(self.settings)))
