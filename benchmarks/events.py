"""Event coding quality on tests/data/events, and what coding costs next to NER.

    python -m benchmarks.events
    python -m benchmarks.events --set tests/data/events/fresh.jsonl [--ids odd] [--show]

Each of the 350 sentences goes through the path an article takes (cleaning, spaCy NER,
place resolution against the offline gazetteer, with the sentence's publication day as
``published_at``) and then through the event coder. Figures are printed for the tuning
half (odd ids), the held-out half (even ids) and the whole set:

- per type: gold and coded events, matched events, precision, recall, F1. Within a
  sentence a coded event matches a gold event of the same type, one to one (when a type
  occurs twice, the pairing that agrees best on mode, recipient and actor is taken);
- micro precision, recall and F1 over all types;
- for matched events, the share whose mode, actor, recipient, location and date agree
  with the gold event (see ``agree_*`` below for what agreement means);
- "gold type among coded": the share of gold events whose type is among the types coded
  for their sentence; "coded carry gold": the share of coded events whose type is among
  the gold types of their sentence (the measures tests/test_event_quality.py holds);
- for the hard negatives (sentences without events), the share coded with any event, per
  category of the ``negative/<category>:`` note.

Then speed: sentences and words per second of the coder alone (candidate selection,
parsing and rules; no NER), next to NER plus place resolution of the same texts, and
the same on the bundled sample articles (the texts benchmarks/throughput.py uses), as
the share of NER + places + events time that coding takes; for a coder that has seen the
texts before (its part-of-speech and lemma cache warm) and for a new one (cold).

``--set PATH`` scores another file in the same format (for example the independent
``tests/data/events/fresh.jsonl``) as one set, without the halves and the timing;
``--ids odd`` or ``--ids even`` keeps only the sentences with odd or even ids, and
``--show`` lists each sentence whose coded types differ from its gold types.

``--record`` writes every row the coder codes on both sets to
``tests/data/events/recorded.jsonl``, which tests/test_events.py holds the coder to: run it
only after a change meant to code differently, and commit the new record on its own,
saying why.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import json
import os
import pathlib
import re
import time
import unicodedata
from typing import Callable, Optional

from tests import devsets

SENTENCES = pathlib.Path(devsets.DATA) / "events" / "sentences.jsonl"
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
         "ASSAULT")
# Modes of the lexicon that the dev set does not use (its README): scored as no mode.
UNUSED_MODES = frozenset(("investigate", "veto", "troops", "torture", "cleansing"))
ATTRIBUTES = ("mode", "actor", "recipient", "location", "date")


FRESH = pathlib.Path(devsets.DATA) / "events" / "fresh.jsonl"
# What the coder codes on both development sets, every column of every row: the record
# tests/test_events.py compares against, so a restructure that changes nothing is proven
# to change nothing. Rewritten on purpose (``--record``) after a change meant to recode.
RECORDED = pathlib.Path(devsets.DATA) / "events" / "recorded.jsonl"


def dev_sentences(path: Optional[os.PathLike] = None) -> list[dict]:
    path = pathlib.Path(path) if path else SENTENCES
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def number(sample: dict) -> int:
    return int(sample["id"].rsplit("-", 1)[1])


def tuning(samples: list[dict]) -> list[dict]:
    """The half the rules were tuned on: odd ids."""
    return [s for s in samples if number(s) % 2]


def held_out(samples: list[dict]) -> list[dict]:
    """The half kept for checking that changes generalise: even ids."""
    return [s for s in samples if not number(s) % 2]


def published_at(sample: dict) -> dt.datetime:
    day = dt.date.fromisoformat(sample["published"])
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone.utc)


@dataclasses.dataclass
class Result:
    sample: dict
    coded: list[dict]
    places: dict  # gold location text -> canonical names of the places it overlaps


def run_coder(samples: list[dict], annotate: Callable, coder) -> list[Result]:
    annotated = [annotate(s["text"], published_at(s), ref=f"{s['id']}.txt") for s in samples]
    coded = coder.code(annotated)
    results = []
    for sample, article, rows in zip(samples, annotated, coded):
        text = article.article["text"]
        places = {}
        for gold in sample["events"]:
            where = gold["location"]
            if where and where not in places:
                start = text.find(where)
                places[where] = {e["canonical_name"] for e in article.entities
                                 if start >= 0 and e["start_char"] < start + len(where)
                                 and e["end_char"] > start}
        results.append(Result(sample, rows, places))
    return results


# --- agreement of a coded event's attributes with the gold event's -------------------

_ARTICLES = re.compile(r"^(?:the|a|an)\s+")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore")
    return _ARTICLES.sub("", " ".join(text.decode().casefold().split()))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _norm(text))


def agree_party(gold: Optional[str], coded: Optional[str]) -> bool:
    """Both absent, or one text contains the other ("Gunmen" / "Gunmen on motorcycles",
    "Assad" / "Bashar al-Assad"), or the coded text holds the gold phrase's head word
    ("Fulani and Dogon militias" / "militias")."""
    if gold is None or coded is None:
        return gold is None and coded is None
    g, c = _norm(gold), _norm(coded)
    if not g or not c:
        return g == c
    return g in c or c in g or _words(gold)[-1:] == _words(coded)[-1:]


def agree_location(gold: Optional[str], coded: Optional[str], canonical: set) -> bool:
    """Both absent, or the coded place is the gazetteer's name for a place the gold text
    names, or one name contains the other ("Kherson" / "residential districts of
    Kherson" is not a location, but "Imphal West" / "Imphal" is)."""
    if gold is None or coded is None:
        return gold is None and coded is None
    if coded in canonical:
        return True
    g, c = _norm(gold), _norm(coded)
    return bool(g and c) and (g in c or c in g)


def agree_date(gold: Optional[str], coded: dict) -> bool:
    """A gold day: the coded event's date is that day. No gold day: the coder found no
    day in the text either (its date is the publication day, marked ``published``)."""
    if gold is None:
        return coded["date_source"] != "text"
    return coded["event_date"].isoformat() == gold


def agree_mode(gold: Optional[str], coded: Optional[str]) -> bool:
    return gold == (None if coded in UNUSED_MODES else coded)


def agreements(gold: dict, coded: dict, canonical: set) -> dict:
    return {"mode": agree_mode(gold["mode"], coded["event_mode"]),
            "actor": agree_party(gold["actor"], coded["actor"]),
            "recipient": agree_party(gold["recipient"], coded["recipient"]),
            "location": agree_location(gold["location"], coded["location"], canonical),
            "date": agree_date(gold["date"], coded)}


def match(result: Result) -> list[tuple[dict, dict]]:
    """(gold, coded) pairs of the same type, one to one, best agreement first."""
    candidates = []
    for gi, gold in enumerate(result.sample["events"]):
        for ci, coded in enumerate(result.coded):
            if coded["event_type"] != gold["type"]:
                continue
            found = agreements(gold, coded, result.places.get(gold["location"], set()))
            weight = (2 * found["mode"] + 2 * found["recipient"] + found["actor"]
                      + found["date"] + found["location"])
            candidates.append((-weight, gi, ci))
    used_gold, used_coded, pairs = set(), set(), []
    for _, gi, ci in sorted(candidates):
        if gi in used_gold or ci in used_coded:
            continue
        used_gold.add(gi)
        used_coded.add(ci)
        pairs.append((result.sample["events"][gi], result.coded[ci]))
    return pairs


def category(sample: dict) -> Optional[str]:
    note = sample.get("note") or ""
    return note.split(":", 1)[0].split("/", 1)[1] if note.startswith("negative/") else None


@dataclasses.dataclass
class Figures:
    sentences: int
    gold: collections.Counter
    coded: collections.Counter
    matched: collections.Counter
    attributes: dict  # attribute -> [agreeing, compared]
    dated: list  # [right, matched events with a gold day]
    gold_among_coded: list  # [gold events whose type was coded in the sentence, gold events]
    coded_carry_gold: list  # [coded events whose type is gold in the sentence, coded events]
    negatives: dict  # category -> [sentences coded with an event, sentences, events coded]

    def precision(self, kind: Optional[str] = None) -> float:
        coded = self.coded[kind] if kind else sum(self.coded.values())
        matched = self.matched[kind] if kind else sum(self.matched.values())
        return matched / coded if coded else 1.0

    def recall(self, kind: Optional[str] = None) -> float:
        gold = self.gold[kind] if kind else sum(self.gold.values())
        matched = self.matched[kind] if kind else sum(self.matched.values())
        return matched / gold if gold else 1.0

    def f1(self, kind: Optional[str] = None) -> float:
        return devsets.f1(self.precision(kind), self.recall(kind))

    def share(self, name: str) -> float:
        right, total = getattr(self, name) if name in ("dated", "gold_among_coded",
                                                       "coded_carry_gold") \
            else self.attributes[name]
        return right / total if total else 1.0

    def negative_rate(self, kind: Optional[str] = None) -> float:
        rows = [self.negatives[kind]] if kind else list(self.negatives.values())
        total = sum(r[1] for r in rows)
        return sum(r[0] for r in rows) / total if total else 0.0


def score(results: list[Result]) -> Figures:
    figures = Figures(len(results), collections.Counter(), collections.Counter(),
                      collections.Counter(), {a: [0, 0] for a in ATTRIBUTES}, [0, 0], [0, 0],
                      [0, 0], collections.defaultdict(lambda: [0, 0, 0]))
    for result in results:
        golds, coded = result.sample["events"], result.coded
        gold_types = {g["type"] for g in golds}
        coded_types = {c["event_type"] for c in coded}
        figures.gold.update(g["type"] for g in golds)
        figures.coded.update(c["event_type"] for c in coded)
        for gold, event in match(result):
            figures.matched[gold["type"]] += 1
            found = agreements(gold, event, result.places.get(gold["location"], set()))
            for name, agreed in found.items():
                figures.attributes[name][0] += agreed
                figures.attributes[name][1] += 1
            if gold["date"] is not None:
                figures.dated[0] += found["date"]
                figures.dated[1] += 1
        figures.gold_among_coded[0] += sum(g["type"] in coded_types for g in golds)
        figures.gold_among_coded[1] += len(golds)
        figures.coded_carry_gold[0] += sum(c["event_type"] in gold_types for c in coded)
        figures.coded_carry_gold[1] += len(coded)
        kind = category(result.sample)
        if kind is not None:
            row = figures.negatives[kind]
            row[0] += bool(coded)
            row[1] += 1
            row[2] += len(coded)
    return figures


def print_figures(name: str, figures: Figures) -> None:
    print(f"\n== {name}: {figures.sentences} sentences, {sum(figures.gold.values())} gold "
          f"events, {sum(figures.coded.values())} coded ==")
    print(f"{'type':<10} {'gold':>5} {'coded':>6} {'match':>6} {'prec':>6} {'recall':>7} "
          f"{'F1':>6}")
    for kind in TYPES:
        print(f"{kind:<10} {figures.gold[kind]:>5} {figures.coded[kind]:>6} "
              f"{figures.matched[kind]:>6} {figures.precision(kind):>6.2f} "
              f"{figures.recall(kind):>7.2f} {figures.f1(kind):>6.2f}")
    print(f"{'micro':<10} {sum(figures.gold.values()):>5} {sum(figures.coded.values()):>6} "
          f"{sum(figures.matched.values()):>6} {figures.precision():>6.3f} "
          f"{figures.recall():>7.3f} {figures.f1():>6.3f}")
    print("matched events agreeing with gold: " + ", ".join(
        f"{a} {figures.share(a):.1%}" for a in ATTRIBUTES)
        + f"; date right where gold has a day {figures.share('dated'):.1%} "
          f"(of {figures.dated[1]})")
    print(f"gold type among coded {figures.share('gold_among_coded'):.1%}, "
          f"coded carry gold {figures.share('coded_carry_gold'):.1%}")
    print(f"hard negatives coded as events: {figures.negative_rate():.1%} of "
          f"{sum(r[1] for r in figures.negatives.values())} (" + ", ".join(
              f"{k} {v[0]}/{v[1]}" for k, v in sorted(figures.negatives.items())) + ")")


def speed(annotate_texts: Callable, coder, texts: list[str], label: str,
          rounds: int = 3, fresh: Optional[Callable] = None) -> None:
    """NER + places, then coding alone, of the same texts; best of ``rounds``.

    The coder caches part-of-speech and lemma output per (word, tag, label), so a coder
    that has seen text before is faster than a new one: ``fresh`` (a factory of new
    coders) adds the cold-cache figure, each round with a new coder."""
    from newsbeam.core.events.coder import candidate_sentences

    words = sum(len(t.split()) for t in texts)
    best_ner = best_code = best_cold = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        annotated = annotate_texts(texts)
        best_ner = min(best_ner, time.perf_counter() - started)
        started = time.perf_counter()
        coder.code(annotated)
        best_code = min(best_code, time.perf_counter() - started)
        if fresh is not None:
            cold = fresh()
            started = time.perf_counter()
            cold.code(annotated)
            best_cold = min(best_cold, time.perf_counter() - started)
    sentences = sum(1 for a in annotated for _ in candidate_sentences(a.article["text"]))
    print(f"{label}: {len(texts)} texts, {words} words, {sentences} sentences parsed for "
          f"events; coder {len(texts) / best_code:,.0f} texts/s, {words / best_code:,.0f} "
          f"words/s; NER + places {words / best_ner:,.0f} words/s; coding is "
          f"{best_code / (best_code + best_ner):.0%} of NER + places + events time")
    if fresh is not None:
        print(f"{label}, new coder each round (cold cache): coder "
              f"{words / best_cold:,.0f} words/s; coding is "
              f"{best_cold / (best_cold + best_ner):.0%} of NER + places + events time")


def recorded_rows(annotate: Callable, coder) -> list[dict]:
    """Per sentence of both development sets: its id and its coded rows, every column
    (dates as ISO text), as ``--record`` writes them to RECORDED."""
    samples = dev_sentences() + dev_sentences(FRESH)
    out = []
    for result in run_coder(samples, annotate, coder):
        rows = [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
                for row in result.coded]
        out.append({"id": result.sample["id"], "events": rows})
    return out


def record(path: os.PathLike = RECORDED) -> None:
    from newsbeam.core.language import nlp
    from newsbeam.core.events.coder import EventCoder
    from newsbeam.core.language.gazetteer import Gazetteer

    annotate = devsets.annotator(nlp.load(nlp.DEFAULT_MODEL, "ner"), Gazetteer())
    rows = recorded_rows(annotate, EventCoder(nlp.load(nlp.DEFAULT_MODEL, "parse")))
    pathlib.Path(path).write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True)
                                          + "\n" for r in rows), encoding="utf-8")
    print(f"recorded {sum(len(r['events']) for r in rows)} events of {len(rows)} sentences "
          f"in {path}")


def show_differences(results: list[Result]) -> None:
    """Each sentence whose coded types are not its gold types: id, gold, coded, text."""
    for result in results:
        gold = collections.Counter(g["type"] for g in result.sample["events"])
        coded = collections.Counter(c["event_type"] for c in result.coded)
        if gold != coded:
            print(f"{result.sample['id']}: gold {dict(gold)} coded {dict(coded)}\n    "
                  f"{result.sample['text']}")


def score_file(path: str, ids: str, show: bool) -> None:
    from newsbeam.core.language import nlp
    from newsbeam.core.events.coder import EventCoder
    from newsbeam.core.language.gazetteer import Gazetteer

    samples = dev_sentences(path)
    if ids != "all":
        samples = (tuning if ids == "odd" else held_out)(samples)
    annotate = devsets.annotator(nlp.load(nlp.DEFAULT_MODEL, "ner"), Gazetteer())
    results = run_coder(samples, annotate, EventCoder(nlp.load(nlp.DEFAULT_MODEL, "parse")))
    if show:
        show_differences(results)
    print_figures(f"{path} ({ids} ids)", score(results))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--set", dest="path", help="score this jsonl file only (no timing)")
    parser.add_argument("--ids", choices=("all", "odd", "even"), default="all")
    parser.add_argument("--show", action="store_true", help="list sentences coded wrong")
    parser.add_argument("--record", action="store_true",
                        help=f"write what the coder codes on both sets to {RECORDED}")
    args = parser.parse_args()
    if args.record:
        record()
        return
    if args.path:
        score_file(args.path, args.ids, args.show)
        return

    from newsbeam.core.language import entities, nlp
    from newsbeam.core.events.coder import EventCoder
    from newsbeam.core.language.gazetteer import Gazetteer

    from benchmarks.throughput import sample_articles

    gazetteer = Gazetteer()
    ner = nlp.load(nlp.DEFAULT_MODEL, "ner")
    parser = nlp.load(nlp.DEFAULT_MODEL, "parse")
    coder = EventCoder(parser)
    annotate = devsets.annotator(ner, gazetteer)
    samples = dev_sentences()
    results = run_coder(samples, annotate, coder)
    by_id = {r.sample["id"]: r for r in results}
    for name, part in (("tuning half (odd ids)", tuning(samples)),
                       ("held-out half (even ids)", held_out(samples)),
                       ("whole set", samples)):
        print_figures(name, score([by_id[s["id"]] for s in part]))

    print()
    articles = {s["id"]: annotate(s["text"], published_at(s)).article for s in samples}
    sample_rows = sample_articles()

    def annotate_texts(rows):
        def run(_texts):
            spans = nlp.entity_spans(ner, [r["text"] for r in rows], batch_size=32)
            return [entities.annotate(r, s, gazetteer) for r, s in zip(rows, spans)]
        return run

    dev_rows = [articles[s["id"]] for s in samples]
    speed(annotate_texts(dev_rows), coder, [r["text"] for r in dev_rows], "dev set",
          fresh=lambda: EventCoder(parser))
    speed(annotate_texts(sample_rows * 5), coder, [r["text"] for r in sample_rows * 5],
          "sample articles x5", fresh=lambda: EventCoder(parser))
    speed(annotate_texts(sample_rows), coder, [r["text"] for r in sample_rows],
          "sample articles x1", fresh=lambda: EventCoder(parser))


if __name__ == "__main__":
    main()
