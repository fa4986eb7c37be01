"""Input files to raw items: feeds, HTML pages, plain text, JSON Lines.

``read_document(ref, data, ...)`` turns the bytes of one input file into
``RawItem``s and reject rows; it never raises for bad content.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
from typing import Iterator, NamedTuple, Optional, Union
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import feedparser

from . import dates
from .compression import decompress
from .decoding import decode
from .records import RawItem, Rejected, reject_row
from .urls import domain, is_web_url

COMPRESSION_SUFFIXES = (".gz", ".bz2")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
FORMATS = {
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".feed": "feed",
    ".xml": "sniff",
    ".html": "page", ".htm": "page", ".xhtml": "page", ".shtml": "page",
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".opml": "opml",
    ".warc": "warc",
}
def _root_format(data: bytes) -> Optional[str]:
    """``feed`` or ``opml`` when the document's root element says so, whatever the
    file is called; None otherwise."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    while head.startswith((b"<?", b"<!")):  # XML declaration, comments, doctype
        end = head.find(b"-->") + 3 if head.startswith(b"<!--") else head.find(b">") + 1
        if end <= 0:
            return None
        head = head[end:].lstrip()
    match = _ROOT.match(head)
    if not match:
        return None
    return "opml" if match.group(1).lower() == b"opml" else "feed"


# feedparser reports these but reads the feed completely.
_BENIGN_FEED_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|RDF|opml)[\s>]", re.IGNORECASE)



class InputFile(NamedTuple):
    """A file or URL to read; ``format`` overrides what its name announces (``--feeds``)."""

    path: str
    format: Optional[str] = None


# What reading a file gives: items, reject rows, and the feeds an OPML file lists.
Output = Union[RawItem, dict, InputFile]


def format_of(path: str) -> Optional[str]:
    """The input format a path's name announces (compression suffix ignored), or None."""
    if "://" in path:
        path = urlsplit(path).path
    name = posixpath.basename(path.rstrip("/")).lower()
    for suffix in COMPRESSION_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return FORMATS.get(os.path.splitext(name)[1])


def file_url(ref: str) -> str:
    """A URL for an input path: itself for URLs, a file:// URI for local paths."""
    if "://" in ref:
        return ref
    return "file://" + os.path.abspath(ref)


def read_document(ref: str, data: bytes, ingested_at: dt.datetime,
                  fmt: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES,
                  charset: Optional[str] = None) -> Iterator[Output]:
    """Every item in one input file (bytes as stored, .gz/.bz2 undone here), as
    RawItems and reject rows, or the feeds it lists. ``charset`` is what the server
    declared for a fetched document."""
    fmt = fmt or format_of(ref) or "sniff"

    def rejected(reason: str, detail: str) -> dict:
        return reject_row(ref, "read", reason, detail, ingested_at)

    try:
        data = decompress(ref, data, max_bytes)
    except Rejected as err:
        yield rejected(err.reason, err.detail)
        return
    fmt = _root_format(data) or fmt
    if not data.strip():
        yield rejected("empty_file", "the file is empty" if not data else
                       "the file holds only whitespace")
        return
    if fmt == "sniff":
        fmt = "page"
    if fmt == "warc":  # WARC files are streamed (core/warc.py), never read whole
        yield rejected("unsupported_format", "WARC content must be read as a stream")
        return
    if fmt == "opml":
        yield from parse_opml(ref, data, ingested_at)
        return
    if fmt == "feed":
        yield from parse_feed(ref, data, ingested_at)
        return
    if fmt == "jsonl":
        yield from parse_jsonl(ref, data, ingested_at)
        return
    try:
        body = decode(data, charset)
    except Rejected as err:
        yield rejected(err.reason, err.detail)
        return
    yield RawItem(input_ref=ref, kind="page" if fmt == "page" else "text", body=body,
                  ingested_at=ingested_at, url=file_url(ref))


def parse_feed(ref: str, data: bytes, ingested_at: dt.datetime) -> Iterator[Output]:
    """One RawItem per feed entry, carrying the entry's own content."""
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, _BENIGN_FEED_PROBLEMS):
        problem = None
    if problem is not None:
        # Entries before the break are still read; the rest of the file is lost,
        # and this row says so.
        detail = (f"not well-formed ({problem}); {len(entries)} entries recovered"
                  if entries else f"not a readable feed: {problem}")
        yield reject_row(ref, "parse", "malformed_feed", detail, ingested_at)
    elif not entries:
        yield reject_row(ref, "parse", "empty_feed", "the feed has no entries", ingested_at)
    if not entries:
        return
    feed = parsed.get("feed", {})
    source = feed.get("title") or domain(feed.get("link")) or None
    for index, entry in enumerate(entries):
        guid = entry.get("id") or entry.get("link") or f"entry-{index}"
        kind, body = _entry_content(entry)
        published = dates.from_struct_time(entry.get("published_parsed")
                                           or entry.get("updated_parsed"))
        yield RawItem(
            input_ref=f"{ref}#{guid}",
            kind=kind,
            body=body,
            ingested_at=ingested_at,
            url=entry.get("link") or f"{file_url(ref)}#{guid}",
            external_id=entry.get("id") or None,
            title=entry.get("title") or None,
            authors=_entry_authors(entry),
            published_at=published,
            date_source="feed" if published else None,
            source=source or domain(entry.get("link")),
            feed_url=file_url(ref),
            language=_language_code(entry.get("language") or feed.get("language")),
            categories=_entry_categories(entry),
            fetch_url=entry.get("link") if is_web_url(entry.get("link")) else None,
        )


def parse_opml(ref: str, data: bytes, ingested_at: dt.datetime) -> Iterator[Output]:
    """The feeds an OPML subscription list names (outlines nested to any depth), as
    InputFiles; relative addresses are taken relative to the OPML file."""
    try:
        root = ElementTree.fromstring(data)  # expat refuses entity-expansion bombs
    except ElementTree.ParseError as err:
        yield reject_row(ref, "parse", "malformed_opml", f"not a readable OPML file: {err}",
                         ingested_at)
        return
    base = ref if "://" in ref else os.path.abspath(ref)
    feeds = []
    for outline in root.iter("outline"):
        address = next((v.strip() for k, v in outline.attrib.items()
                        if k.lower() == "xmlurl" and v.strip()), None)
        if address:
            feeds.append(urljoin(base, address) if "://" in base or "://" in address
                         else os.path.join(os.path.dirname(base), address))
    if not feeds:
        yield reject_row(ref, "parse", "empty_opml", "the OPML file lists no feeds",
                         ingested_at)
    for feed in dict.fromkeys(feeds):
        yield InputFile(feed, "feed")


def _entry_content(entry) -> tuple[str, str]:
    """The entry's fullest content: content elements first, then the summary."""
    candidates = [(c.get("type", ""), c.get("value", "")) for c in entry.get("content") or []]
    if entry.get("summary"):
        candidates.append((entry.get("summary_detail", {}).get("type", "text/html"),
                           entry["summary"]))
    if not candidates:
        return "text", ""
    mime, value = max(candidates, key=lambda c: len(c[1]))
    return ("text" if mime == "text/plain" else "fragment"), value


def _entry_categories(entry) -> list[str]:
    terms = [(t.get("term") or t.get("label") or "").strip() for t in entry.get("tags") or []]
    return list(dict.fromkeys(t for t in terms if t))


def _entry_authors(entry) -> list[str]:
    names = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
    if not names and entry.get("author"):
        names = [entry["author"]]
    return names


def parse_jsonl(ref: str, data: bytes, ingested_at: dt.datetime) -> Iterator[Output]:
    """One RawItem per JSON line; every bad line is a reject with its line number."""
    try:
        text = decode(data)
    except Rejected as err:
        yield reject_row(ref, "read", err.reason, err.detail, ingested_at)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_ref = f"{ref}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield reject_row(line_ref, "parse", "invalid_json", f"line {number}: {err}",
                             ingested_at)
            continue
        if not isinstance(record, dict):
            yield reject_row(line_ref, "parse", "invalid_json",
                             f"line {number}: expected an object, got {type(record).__name__}",
                             ingested_at)
            continue
        body, kind = record.get("text"), "text"
        if not _is_filled(body):
            body, kind = record.get("html"), "page"
        if not _is_filled(body):
            yield reject_row(line_ref, "parse", "missing_text",
                             f"line {number}: no \"text\" or \"html\" field with content",
                             ingested_at)
            continue
        if kind == "page" and "<body" not in body[:5000].lower():
            kind = "fragment"
        published = dates.parse_datetime(record.get("published"))
        url = record.get("url") if isinstance(record.get("url"), str) else None
        authors = record.get("authors") or record.get("author") or []
        yield RawItem(
            input_ref=line_ref,
            kind=kind,
            body=body,
            ingested_at=ingested_at,
            url=url or f"{file_url(ref)}#L{number}",
            external_id=_as_text(record.get("id")),
            title=_as_text(record.get("title")),
            authors=[authors] if isinstance(authors, str) else [str(a) for a in authors],
            published_at=published,
            date_source="input" if published else None,
            source=_as_text(record.get("source")) or domain(url),
            language=_language_code(record.get("language")),
        )


def _is_filled(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _as_text(value) -> Optional[str]:
    if value is None or value == "":
        return None
    return str(value)


def _language_code(value) -> Optional[str]:
    """ISO 639-1 from tags such as ``en-US`` or ``fr_FR``."""
    if not isinstance(value, str):
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None
