"""Polling feeds: conditional GETs, back-off for failing feeds, each poll's items."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
from typing import Callable, Optional

from ..records import ITEM, LISTED_FEED, REJECT, Found, Rejected, rejected
from ..urls import is_web_url
from .fetch import Fetcher
from .readers import DEFAULT_MAX_BYTES, InputFile, read_document

MAX_BACKOFF = 3600.0


@dataclasses.dataclass
class _FeedState:
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    digest: Optional[str] = None  # of the last content read, to skip unchanged files
    next_due: float = 0.0
    failures: int = 0


class FeedPoller:
    """Polls feeds when they are due; thread-compatible, one per worker.

    A feed is fetched again ``poll_interval`` seconds after a good poll, with the
    ETag and Last-Modified of the last answer so that an unchanged feed costs a 304.
    A feed that fails (HTTP error, timeout, not a feed) gives a reject row and is
    tried again after a back-off that doubles up to an hour, while the others go on.
    """

    def __init__(self, fetcher: Fetcher, poll_interval: float,
                 max_bytes: int = DEFAULT_MAX_BYTES, clock: Callable[[], float] = time.time,
                 read_file: Optional[Callable[[str], bytes]] = None):
        self.fetcher = fetcher
        self.poll_interval = poll_interval
        self.max_bytes = max_bytes
        self.clock = clock
        self.read_file = read_file or _read_local
        self._states: dict[str, _FeedState] = {}

    def is_due(self, feed: InputFile) -> bool:
        """Whether the next ``poll`` of this feed fetches it."""
        state = self._states.get(feed.path)
        return state is None or self.clock() >= state.next_due

    def poll(self, feed: InputFile, ingested_at: dt.datetime) -> list[Found]:
        """The feed's entries as items (all of them: the caller keeps the new ones),
        rejects, or nothing when the feed is not due or unchanged."""
        state = self._states.setdefault(feed.path, _FeedState())
        now = self.clock()
        if now < state.next_due:
            return []
        try:
            data, charset = self._load(feed.path, state)
        except Rejected as err:
            return [self._failed(feed.path, state, now, err.reason, err.detail, ingested_at)]
        if data is None:  # not modified
            state.failures, state.next_due = 0, now + self.poll_interval
            return []
        found = list(read_document(feed.path, data, ingested_at, "feed", self.max_bytes,
                                   charset))
        items = [f for f in found if f.kind == ITEM]
        problems = [f for f in found if f.kind == REJECT]
        if any(f.kind == LISTED_FEED for f in found):
            problems.append(rejected(
                feed.path, "poll", "feed_list", "this is an OPML list, not a feed: name it "
                "with an .opml URL or file so that its feeds are read at start", ingested_at))
        if problems and not items:  # not a feed (any more): back off like a failed fetch
            problem = problems[0].value
            return [self._failed(feed.path, state, now, problem["reason"], problem["detail"],
                                 ingested_at)]
        state.failures, state.next_due = 0, now + self.poll_interval
        return items + problems

    def _load(self, path: str, state: _FeedState):
        if is_web_url(path):
            response = self.fetcher.get(path, accept="feed", etag=state.etag,
                                        last_modified=state.last_modified)
            if response.not_modified:
                return None, None
            state.etag, state.last_modified = response.etag, response.last_modified
            return response.body, response.charset
        data = self.read_file(path)
        digest = hashlib.sha256(data).hexdigest()
        if digest == state.digest:
            return None, None
        state.digest = digest
        return data, None

    def _failed(self, path, state, now, reason, detail, ingested_at) -> Found:
        state.failures += 1
        wait = min(self.poll_interval * 2 ** state.failures, MAX_BACKOFF)
        state.next_due = now + wait
        return rejected(path, "poll", reason, f"{detail} (tried again in {wait:.0f} s)",
                        ingested_at)


def _read_local(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as err:
        raise Rejected("read_error", f"{type(err).__name__}: {err}") from None
