"""The development sets in tests/data (pages, syndication groups, places) and the
measures they are scored with; used by the quality tests and by benchmarks/."""
from __future__ import annotations

import collections
import datetime as dt
import json
import pathlib
import re
from typing import Callable, Iterator, Optional

DATA = pathlib.Path(__file__).parent / "data"
INGESTED = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
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


def resolved_places(ner, gazetteer) -> Iterator[tuple[dict, object, dict, Optional[dict]]]:
    """(sample, its AnnotatedArticle, a true place with coordinates, the resolved entity
    overlapping it or None) over the places development set; a sample without such a
    place is given once with truth None."""
    from newsbeam.core.language import entities, nlp

    for sample in place_texts():
        spans = next(nlp.entity_spans(ner, [sample["text"]]))
        annotated = entities.annotate({"article_id": sample["id"], "text": sample["text"],
                                       "date": "2026-11-27"}, spans, gazetteer)
        truths = [t for t in sample["places"] if t["latitude"] is not None]
        if not truths:
            yield sample, annotated, None, None
        for truth in truths:
            found = next((e for e in annotated.entities
                          if e["start_char"] < truth["end"] and e["end_char"] > truth["start"]
                          and e["latitude"] is not None), None)
            yield sample, annotated, truth, found


PLACE_KM = 161  # a place found within 100 miles of the true one counts as right


def place_scores(ner, gazetteer) -> tuple[dict, dict, dict]:
    """By kind of text: whether each text's main country is right, whether each true place
    was resolved within PLACE_KM of it, and those true places."""
    from newsbeam.core.language.gazetteer import distance_km

    countries, places, truths = (collections.defaultdict(list) for _ in range(3))
    counted = set()
    for sample, annotated, truth, found in resolved_places(ner, gazetteer):
        kind = sample["kind"]
        if sample["id"] not in counted:
            counted.add(sample["id"])
            countries[kind].append(annotated.article["country_code"] == sample["country"])
        if truth is not None:
            truths[kind].append(truth)
            places[kind].append(found is not None and distance_km(
                found["latitude"], found["longitude"], truth["latitude"],
                truth["longitude"]) <= PLACE_KM)
    return countries, places, truths


def annotator(ner, gazetteer) -> Callable:
    """Text -> AnnotatedArticle through the real cleaning, NER and gazetteer."""
    from newsbeam.core.articles import cleaning
    from newsbeam.core.language import entities, nlp
    from newsbeam.core.records import RawItem

    def run(text: str, published: Optional[dt.datetime] = None, ref: str = "test.txt"):
        item = RawItem(input_ref=ref, kind="text", body=text, ingested_at=INGESTED,
                       published_at=published, date_source="input" if published else None)
        article = cleaning.clean(item, cleaning.CleaningSettings(min_words=1))
        spans = next(nlp.entity_spans(ner, [article["text"]]))
        return entities.annotate(article, spans, gazetteer)

    return run


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
