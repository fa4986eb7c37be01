"""Places on real news: GeoWebNews (``../shared/realdata/places/GWN.xml``), end to end.

    python -m benchmarks.real_places

Each article's text goes through the pipeline's NER model (its ``ner`` component) and
newsbeam's entity and place resolution, as in a run. Over the gold toponyms that have
coordinates:

- accuracy@161km: the share for which an entity row overlapping the gold span (any
  overlap: "Kabul" inside the gold "Kabul province" counts, and the reverse) carries
  coordinates within 161 km of the gold point; a mention found without coordinates, or
  not found, is a miss;
- found: the share with an overlapping entity row that has a country code (a place,
  with or without coordinates, or a nationality).

Figures are printed overall and by the set's annotation type (Literal, Metonymic,
Non_Literal_Modifier for "Turkish", ...), with the misses by cause: not found by NER or
resolution, found without coordinates (nationality words carry none by design), wrong
place, and the same place (GeoNames id) at a point more than 161 km from GeoNames' own
(the points of countries and regions come from another source than GeoNames). Also: the
entity rows given coordinates where the set marks no place (false places), and the article's
main country against the country most of its gold places lie in (the set gives none). The
data are not in the repository; without them the benchmark says so and stops.
"""
from __future__ import annotations

import collections
import pathlib
import sys
import time
import xml.etree.ElementTree as ET

from newsbeam.core.language import entities, nlp
from newsbeam.core.language.gazetteer import Gazetteer, distance_km
from tests import devsets

GWN = pathlib.Path(__file__).resolve().parents[2] / "shared" / "realdata" / "places" / "GWN.xml"
PLACE_KM = devsets.PLACE_KM


def gold_articles(path: pathlib.Path = GWN) -> list[dict]:
    """Articles with their gold toponyms (those with coordinates)."""
    articles = []
    for number, node in enumerate(ET.parse(path).getroot().findall("article")):
        toponyms = []
        for t in node.find("toponyms"):
            fields = {child.tag: child.text for child in t}
            if fields.get("latitude"):
                toponyms.append({"name": fields["extractedName"], "type": fields["type"],
                                 "geonames_id": int(fields.get("geonamesID") or 0),
                                 "start": int(fields["start"]), "end": int(fields["end"]),
                                 "latitude": float(fields["latitude"]),
                                 "longitude": float(fields["longitude"])})
        articles.append({"id": str(number), "text": node.findtext("text") or "",
                         "toponyms": toponyms})
    return articles


def marked_spans(path: pathlib.Path = GWN) -> list[list[tuple[int, int]]]:
    """Each article's toponym spans, with coordinates or not: what the set marks a place."""
    return [[(int(t.findtext("start")), int(t.findtext("end"))) for t in node.find("toponyms")]
            for node in ET.parse(path).getroot().findall("article")]


def judge(gold: dict, rows: list[dict]) -> str:
    """right, wrong place, same place (the place meant, at another point: the points of
    countries and regions are not GeoNames'), no coordinates, or not found."""
    overlapping = [r for r in rows if r["start_char"] < gold["end"]
                   and r["end_char"] > gold["start"]]
    placed = [r for r in overlapping if r["latitude"] is not None]
    if placed:
        r = placed[0]
        near = distance_km(r["latitude"], r["longitude"], gold["latitude"],
                           gold["longitude"]) <= PLACE_KM
        if near:
            return "right"
        return "same place" if r["geonames_id"] == gold["geonames_id"] else "wrong place"
    if any(r["country_code"] or r["geonames_id"] for r in overlapping):
        return "no coordinates"
    return "not found"


def evaluate(ner, gazetteer, articles: list[dict], marked: list[list[tuple[int, int]]]
             ) -> tuple[dict, list, float, list, tuple[int, int]]:
    """Outcomes by annotation type, the misses (type, outcome, gold, rows), words/s, the
    rows given coordinates where the set marks no place, and the main-country agreement
    (agreeing, articles with a gold country)."""
    outcomes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    misses = []
    words = sum(len(a["text"].split()) for a in articles)
    started = time.perf_counter()
    annotated = [entities.annotate({"article_id": a["id"], "text": a["text"],
                                    "date": "2018-01-01"}, spans, gazetteer)
                 for a, spans in zip(articles, nlp.entity_spans(ner, (a["text"] for a in
                                                                      articles)))]
    speed = words / (time.perf_counter() - started)
    unmarked = [row for result, spans in zip(annotated, marked) for row in result.entities
                if row["latitude"] is not None and not any(
                    s < row["end_char"] and e > row["start_char"] for s, e in spans)]
    for article, result in zip(articles, annotated):
        for gold in article["toponyms"]:
            outcome = judge(gold, result.entities)
            outcomes[gold["type"]][outcome] += 1
            if outcome != "right":
                near = [r for r in result.entities if r["start_char"] < gold["end"]
                        and r["end_char"] > gold["start"]]
                misses.append((gold["type"], outcome, gold, near))
    return outcomes, misses, speed, unmarked, main_countries(gazetteer, articles, annotated)


# The gold types that name where a story is (not "Turkish", not "the Turkish market").
_WHERE = ("Literal", "Mixed", "Metonymic", "Literal_Modifier")


def main_countries(gazetteer, articles: list[dict], annotated: list) -> tuple[int, int]:
    """The set gives no main country; the country most of an article's gold places lie in
    (their GeoNames ids' countries in the gazetteer; any of them on a tie) stands for it.
    (articles whose main country agrees, articles with such a country)."""
    country_of = {}
    for place in gazetteer.places:
        if place.geonames_id and place.country_code:
            country_of.setdefault(place.geonames_id, place.country_code)
    agree = total = 0
    for article, result in zip(articles, annotated):
        counts = collections.Counter(country_of[t["geonames_id"]] for t in article["toponyms"]
                                     if t["type"] in _WHERE and t["geonames_id"] in country_of)
        if counts:
            top = max(counts.values())
            total += 1
            agree += counts.get(result.article["country_code"]) == top
    return agree, total


def report(outcomes: dict, misses: list, speed: float, unmarked: list,
           countries: tuple[int, int], show: int = 0) -> None:
    print(f"{'annotation type':<22} {'n':>5} {'acc@161km':>10} {'found':>7} "
          f"{'not found':>10} {'no coords':>10} {'wrong':>6} {'same place':>11} "
          f"{'acc, same place right':>22}")
    total: collections.Counter = collections.Counter()
    for kind in sorted(outcomes, key=lambda k: -sum(outcomes[k].values())):
        counts = outcomes[kind]
        total.update(counts)
        _line(kind, counts)
    _line("all", total)
    kinds = collections.Counter(row["place_kind"] for row in unmarked)
    print(f"\nrows with coordinates where the set marks no place: {len(unmarked)} "
          f"({', '.join(f'{k} {n}' for k, n in kinds.most_common())})")
    agree, total = countries
    print(f"article main country, the country most of its gold places lie in: "
          f"{agree / total:.1%} of {total} articles")
    print(f"NER + resolution: {speed:,.0f} words/s on one core (shared machine)")
    if show:
        print(f"\nfirst {show} Literal misses:")
        for kind, outcome, gold, near in [m for m in misses if m[0] == "Literal"][:show]:
            found = "; ".join(f"{r['text']}/{r['label']} -> {r['canonical_name']} "
                              f"{r['country_code']} {r['latitude']}" for r in near)
            print(f"  {outcome:<15} {gold['name']!r:<28} {found}")


def _line(kind: str, counts: collections.Counter) -> None:
    n = sum(counts.values())
    found = n - counts["not found"]
    print(f"{kind:<22} {n:>5} {counts['right'] / n:>10.1%} {found / n:>7.1%} "
          f"{counts['not found']:>10} {counts['no coordinates']:>10} "
          f"{counts['wrong place']:>6} {counts['same place']:>11} "
          f"{(counts['right'] + counts['same place']) / n:>22.1%}")


def main() -> None:
    if not GWN.exists():
        print(f"GeoWebNews not found at {GWN}: nothing to measure")
        return
    gazetteer = Gazetteer()
    ner = nlp.load(nlp.DEFAULT_MODEL, "ner")
    articles = gold_articles()
    print(f"GeoWebNews: {len(articles)} articles, "
          f"{sum(len(a['toponyms']) for a in articles)} gold toponyms with coordinates "
          f"(read from {GWN})\n")
    show = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    report(*evaluate(ner, gazetteer, articles, marked_spans()), show=show)


if __name__ == "__main__":
    main()
