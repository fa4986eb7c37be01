"""Exact duplicates: which copy of an article to keep."""
from __future__ import annotations

from typing import Iterable


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
