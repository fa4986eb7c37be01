"""Records that travel between stages before they become table rows."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Iterator, NamedTuple, Optional

from newsbeam.schemas import ARTICLES, ENTITIES, EVENTS, REJECTS


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclasses.dataclass
class RawItem:
    """One input item as read: a page, a feed entry, a text, a JSONL line.

    ``body`` is decoded text; ``kind`` says how to clean it: ``page`` (a whole HTML
    document), ``fragment`` (an HTML snippet, e.g. a feed entry's content) or ``text``.
    A feed entry names the page to fetch in ``fetch_url``; once fetched, ``body`` is
    the page and ``entry_body`` keeps the entry's own content to fall back on, or
    ``fetch_failure`` says why there is no page.
    """

    input_ref: str
    kind: str
    body: str
    ingested_at: dt.datetime
    url: Optional[str] = None  # the item's own URL, else a file:// URI for where it was read
    external_id: Optional[str] = None
    title: Optional[str] = None
    authors: list = dataclasses.field(default_factory=list)
    published_at: Optional[dt.datetime] = None
    date_source: Optional[str] = None  # where published_at came from: feed, input, ...
    source: Optional[str] = None
    feed_url: Optional[str] = None
    language: Optional[str] = None
    captured_at: Optional[dt.datetime] = None  # when a crawler fetched it (WARC-Date)
    categories: list = dataclasses.field(default_factory=list)
    fetch_url: Optional[str] = None
    entry_body: Optional[str] = None
    fetch_failure: Optional[tuple] = None  # (reason, detail)

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                setattr(self, field.name, without_surrogates(value))
            elif isinstance(value, (list, tuple)):
                setattr(self, field.name, type(value)(
                    without_surrogates(v) if isinstance(v, str) else v for v in value))


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate (a JSON ``\\ud83d`` escape without its pair, a
    file name's undecodable byte) replaced by U+FFFD: UTF-8 cannot encode them, so Beam's
    coders and the Parquet writer would fail on them. Split pairs are joined."""
    if text.isascii():  # constant time
        return text
    try:
        text.encode("utf-8")  # about 1 ns a character: the clean case stays cheap
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


@dataclasses.dataclass
class AnnotatedArticle:
    """An article row with its entity rows and, once coded, its event rows."""

    article: dict
    entities: list  # entity rows, in text order
    events: list = dataclasses.field(default_factory=list)

    def table_rows(self) -> Iterator[tuple[str, dict]]:
        """(table name, row) of everything the article adds to the output tables."""
        yield ARTICLES.name, self.article
        for row in self.entities:
            yield ENTITIES.name, row
        for row in self.events:
            yield EVENTS.name, row


class Found(NamedTuple):
    """One thing found reading an input: an item (``value`` a RawItem) or a reject (a
    rejects row), each one item read; or, not items, a feed an OPML list names (an
    InputFile) or a WARC record that holds no article (why, e.g. ``redirect``)."""

    kind: str  # ITEM, REJECT, LISTED_FEED or SKIPPED
    value: Any


ITEM, REJECT, LISTED_FEED, SKIPPED = "item", "reject", "listed_feed", "skipped"


def rejected(input_ref: str, stage: str, reason: str, detail: str,
             ingested_at: dt.datetime) -> Found:
    """A reject found reading an input."""
    return Found(REJECT, reject_row(input_ref, stage, reason, detail, ingested_at))


class Rejected(Exception):
    """Raised by stage logic when an item cannot become an article."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def reject_row(input_ref: str, stage: str, reason: str, detail: str,
               ingested_at: dt.datetime) -> dict:
    """A rejects-table row; partitioned by ingestion date."""
    return REJECTS.row(input_ref=without_surrogates(input_ref), stage=stage, reason=reason,
                       detail=without_surrogates(detail[:2000]), ingested_at=ingested_at,
                       date=ingested_at.date().isoformat())
