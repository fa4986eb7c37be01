"""The development sets in tests/data (pages, syndication groups, places) and the
measures they are scored with; used by the quality tests and by benchmarks/."""
from __future__ import annotations

import json
import pathlib
import re

DATA = pathlib.Path(__file__).parent / "data"
_WORD = re.compile(r"\w+")


def extraction_pages() -> list[tuple[dict, bytes]]:
    """(truth, page bytes) of the extraction development set."""
    folder = DATA / "extraction"
    truths = [json.loads(line) for line in (folder / "truth.jsonl").read_text().splitlines()]
    return [(t, (folder / "pages" / t["file"]).read_bytes()) for t in truths]


def syndication_pages() -> list[tuple[dict, bytes]]:
    folder = DATA / "syndication"
    groups = [json.loads(line) for line in (folder / "groups.jsonl").read_text().splitlines()]
    return [(g, (folder / g["file"]).read_bytes()) for g in groups]


def place_texts() -> list[dict]:
    return [json.loads(line) for line in
            (DATA / "places" / "texts.jsonl").read_text(encoding="utf-8").splitlines()]


def shingles(text: str, size: int = 4) -> set:
    words = _WORD.findall((text or "").lower())
    return {tuple(words[i:i + size]) for i in range(max(len(words) - size + 1, 1))
            if words[i:i + size]}


def text_precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    """The article-extraction benchmark's measure: 4-word shingles of the body text."""
    got, want = shingles(predicted), shingles(truth)
    if not want:
        return (1.0, 1.0) if not got else (0.0, 1.0)
    if not got:
        return 0.0, 0.0
    common = len(got & want)
    return common / len(got), common / len(want)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
