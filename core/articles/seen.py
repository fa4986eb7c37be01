"""What a streaming run has already written, within a horizon: exact deduplication with
bounded memory."""
from __future__ import annotations

import collections
import threading
from typing import Iterable


class SeenIndex:
    """Keys (article ids, content hashes) with the time they were first seen.

    Keys older than ``horizon`` seconds (in the times given to ``add``) are
    forgotten, so the index holds at most a horizon's worth of articles.
    """

    def __init__(self, horizon: float):
        self.horizon = horizon
        self._first_seen: collections.OrderedDict[str, float] = collections.OrderedDict()
        self._latest = float("-inf")
        self._lock = threading.Lock()

    def add_if_new(self, keys: Iterable[str], at: float) -> bool:
        """True, and the keys recorded, when none of them was seen within the horizon."""
        keys = list(keys)
        with self._lock:
            self._forget_before(max(self._latest, at) - self.horizon)
            if any(k in self._first_seen for k in keys):
                return False
            self._latest = max(self._latest, at)
            for key in keys:
                self._first_seen[key] = at
            return True

    def remember(self, keys: Iterable[str], at: float) -> None:
        """Record keys written elsewhere (earlier runs, other workers)."""
        with self._lock:
            for key in keys:
                self._first_seen.setdefault(key, at)

    def __len__(self) -> int:
        return len(self._first_seen)

    def _forget_before(self, cutoff: float) -> None:
        # Keys come in roughly in time order, so the oldest are at the front.
        while self._first_seen:
            key, at = next(iter(self._first_seen.items()))
            if at >= cutoff:
                return
            del self._first_seen[key]
