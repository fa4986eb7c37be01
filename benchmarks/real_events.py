"""Event coding on real news: PLOVER gold sentences, next to our own development sets.

    python -m benchmarks.real_events [--show]

Reads ``../shared/realdata/events/plover_gsr_dev.jsonl`` (news sentences coded in PLOVER
by others; see that folder's README) when it is there, and says so when it is not. Each
sentence goes through the path an article takes (cleaning, spaCy NER, place resolution,
the coder), published on the record's ``date``. The set's older type names are read as
PLOVER's: DEMAND = REQUEST, DISAPPROVE = ACCUSE, FIGHT = ASSAULT, INVESTIGATE = ACCUSE;
DOCUMENT and empty mean no event. Printed, as the README defines them:

- recall: the share of sentences with a gold event whose type is among the coded types;
- precision: the share of coded events whose type is the sentence's gold type;
- per type: gold sentences and their recall, coded events and their precision;
- the misses by cause: the sentence was not parsed (no word of the lexicon), parsed but
  nothing coded, or only other types coded;

then the same two measures on tests/data/events (sentences.jsonl and fresh.jsonl).
``--show`` lists each sentence missed or coded with another type, with what was coded
(on the terminal only: the sentences belong to their publishers and are never copied into
the repository).
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import pathlib

from benchmarks import events as bench
from tests import devsets

PLOVER = pathlib.Path(__file__).resolve().parents[2] / "shared" / "realdata" / "events" / \
    "plover_gsr_dev.jsonl"
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT",
             "INVESTIGATE": "ACCUSE"}
NO_EVENT = ("", "DOCUMENT", None)


def gold_type(record: dict):
    kind = record.get("event")
    return None if kind in NO_EVENT else OLD_NAMES.get(kind, kind)


def published(record: dict) -> dt.datetime:
    day = dt.date.fromisoformat(record["date"])
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.timezone.utc)


def score(records: list[dict], coded: list[list[dict]], parsed: list[bool]) -> dict:
    gold_n, found = collections.Counter(), collections.Counter()
    coded_n, right = collections.Counter(), collections.Counter()
    causes = collections.Counter()
    for record, rows, was_parsed in zip(records, coded, parsed):
        gold = gold_type(record)
        types = {r["event_type"] for r in rows}
        for row in rows:
            coded_n[row["event_type"]] += 1
            right[row["event_type"]] += row["event_type"] == gold
        if gold is None:
            continue
        gold_n[gold] += 1
        if gold in types:
            found[gold] += 1
        elif not was_parsed:
            causes["not parsed (no lexicon word)"] += 1
        elif not rows:
            causes["parsed, nothing coded"] += 1
        else:
            causes["other types coded"] += 1
    return {"gold": gold_n, "found": found, "coded": coded_n, "right": right,
            "causes": causes}


def records() -> list[dict]:
    return [json.loads(line) for line in PLOVER.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def code(records: list[dict], annotate, coder) -> tuple[list[list[dict]], list[bool]]:
    """Each record's coded rows, and whether its sentence was parsed at all."""
    from newsbeam.core.events.coder import candidate_sentences

    annotated = [annotate(r["text"], published(r), ref=f"{r['id']}.txt") for r in records]
    parsed = [bool(candidate_sentences(a.article["text"])) for a in annotated]
    return coder.code(annotated), parsed


def recall_precision(figures: dict) -> tuple[float, float]:
    coded = sum(figures["coded"].values())
    return (sum(figures["found"].values()) / sum(figures["gold"].values()),
            sum(figures["right"].values()) / coded if coded else 1.0)


def print_score(figures: dict) -> None:
    gold, found = sum(figures["gold"].values()), sum(figures["found"].values())
    coded, right = sum(figures["coded"].values()), sum(figures["right"].values())
    print(f"recall {found / gold:.3f} ({found}/{gold} gold sentences), precision "
          f"{right / coded if coded else 1:.3f} ({right}/{coded} coded events)")
    print(f"{'type':<10} {'gold':>5} {'recall':>7} {'coded':>6} {'prec':>6}")
    for kind in bench.TYPES:
        g, c = figures["gold"][kind], figures["coded"][kind]
        print(f"{kind:<10} {g:>5} {figures['found'][kind] / g if g else float('nan'):>7.2f} "
              f"{c:>6} {figures['right'][kind] / c if c else float('nan'):>6.2f}")
    print("misses by cause: " + ", ".join(f"{k} {v}" for k, v in
                                          figures["causes"].most_common()))


def main() -> None:
    import argparse

    from newsbeam.core.events.coder import EventCoder
    from newsbeam.core.language import nlp
    from newsbeam.core.language.gazetteer import Gazetteer

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--show", action="store_true", help="list the missed sentences")
    args = parser.parse_args()
    annotate = devsets.annotator(nlp.load(nlp.DEFAULT_MODEL, "ner"), Gazetteer())
    coder = EventCoder(nlp.load(nlp.DEFAULT_MODEL, "parse"))
    if not PLOVER.exists():
        print(f"{PLOVER} not found: the real-data figures are skipped")
    else:
        gold = records()
        coded, parsed = code(gold, annotate, coder)
        print(f"== PLOVER gold sentences ({PLOVER.name}): {len(gold)} ==")
        print_score(score(gold, coded, parsed))
        if args.show:
            for record, rows in zip(gold, coded):
                kind = gold_type(record)
                wrong = [(r["event_type"], r["trigger"]) for r in rows if r["event_type"] != kind]
                if kind not in {r["event_type"] for r in rows} or wrong:
                    print(f"- gold {kind} ({record['eventText']!r}), coded "
                          f"{[(r['event_type'], r['trigger']) for r in rows]}: {record['text']}")
    for path in (bench.SENTENCES, bench.FRESH):
        figures = bench.score(bench.run_coder(bench.dev_sentences(path), annotate, coder))
        print(f"== {path.name}: gold type among coded "
              f"{figures.share('gold_among_coded'):.1%}, coded carry gold "
              f"{figures.share('coded_carry_gold'):.1%}, hard negatives coded "
              f"{figures.negative_rate():.1%} ==")


if __name__ == "__main__":
    main()
