"""Exact duplicates: which copy of an article to keep, and (streaming) which articles were
written within the horizon."""
from __future__ import annotations

from typing import Iterable

from ..horizon import HorizonIndex


def keep_best(copies: Iterable[dict]) -> tuple[dict, int]:
    """The copy to keep and how many others were dropped.

    The most complete copy wins (a publication date, then the longest text), then the
    first published (the original of a syndicated story), then the smallest input_ref,
    so every run and runner keeps the same one.
    """
    ordered = sorted(copies, key=lambda a: (a["published_at"] is None, -a["word_count"],
                                            a["published_at"] or a["ingested_at"],
                                            a["input_ref"]))
    return ordered[0], len(ordered) - 1


class SeenIndex:
    """The article ids and text hashes written within a horizon: exact deduplication
    for a streaming run, in bounded memory. Thread-safe."""

    def __init__(self, horizon_seconds: float):
        self.horizon_seconds = horizon_seconds
        self._keys = HorizonIndex(horizon_seconds)

    def add_if_new(self, article_id: str, content_hash: str, at: float) -> bool:
        """True, and the article remembered from ``at``, when neither its id nor its text
        was seen within the horizon."""
        keys = _keys(article_id, content_hash)
        with self._keys.lock:
            self._keys.advance(at)
            if any(key in self._keys for key in keys):
                return False
            for key in keys:
                self._keys.setdefault(key, None, at)
            return True

    def remember(self, pairs: Iterable[tuple[str, str]], at: float) -> None:
        """Record (article_id, content_hash) pairs written elsewhere (earlier runs, other
        workers)."""
        with self._keys.lock:
            for article_id, content_hash in pairs:
                for key in _keys(article_id, content_hash):
                    self._keys.setdefault(key, None, at)

    def __len__(self) -> int:
        return len(self._keys)


def _keys(article_id: str, content_hash: str) -> tuple[str, str]:
    """Ids and hashes kept apart: an id never matches a hash."""
    return f"id:{article_id}", f"text:{content_hash}"
