"""Syndicated copies: MinHash signatures of 5-word shingles, banded for LSH.

Two texts share a story when the estimated Jaccard similarity of their 5-word shingle
sets is at least ``THRESHOLD``: copies of one wire story with other boilerplate and
light edits measure 0.67 to 0.99, independent reports of the same event under 0.05.
Candidates come only from shared LSH bands, never from comparing all pairs: with 32
bands of 4 rows a pair at similarity 0.5 shares a band with probability 0.87, at 0.7
with 0.9996, at 0.2 with 0.05.
"""
from __future__ import annotations

import collections
import hashlib
import re
import zlib
from typing import Iterable

import numpy as np

from ..horizon import HorizonIndex

THRESHOLD = 0.5
SHINGLE_WORDS = 5
BANDS, ROWS = 32, 4
_PRIME = np.uint64(4294967311)  # the first prime above 2**32
_SEEDS = np.random.default_rng(20261127)
_A = _SEEDS.integers(1, 2**32, BANDS * ROWS, dtype=np.uint64)
_B = _SEEDS.integers(0, 2**32, BANDS * ROWS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def signature(text: str) -> np.ndarray:
    """The MinHash signature (BANDS * ROWS values) of a text's word shingles."""
    words = _WORD.findall(text.casefold())
    size = min(SHINGLE_WORDS, max(len(words), 1))
    hashes = np.fromiter((zlib.crc32(" ".join(words[i:i + size]).encode())
                          for i in range(max(len(words) - size + 1, 1))), dtype=np.uint64)
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def band_keys(sig: np.ndarray) -> list[bytes]:
    """One key per band: texts sharing a key are candidates."""
    return [hashlib.blake2b(bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].tobytes(),
                            digest_size=8).digest() for band in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(a == b))


def similar_pairs(members: list[tuple[str, np.ndarray]]) -> Iterable[tuple[str, str]]:
    """Pairs of ids in one LSH bucket that are copies of each other."""
    for i, (first, first_sig) in enumerate(members):
        for second, second_sig in members[i + 1:]:
            if first != second and similarity(first_sig, second_sig) >= THRESHOLD:
                yield (first, second) if first < second else (second, first)


def stories(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The story of every id in a pair: the smallest id of its connected group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in pairs:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {node: root(node) for node in parent}


def stories_of(signatures: dict[str, np.ndarray]) -> dict[str, str]:
    """The story of every id, in memory: what ``GroupStories`` computes over a batch,
    bucket by band, with a shuffle (an id with no copy is its own story)."""
    buckets = collections.defaultdict(list)
    for article_id, sig in signatures.items():
        for key in band_keys(sig):
            buckets[key].append((article_id, sig))
    groups = stories(pair for members in buckets.values() for pair in similar_pairs(members))
    return {article_id: groups.get(article_id, article_id) for article_id in signatures}


class StoryIndex:
    """Streaming: the stories seen within a horizon, found again through their bands.
    Thread-safe."""

    def __init__(self, horizon_seconds: float):
        self._by_band: dict[bytes, list[str]] = collections.defaultdict(list)
        self._seen = HorizonIndex(horizon_seconds, on_forget=self._forget)

    def story_of(self, article_id: str, sig: np.ndarray, at: float) -> str:
        """The story of a new article: that of an earlier copy, else its own id."""
        keys = band_keys(sig)
        with self._seen.lock:
            self._seen.advance(at)
            story = next((other_story for key in keys for other in self._by_band.get(key, ())
                          for other_sig, other_story in [self._seen.get(other)]
                          if similarity(sig, other_sig) >= THRESHOLD), article_id)
            self._seen.setdefault(article_id, (sig, story), at)
            for key in keys:
                self._by_band[key].append(article_id)
            return story

    def _forget(self, article_id: str, entry: tuple) -> None:
        sig, _ = entry
        for key in band_keys(sig):
            members = self._by_band.get(key)
            if members and article_id in members:
                members.remove(article_id)
                if not members:
                    del self._by_band[key]
