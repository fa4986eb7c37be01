"""Event coding quality on the 350-sentence development set (tests/data/events) and on
the independent 190-sentence fresh set (tests/data/events/fresh.jsonl).

Scored by the same code as ``benchmarks/events.py`` (imported from it), through the real
cleaning, NER, gazetteer and parser. The floors sit a few points below what the coder
achieves (see docs/events.md for the figures), so a change that loses events or codes
what did not happen fails here.
"""
from __future__ import annotations

import pytest

from benchmarks import events as bench

# Floors for the fresh set, a few points below what the coder achieves (docs/events.md).
FRESH_GOLD_AMONG_CODED = 0.93
FRESH_CODED_CARRY_GOLD = 0.95
FRESH_NEGATIVES_CODED = 0.10
FRESH_MIN_TYPE_RECALL = 0.75


@pytest.fixture(scope="module")
def figures(annotate, coder):
    samples = bench.dev_sentences()
    results = bench.run_coder(samples, annotate, coder)
    by_id = {r.sample["id"]: r for r in results}
    return {"whole": bench.score(results),
            "tuning": bench.score([by_id[s["id"]] for s in bench.tuning(samples)]),
            "held_out": bench.score([by_id[s["id"]] for s in bench.held_out(samples)])}


@pytest.fixture(scope="module")
def fresh(annotate, coder):
    return bench.score(bench.run_coder(bench.dev_sentences(bench.FRESH), annotate, coder))


def test_gold_type_is_among_the_coded_types(figures):
    assert figures["whole"].share("gold_among_coded") >= 0.82
    assert figures["held_out"].share("gold_among_coded") >= 0.74


def test_coded_events_carry_a_gold_type(figures):
    assert figures["whole"].share("coded_carry_gold") >= 0.89
    assert figures["held_out"].share("coded_carry_gold") >= 0.83


def test_hard_negatives_are_rarely_coded(figures):
    assert figures["whole"].negative_rate() <= 0.09
    for kind in ("negated", "future", "question", "hypothetical", "sports", "business",
                 "natural-disaster", "celebratory-fire"):
        coded, total, _ = figures["whole"].negatives[kind]
        assert coded <= max(1, total // 5), kind


def test_dates_are_right_where_gold_has_a_day(figures):
    assert figures["whole"].share("dated") >= 0.95


def test_every_type_is_found(figures):
    whole = figures["whole"]
    missing = [kind for kind in bench.TYPES if whole.recall(kind) == 0]
    assert not missing
    assert whole.precision() >= 0.83 and whole.recall() >= 0.77


def test_fresh_set_gold_type_is_among_the_coded_types(fresh):
    assert fresh.share("gold_among_coded") >= FRESH_GOLD_AMONG_CODED


def test_fresh_set_coded_events_carry_a_gold_type(fresh):
    assert fresh.share("coded_carry_gold") >= FRESH_CODED_CARRY_GOLD


def test_fresh_set_hard_negatives_are_rarely_coded(fresh):
    assert fresh.negative_rate() <= FRESH_NEGATIVES_CODED


def test_fresh_set_every_type_is_found(fresh):
    assert min(fresh.recall(kind) for kind in bench.TYPES) >= FRESH_MIN_TYPE_RECALL
    assert fresh.precision() >= 0.90 and fresh.recall() >= 0.90
