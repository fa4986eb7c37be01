"""Remembering for a horizon: what a streaming run knows of the recent past (articles
written, stories, events reported), forgotten once older than the horizon so that memory
stays bounded however long the run."""
from __future__ import annotations

import collections
import threading
from typing import Callable, Hashable, Optional

# How long a streaming run remembers: the default of --dedup-horizon (72 hours).
DEFAULT_HORIZON_SECONDS = 72 * 3600.0


class HorizonIndex:
    """Values by key, each kept ``horizon_seconds`` of event time after it was stored.

    Times are those of the elements (seconds); entries older than the newest time seen
    minus the horizon are dropped, oldest first, and ``on_forget(key, value)`` is told
    (for indexes built on top). Callers hold ``lock`` around a check and an update that
    must go together.
    """

    def __init__(self, horizon_seconds: float,
                 on_forget: Optional[Callable[[Hashable, object], None]] = None):
        self.horizon_seconds = horizon_seconds
        self.lock = threading.RLock()
        self._on_forget = on_forget
        self._entries: collections.OrderedDict = collections.OrderedDict()  # key -> (at, value)
        self._latest = float("-inf")

    def advance(self, at: float) -> None:
        """Time has reached ``at``: forget what is older than the horizon."""
        with self.lock:
            self._latest = max(self._latest, at)
            cutoff = self._latest - self.horizon_seconds
            # Entries come in roughly in time order, so the oldest are at the front.
            while self._entries:
                key, (stored, value) = next(iter(self._entries.items()))
                if stored >= cutoff:
                    return
                del self._entries[key]
                if self._on_forget:
                    self._on_forget(key, value)

    def setdefault(self, key: Hashable, value: object, at: float) -> object:
        """The value kept for ``key``; ``value`` (kept from ``at``) if there was none."""
        with self.lock:
            if key not in self._entries:
                self._entries[key] = (at, value)
            return self._entries[key][1]

    def get(self, key: Hashable, default: object = None) -> object:
        entry = self._entries.get(key)
        return default if entry is None else entry[1]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
