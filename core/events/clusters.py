"""Which real event a row reports: rows of one event share a ``cluster_id``.

An article tells one event in several sentences, each with what it knows: "Russian forces
attacked the port of Odesa" (actor, city), "one port worker was killed" (no actor, placed
only by the article's country), "its forces had struck military infrastructure in the
Odesa region". Within an article, rows of the same type join one event when their days,
places and actors are compatible (the same day, or one that names no day of its own and
then takes the other's; the same city, or one placed only by the country the other's
city lies in; no two different countries or sectors for the actor), choosing the most
specific row to name it. Across articles, the name (type, day, city-level place,
actor side) is the same for reports that agree on those.
"""
from __future__ import annotations

from typing import Optional

from .. import text as textlib
from ..language.gazetteer import SUBNATIONAL_KINDS


def _city(row: dict) -> Optional[str]:
    """The place within a country of a row (city or region), or None when it is placed
    only by its country."""
    return str(row["geonames_id"]) if row["location_kind"] in SUBNATIONAL_KINDS else None


def _side(row: dict) -> str:
    """Who acted, as far as reports agree on it: the actor's country, else its sector."""
    return row["actor_country"] or row["actor_sector"] or ""


def cluster_id(row: dict) -> str:
    """The real event a row reports: its type and day, the city-level place and who
    acted (country, else sector). Rows placed only by country are clustered within
    their article alone: a country is too large to say that two reports are one event."""
    place = _city(row) or f"{row['region']}:{row['article_id']}"
    return textlib.stable_id("event", row["event_type"], row["event_date"].isoformat(),
                             place, _side(row))


def _compatible(row: dict, other: dict) -> bool:
    if row["event_type"] != other["event_type"] or row["region"] != other["region"]:
        return False
    if row["event_date"] != other["event_date"] and \
            "text" == row["date_source"] == other["date_source"]:
        return False  # two days the text names: two events
    cities = _city(row), _city(other)
    if None not in cities and cities[0] != cities[1] and \
            row["location"] != other["location"]:
        return False  # two cities: two events
    for column in ("actor_country", "actor_sector"):
        if row[column] and other[column] and row[column] != other[column]:
            return False
    return True


def _specificity(row: dict) -> tuple:
    return (row["date_source"] == "text", _city(row) is not None, bool(row["actor_country"]), bool(row["actor_sector"]),
            -row["start_char"])


def join_reports(rows: list[dict]) -> list[dict]:
    """One article's rows, those reporting one event given that event's ``cluster_id``
    (named after its most specific report). Rows are joined to the earliest compatible
    event; a row compatible with two events that are not compatible with each other
    stays on its own."""
    events: list[list[dict]] = []
    for row in rows:
        fits = [event for event in events if all(_compatible(row, r) for r in event)]
        if len(fits) == 1:
            fits[0].append(row)
        else:
            events.append([row])
    for event in events:
        best = max(event, key=_specificity)
        name = cluster_id(best)
        for row in event:
            row["cluster_id"] = name
            if best["date_source"] == "text" and row["date_source"] != "text":
                # "The attackers struck the checkpoint at around 4 a.m.": the day of
                # the attack the article has already named
                row.update(event_date=best["event_date"], date=best["date"],
                           date_source="text")
    return rows
