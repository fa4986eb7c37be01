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


# --- what real news says, in sentences written for these tests (issue 16) -------------

import datetime as dt  # noqa: E402

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def code(annotate, coder):
    def run(text, published=MONDAY):
        return coder.code([annotate(text, published)])[0]
    return run


def kinds(rows):
    return sorted(r["event_type"] for r in rows)


@pytest.mark.parametrize("sentence,expected", [
    # plain acts the coder used to miss on real news
    ("The junta threatened to ban voting in three northern provinces.", ["THREATEN"]),
    ("The rebels again rejected a United Nations appeal for a truce.", ["REJECT"]),
    ("The teachers' union agreed to postpone the demonstration.", ["AGREE"]),
    ("Russian forces had completed their withdrawal from the town, the ministry said.",
     ["RETREAT"]),
    ("Two tanks fired four shells at the village of Kadisau on Sunday.", ["ASSAULT"]),
    # commitments: a cooperative act offered is an agreement, a hostile one a threat
    ("Norway has offered to hand over two suspects to Sweden, the minister said.",
     ["AGREE"]),
    ("The fishermen's union said it would blockade the port of Brest from Monday.",
     ["THREATEN"]),
    ("Japan will provide 5,000 tonnes of rice to flood victims in Sindh, the embassy said.",
     ["AGREE"]),
    ("The interior ministry announced that it is prepared to impose a curfew.",
     ["THREATEN"]),
    # a demand in reported speech
    ("The foreign minister said on Tuesday that Kenya must return the seized trawler.",
     ["REQUEST"]),
    # a protest made by doing something else, and its demand, are one protest
    ("Dockers stayed away from work on Monday to protest the new shift rules.",
     ["PROTEST"]),
    ("Thousands of nurses marched in Lima, calling for higher pay.", ["PROTEST"]),
    # an attempt on someone's life is an assault; armed craft of a side act for it
    ("The militants said they attempted to assassinate the provincial governor.",
     ["ASSAULT"]),
    ("Russian aircraft killed twelve villagers in an attack near Idlib.", ["ASSAULT"]),
    # a body meeting among itself consults nobody; "until ... are met" is not yet
    ("The cabinet met on Sunday and approved the budget.", []),
])
def test_real_news_phrasings(code, sentence, expected):
    assert kinds(code(sentence)) == expected


def test_what_did_not_happen_is_not_an_event(code):
    assert code("Police in Lagos said they had made no arrests.") == []
    assert "CONCEDE" not in kinds(code("The rebels said they would fight until their "
                                       "demands are met."))


def test_future_events_are_never_dated_in_the_past(code):
    rows = code("Those arrested would appear in court on Thursday, police said.")
    assert all(r["event_date"] >= MONDAY.date() for r in rows)


def test_a_deadline_does_not_date_the_agreement(code):
    rows = code("The ministry agreed to pay the October wages by Nov. 30, the union said.")
    assert [(r["event_type"], r["event_date"]) for r in rows] == [("AGREE", MONDAY.date())]


@pytest.mark.parametrize("sentence", [
    "Civilians have been killed in the valley over the past decade, the report said.",
    "Rebel fighters seized Aleppo and Hama earlier in the offensive that began on "
    "November 27.",
])
def test_background_is_not_an_event_of_the_day(code, sentence):
    assert not [r for r in code(sentence) if r["event_date"] == MONDAY.date()]


@pytest.mark.parametrize("sentence,actor,recipient", [
    ("The rebels advanced to the edge of the city of Homs on Sunday.", "rebels", "Homs"),
    ("The families demanded the immediate release of the fishermen.", "families",
     "fishermen"),
    ("Russia launched 56 drones at Ukraine overnight, the air force said.", "Russia",
     "Ukraine"),
])
def test_parties_are_agents_or_targets(code, sentence, actor, recipient):
    [row] = code(sentence)
    assert (row["actor"], row["recipient"]) == (actor, recipient)


def test_a_patron_is_not_the_party(code):
    [row] = code("The US-backed alliance captured the town of Raqqa on Friday.")
    assert row["actor"] == "US-backed alliance" and row["actor_country"] != "US"


def test_weapons_of_a_named_side_act_for_it(code):
    [row] = code("Ukrainian drones attacked an oil depot in the Bryansk region on Sunday.")
    assert row["event_type"] == "ASSAULT"
    assert row["actor"] and "Ukrainian" in row["actor"] and row["actor_sector"] == "military"


def test_leading_an_offensive_is_a_role_not_an_assault(code):
    assert kinds(code("The general, leading the offensive, said the army would hold "
                      "the line.")) == []


DRONE_STORY = (
    "KHERSON, Ukraine, Nov 23 (Wire) - Russian forces attacked the port of Kherson with "
    "drones overnight, damaging a warehouse, Ukrainian officials said on Monday.\n\n"
    "One dock worker was killed and four were injured, the regional administration said.\n\n"
    "Russia's defence ministry said its forces had struck military targets in the Kherson "
    "region.\n\n"
    "Ukrainian drones attacked an oil depot in Russia's Belgorod region overnight, Russian "
    "officials said.")


def test_reports_of_one_event_share_a_cluster(annotate, coder):
    """One attack told in three sentences is one event; the other side's attack on the
    same night elsewhere is another. Two outlets' copies of the story name the same
    events."""
    first = coder.code([annotate(DRONE_STORY, MONDAY, ref="a.txt")])[0]
    second = coder.code([annotate(DRONE_STORY.replace("(Wire)", "(Other Wire)"), MONDAY,
                                  ref="b.txt")])[0]
    assaults = [r for r in first if r["event_type"] == "ASSAULT"]
    assert len(assaults) >= 4
    assert len({r["cluster_id"] for r in assaults}) == 2
    assert {r["cluster_id"] for r in first} == {r["cluster_id"] for r in second}


def test_the_readme_query_counts_the_sample_drone_attack_once(annotate, coder):
    """The bundled Odesa story tells one night's drone attack in several sentences (the
    attack, the dead and injured, the drones launched, the ministry's version): the
    README's count(DISTINCT cluster_id) of ASSAULT events in Ukraine that day is one."""
    import pathlib

    from newsbeam import samples

    text = (pathlib.Path(samples.path()) / "articles" / "odesa-port-drone-strike.txt") \
        .read_text(encoding="utf-8")
    rows = coder.code([annotate(text, dt.datetime(2026, 11, 19, 8, 0,
                                                  tzinfo=dt.timezone.utc))])[0]
    attack = [r for r in rows if r["event_type"] == "ASSAULT" and r["region"] == "UA"]
    assert len(attack) >= 4
    assert len({(r["region"], r["event_date"], r["cluster_id"]) for r in attack}) == 1


def test_real_news_floors(annotate, coder):
    """On the PLOVER gold sentences of ../shared (when there), a few points below what
    the coder achieves (docs/events.md: recall 0.796, precision 0.810)."""
    from benchmarks import real_events

    if not real_events.PLOVER.exists():
        pytest.skip(f"{real_events.PLOVER} not here")
    gold = real_events.records()
    coded, parsed = real_events.code(gold, annotate, coder)
    recall, precision = real_events.recall_precision(real_events.score(gold, coded, parsed))
    assert recall >= 0.74 and precision >= 0.77


def test_weekdays_count_from_the_day_the_publisher_states(annotate, coder):
    """A page in UTC+7 published on Monday 23 November at 03:00 local time is Sunday in
    UTC: its "on Monday" is that Monday, the day the page states (published_date)."""
    annotated = annotate("Police arrested two men in Jakarta on Monday after a raid on "
                         "a warehouse.", dt.datetime(2026, 11, 22, 20, 0,
                                                     tzinfo=dt.timezone.utc))
    annotated.article["published_date"] = dt.date(2026, 11, 23)
    rows = coder.code([annotated])[0]
    assert "COERCE" in {r["event_type"] for r in rows}
    assert {r["event_date"] for r in rows} == {dt.date(2026, 11, 23)}
