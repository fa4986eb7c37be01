"""Which real event a row reports: rows of one event share a ``cluster_id``."""
from __future__ import annotations

from .. import text as textlib


def cluster_id(row: dict) -> str:
    """The real event a row reports: its type and day, the city-level place, who acted
    (by sector, else country, else name) and the recipient's sector. Rows placed only
    by country are clustered within their article alone: a country is too large to say
    that two reports are one event."""
    place = str(row["geonames_id"]) if row["latitude"] is not None else \
        f"{row['region']}:{row['article_id']}"

    def who(sector, country, name):
        return sector or country or (name or "").casefold()

    return textlib.stable_id(
        "event", row["event_type"], row["event_date"].isoformat(), place,
        who(row["actor_sector"], row["actor_country"], row["actor"]),
        row["recipient_sector"] or "")
