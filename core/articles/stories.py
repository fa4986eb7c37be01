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


def band_keys(sig: np.ndarray) -> list[str]:
    """One key per band: texts sharing a key are candidates. Text, since Beam 2.77's
    FnApiRunner decodes the keys of timers as text whatever their coder."""
    return [hashlib.blake2b(bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].tobytes(),
                            digest_size=8).hexdigest() for band in range(BANDS)]


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


# Members a band keeps for keyed streaming: a band shared by this many recent texts is
# boilerplate rather than a story, and the other bands still find the copies.
MEMBERS_PER_BAND = 64


def join_band(members: list, article_id: str, sig: np.ndarray, at: float,
              horizon_seconds: float) -> tuple[list, tuple[float, str]]:
    """Streaming through keyed state, one band's answer for a new article: the members
    the band keeps with it added, and (start, story) of the first copy among the
    members seen within the horizon, else (at, article_id). ``members`` holds
    (article_id, signature, story, story start, seen at), oldest first; the article's
    story is the earliest started of its bands' answers (``earliest_story``)."""
    recent = [m for m in members if m[4] >= at - horizon_seconds]
    story_start, story = next(((start, other_story)
                               for _, other_sig, other_story, start, _ in recent
                               if similarity(sig, other_sig) >= THRESHOLD),
                              (at, article_id))
    recent.append((article_id, sig, story, story_start, at))
    return recent[-MEMBERS_PER_BAND:], (story_start, story)


def earliest_story(answers: Iterable[tuple[float, str]]) -> str:
    """The story of an article from its bands' answers: the one started first."""
    return min(answers)[1]


class StoryIndex:
    """Streaming: the stories seen within a horizon, found again through their bands,
    band by band as the keyed path does (``join_band``), so one process and many
    workers give an article the same story. Thread-safe."""

    def __init__(self, horizon_seconds: float):
        self.horizon_seconds = horizon_seconds
        self._bands: dict[str, list] = {}
        self._seen = HorizonIndex(horizon_seconds, on_forget=self._forget)

    def story_of(self, article_id: str, sig: np.ndarray, at: float) -> str:
        """The story of a new article: the earliest started among its copies', else
        its own id."""
        keys = band_keys(sig)
        answers = []
        with self._seen.lock:
            self._seen.advance(at)
            for key in keys:
                self._bands[key], answer = join_band(self._bands.get(key, []), article_id,
                                                     sig, at, self.horizon_seconds)
                answers.append(answer)
            self._seen.setdefault(article_id, keys, at)
        return earliest_story(answers)

    def _forget(self, article_id: str, keys: list[str]) -> None:
        for key in keys:
            members = [m for m in self._bands.get(key, ()) if m[0] != article_id]
            if members:
                self._bands[key] = members
            else:
                self._bands.pop(key, None)
