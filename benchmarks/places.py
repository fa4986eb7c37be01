"""Place resolution and main-country accuracy on tests/data/places, and the speed of NER
plus resolution on one core.

    python -m benchmarks.places

Accuracy: the article's main country, and the share of annotated places (with
coordinates) that newsbeam resolves within 161 km of the truth, per kind of text
(international, local, ambiguous names); next to the plain "largest place with that
name" lookup over the same gazetteer. Speed: words per second of the NER model (only its
``ner`` component) plus newsbeam's entity and place resolution, over the bundled sample
articles, one process.
"""
from __future__ import annotations

import statistics
import time

from benchmarks.throughput import sample_articles
from newsbeam.core.language import entities, nlp
from newsbeam.core.language.gazetteer import Gazetteer, distance_km
from tests import devsets


def accuracy(ner, gazetteer) -> None:
    country, ours, truths = devsets.place_scores(ner, gazetteer)
    largest = {kind: [_largest_is_right(gazetteer, truth) for truth in kind_truths]
               for kind, kind_truths in truths.items()}
    print(f"{'texts':<14} {'n':>4} {'main country':>13} {'places':>7} {'<161 km':>8} "
          f"{'largest-name lookup':>20}")
    for kind in ("international", "local", "ambiguous"):
        print(f"{kind:<14} {len(country[kind]):>4} {statistics.mean(country[kind]):>13.1%} "
              f"{len(ours[kind]):>7} {statistics.mean(ours[kind]):>8.1%} "
              f"{statistics.mean(largest[kind]):>20.1%}")


def _largest_is_right(gazetteer, truth: dict) -> bool:
    """The baseline: the most populous place of the mention's name, within the distance."""
    biggest = max((p for p, _ in gazetteer.candidates(truth["mention"])
                   if p.latitude is not None), key=lambda p: p.population, default=None)
    return biggest is not None and distance_km(
        biggest.latitude, biggest.longitude, truth["latitude"],
        truth["longitude"]) <= devsets.PLACE_KM


def speed(ner, gazetteer, rounds: int = 5) -> None:
    articles = sample_articles()
    texts = [a["text"] for a in articles] * rounds
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for article, spans in zip(articles * rounds, nlp.entity_spans(ner, texts, batch_size=32)):
        entities.annotate(article, spans, gazetteer)
    seconds = time.perf_counter() - started
    print(f"\nNER + resolution: {len(texts)} articles, {words / len(texts):.0f} words each, "
          f"{words / seconds:,.0f} words/s on one core")


def main() -> None:
    started = time.perf_counter()
    gazetteer = Gazetteer()
    print(f"gazetteer: {len(gazetteer.places):,} places, loaded in "
          f"{time.perf_counter() - started:.1f} s")
    ner = nlp.load(nlp.DEFAULT_MODEL, "ner")
    accuracy(ner, gazetteer)
    speed(ner, gazetteer)


if __name__ == "__main__":
    main()
