import datetime as dt

from newsbeam.core import dates

UTC = dt.timezone.utc


def test_parse_datetime_forms_to_utc():
    assert dates.parse_datetime("2026-11-20T09:42:00+02:00") == dt.datetime(
        2026, 11, 20, 7, 42, tzinfo=UTC)
    assert dates.parse_datetime("Fri, 20 Nov 2026 09:42:00 +0200") == dt.datetime(
        2026, 11, 20, 7, 42, tzinfo=UTC)
    assert dates.parse_datetime("2026-11-20") == dt.datetime(2026, 11, 20, tzinfo=UTC)
    assert dates.parse_datetime(1795000000) == dt.datetime.fromtimestamp(1795000000, UTC)
    assert dates.parse_datetime("not a date") is None
    assert dates.parse_datetime("") is None


def test_future_and_ancient_publication_dates_are_refused():
    now = dt.datetime(2026, 11, 27, tzinfo=UTC)
    assert dates.plausible_publication(now + dt.timedelta(days=1), now) is None
    assert dates.plausible_publication(dt.datetime(1970, 1, 1, tzinfo=UTC), now) is None
    assert dates.plausible_publication(now, now) == now


def test_dateline_date_without_year_is_the_latest_past_such_day():
    now = dt.datetime(2026, 11, 27, tzinfo=UTC)
    assert dates.dateline_date("KANO, Nigeria, Nov 21 (Meridian) - A fire", now) == \
        dt.datetime(2026, 11, 21, tzinfo=UTC)
    assert dates.dateline_date("LIMA, Dec 30 (Wire) - Talks", now) == \
        dt.datetime(2025, 12, 30, tzinfo=UTC)
    assert dates.dateline_date("No date in this opening line at all.", now) is None


def test_day_in_sentence_resolves_weekdays_and_dates_against_publication():
    saturday = dt.date(2024, 12, 7)
    assert dates.day_in_sentence("Rebels seized Daraa on Saturday.", saturday) == saturday
    assert dates.day_in_sentence("They advanced late on Friday.", saturday) == \
        dt.date(2024, 12, 6)
    assert dates.day_in_sentence("The offensive began on November 27.", saturday) == \
        dt.date(2024, 11, 27)
    assert dates.day_in_sentence("Police said so yesterday.", saturday) == dt.date(2024, 12, 6)
    assert dates.day_in_sentence("Police made arrests.", saturday) is None


def test_background_clauses_are_long_past():
    november = dt.date(2026, 11, 20)
    for clause in ("Since the Taliban took over Kabul in August 2021",
                   "occupied the Falklands in April 1982", "bombed during the 1990s siege",
                   "in the 1990s", "arrested him in 2019", "13 years ago",
                   "since the war began", "on the anniversary of the massacre",
                   "Thirty years ago, extremists began", "twenty-five years ago"):
        assert dates.is_background(clause, november), clause
    for clause in ("attacked on November 3", "attacked in 2026", "since Tuesday",
                   "soldiers detained in September"):
        assert not dates.is_background(clause, november), clause
    assert dates.is_background("soldiers detained in September", november, months=True)
    assert not dates.is_background("protesters detained in November", november,
                                   months=True)


def test_spelled_out_day_counts_ago():
    saturday = dt.date(2024, 12, 7)
    assert dates.day_in_sentence("They fled twelve days ago.", saturday) == \
        dt.date(2024, 11, 25)
    assert dates.day_in_sentence("They fled twenty-one days ago.", saturday) == \
        dt.date(2024, 11, 16)
