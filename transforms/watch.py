"""WatchFeeds: feeds -> raw items and reject rows, polled until the run is stopped."""
from __future__ import annotations

import os
import time
from typing import Optional

import apache_beam as beam
from apache_beam import coders
from apache_beam.io.watch import PollFn, PollResult, TerminationCondition, Watch
from apache_beam.transforms.window import TimestampedValue
from apache_beam.utils.timestamp import Timestamp

from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.core.sources.polling import FeedPoller
from newsbeam.core.records import ITEM, REJECT, Found, utcnow

from . import metrics
from .rejects import REJECTS, item_or_reject

# Watch polls every input at this pace; each feed is fetched only when its own poll
# interval is due. A short tick lets a stop request end the run within seconds.
TICK_SECONDS = 1.0


class _PollFeeds(PollFn):
    def __init__(self, fetch: FetchSettings, poll_interval: float, max_bytes: int):
        self.fetch = fetch
        self.poll_interval = poll_interval
        self.max_bytes = max_bytes
        self.progress = metrics.Progress()
        self._poller: Optional[FeedPoller] = None

    def __call__(self, feed):
        if self._poller is None:  # built on the worker: a poll function is pickled
            self._poller = FeedPoller(Fetcher(self.fetch), self.poll_interval, self.max_bytes)
            self._last_call = {}
        # The local runners resume Watch at once instead of after its poll interval:
        # pace the calls here so that an idle run does not spin a core.
        wait = self._last_call.get(feed.path, 0.0) + TICK_SECONDS - time.time()
        if wait > 0:
            time.sleep(wait)
        self._last_call[feed.path] = time.time()
        now = Timestamp.now()
        due = self._poller.is_due(feed)
        found = self._poller.poll(feed, utcnow())
        if due:
            self.progress.event(**poll_outcome(feed.path, found))
        # Everything found is stamped with the poll's time, so the watermark can follow it.
        return PollResult.incomplete([TimestampedValue(f, now) for f in found]
                                     ).with_watermark(now)

    def default_output_coder(self):
        return coders.PickleCoder()


def poll_outcome(feed: str, found: list) -> dict:
    """What one fetch of a feed gave, for the progress log: ``unchanged``, ``read``
    (with its entries; Watch keeps the new ones) or ``failed`` (with the reason)."""
    items = sum(f.kind == ITEM for f in found)
    failure = next((f.value for f in found if f.kind == REJECT and f.value["stage"] == "poll"),
                   None)
    if failure is not None and not items:
        return {"kind": "poll", "feed": feed, "outcome": "failed",
                "reason": failure["reason"], "detail": failure["detail"]}
    return {"kind": "poll", "feed": feed, "outcome": "read" if found else "unchanged",
            "entries": items}


def _output_key(found: Found) -> str:
    """Watch emits an entry once per key: the feed and the entry's GUID (or link).
    Rejects are all distinct."""
    if found.kind == ITEM:
        return found.value.input_ref
    return f"reject:{found.value['input_ref']}:{found.value['ingested_at'].isoformat()}"


class StopWhen(TerminationCondition):
    """Polling ends once ``stop_after`` seconds have passed or ``stop_file`` exists:
    then the watermark moves to the end of time, every window closes and is
    written, and the run finishes (a drain)."""

    def __init__(self, stop_after: Optional[float], stop_file: Optional[str]):
        self.stop_after = stop_after
        self.stop_file = stop_file

    def for_new_input(self, now, element):
        return now.micros

    def can_stop_polling(self, now, started):
        if self.stop_file and os.path.exists(self.stop_file):
            return True
        return self.stop_after is not None and (now.micros - started) / 1e6 >= self.stop_after

    def state_coder(self):
        return coders.VarIntCoder()


class SplitPolledFn(beam.DoFn):
    def __init__(self):
        self.items_read = metrics.counter(metrics.ITEMS_READ)
        self.new_entries = metrics.counter(metrics.NEW_ENTRIES)

    def process(self, polled):
        _, found = polled
        self.items_read.inc()
        if found.kind == ITEM:
            self.new_entries.inc()
        yield item_or_reject(found)


class WatchFeeds(beam.PTransform):
    """Pipeline begin -> RawItems (``items``: each feed entry once) and reject rows
    (``rejects``), polling every feed every ``poll_interval`` seconds until stopped."""

    def __init__(self, feeds: list, fetch: FetchSettings, poll_interval: float,
                 horizon_seconds: float, max_bytes: int, stop: StopWhen):
        super().__init__()
        self.feeds = feeds
        self.fetch = fetch
        self.poll_interval = poll_interval
        self.horizon_seconds = horizon_seconds
        self.max_bytes = max_bytes
        self.stop = stop

    def expand(self, pbegin):
        polled = (pbegin
                  | "Feeds" >> beam.Create(self.feeds)
                  | "Poll" >> Watch(_PollFeeds(self.fetch, self.poll_interval, self.max_bytes),
                                    poll_interval=TICK_SECONDS, termination=self.stop,
                                    output_key_fn=_output_key,
                                    output_key_coder=coders.StrUtf8Coder(),
                                    # entries' keys are forgotten after the horizon
                                    timestamp_cursor=True,
                                    allowed_lateness=self.horizon_seconds)
                  | "Split" >> beam.ParDo(SplitPolledFn()).with_outputs(REJECTS, main="items"))
        return {"items": polled.items, "rejects": polled[REJECTS]}
