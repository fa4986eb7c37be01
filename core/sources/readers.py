"""Input files to raw items: feeds, HTML pages, plain text, JSON Lines, WARC.

``read_stream(ref, stream, ...)`` reads one input file from an open stream (as stored:
.gz and .bz2 are undone here) record by record, in memory bounded by the record cap:
a JSONL line, a feed entry or a WARC record at a time; a page, a text or an OPML list
is one record. It yields what it finds (``records.Found``: items, rejects, the feeds an
OPML file lists, WARC records skipped) and never raises: bad content, a broken stream
and a bug of ours met on one record are rejects, and the records around them are still
read. ``read_document`` does the same for bytes in memory; ``SourceReader`` opens files
and URLs and reads the feeds a list names.
"""
from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import math
import os
import posixpath
import re
from copy import deepcopy
from typing import BinaryIO, Iterator, NamedTuple, Optional
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import feedparser
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from lxml import etree

from .. import dates
from ..records import (ITEM, LISTED_FEED, REJECT, Found, RawItem, Rejected, rejected,
                       utcnow)
from ..urls import domain, is_web_url
from . import warc
from .compression import (CHUNK, CorruptStream, SourceError, SourceStream, open_decompressed,
                          read_capped)
from .decoding import decode
from .fetch import Fetcher

COMPRESSION_SUFFIXES = (".gz", ".bz2")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # per record: a line, an entry, a page
# Feeds up to this size are parsed whole by feedparser, which also reads feeds that are
# not well-formed XML; larger ones are streamed entry by entry and must be well-formed.
WHOLE_FEED_BYTES = 4 * 1024 * 1024
FORMATS = {
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".feed": "feed",
    ".xml": "sniff",
    ".html": "page", ".htm": "page", ".xhtml": "page", ".shtml": "page",
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".opml": "opml",
    ".warc": "warc",
}
_SNIFF_BYTES = 4096
# Documents newsbeam does not read, told by their first bytes whatever their names.
_UNSUPPORTED_MAGIC = (
    (b"%PDF-", "a PDF document: newsbeam reads HTML, text, feeds, JSONL and WARC; convert "
               "it to text first (pdftotext FILE.pdf FILE.txt) and give the .txt"),
    (b"PK\x03\x04", "a ZIP archive or office document (.docx, .epub, ...): give its text "
                     "or HTML"),
    (b"\xd0\xcf\x11\xe0", "an old office document (.doc): give its text or HTML"),
    (b"\x89PNG", "a PNG image, not an article"),
    (b"\xff\xd8\xff", "a JPEG image, not an article"),
    (b"GIF8", "a GIF image, not an article"),
)


def _root_format(data: bytes) -> Optional[str]:
    """``feed`` or ``opml`` when the document's root element says so, whatever the
    file is called; None otherwise."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
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


class SourceReader:
    """Reads input files (on any Beam filesystem) and URLs record by record, and the
    feeds an OPML list names in turn: what ``read_stream`` finds in each, a source that
    cannot be opened as one reject. A list named inside a list is not followed: each
    feed it names is one ``nested_opml`` reject. ``bytes_read`` counts what was read."""

    def __init__(self, fetcher: Fetcher, max_record_bytes: int = DEFAULT_MAX_BYTES):
        self.fetcher = fetcher
        self.max_record_bytes = max_record_bytes
        self.bytes_read = 0

    def read(self, source: InputFile, follow_lists: bool = True) -> Iterator[Found]:
        """What ``source`` holds; with ``follow_lists`` off, the feeds it lists are
        found as LISTED_FEED rather than read."""
        for found in self._read_one(source):
            if found.kind != LISTED_FEED or not follow_lists:
                yield found
                continue
            for inner in self._read_one(found.value):
                yield inner if inner.kind != LISTED_FEED else rejected(
                    inner.value.path, "read", "nested_opml",
                    "an OPML file listed inside an OPML file is not followed", utcnow())

    def _read_one(self, source: InputFile) -> Iterator[Found]:
        ingested_at = utcnow()
        fmt = source.format or format_of(source.path)
        try:
            handle, charset = self._open(source.path, fmt)
        except Rejected as err:
            yield rejected(source.path, "read", err.reason, err.detail, ingested_at)
            return
        with handle:
            stream = SourceStream(handle)
            yield from read_stream(source.path, stream, ingested_at, fmt,
                                   self.max_record_bytes, charset)
        self.bytes_read += stream.bytes_read

    def _open(self, path: str, fmt: Optional[str]) -> tuple[BinaryIO, Optional[str]]:
        """A binary stream of the bytes as stored (compression is undone by the reader)
        and any charset the server declared; raises Rejected."""
        if is_web_url(path):
            response = self.fetcher.get(path, accept="feed" if fmt in ("feed", "opml")
                                        else "any")
            return io.BytesIO(response.body), response.charset
        try:
            return FileSystems.open(path,
                                    compression_type=CompressionTypes.UNCOMPRESSED), None
        except Exception as err:  # vanished, unreadable, permission denied
            raise Rejected("read_error", f"{type(err).__name__}: {err}") from None


def read_document(ref: str, data: bytes, ingested_at: dt.datetime,
                  fmt: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES,
                  charset: Optional[str] = None) -> Iterator[Found]:
    """``read_stream`` over bytes in memory (a fetched document, a test's file)."""
    return read_stream(ref, io.BytesIO(data), ingested_at, fmt, max_bytes, charset)


def read_stream(ref: str, stream: BinaryIO, ingested_at: dt.datetime,
                fmt: Optional[str] = None, max_record_bytes: int = DEFAULT_MAX_BYTES,
                charset: Optional[str] = None) -> Iterator[Found]:
    """What one input file holds, read from ``stream`` (the bytes as stored, any object
    with ``read(size)``): its items and rejects, or the feeds it lists.
    ``fmt`` overrides the name's format; ``charset`` is what a server declared for a
    fetched document. A file that breaks in the middle (truncated .gz, I/O error) gives
    its records up to the break, then one reject row for the file."""
    source = SourceStream.of(stream)
    fmt = fmt or format_of(ref) or "sniff"
    items = 0
    try:
        for output in _records(ref, source, ingested_at, fmt, max_record_bytes, charset):
            items += output.kind in (ITEM, REJECT)
            yield output
    except CorruptStream as err:
        yield rejected(ref, "read", err.reason, _after(items, err.detail), ingested_at)
    except SourceError as err:
        yield rejected(ref, "read", "read_error", _after(items, str(err)), ingested_at)
    except Exception as err:  # a bug of ours: the rest of the file is lost, and said so
        yield rejected(ref, "read", "internal_error", _after(
            items, f"{type(err).__name__}: {err}"), ingested_at)


def _after(items: int, problem: str) -> str:
    if not items:
        return problem
    return f"the file breaks after {items:,} item{'s' if items > 1 else ''}: {problem}"


def _records(ref: str, source: SourceStream, ingested_at: dt.datetime, fmt: str,
             max_record_bytes: int, charset: Optional[str]) -> Iterator[Found]:
    if fmt == "warc":  # warcio undoes a .warc.gz member by member itself
        stream = open_decompressed(ref, source) if ref.lower().endswith(".bz2") else source
        yield from warc.read_warc(ref, stream, ingested_at, max_record_bytes)
        return
    content = open_decompressed(ref, source)
    head = content.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    if not head:
        yield rejected(ref, "read", "empty_file", "the file is empty", ingested_at)
        return
    for magic, what in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            yield rejected(ref, "read", "unsupported_type", f"the file is {what}",
                           ingested_at)
            return
    fmt = _root_format(head) or fmt
    if fmt == "jsonl":
        yield from read_jsonl(ref, content, ingested_at, max_record_bytes)
        return
    if fmt == "feed":
        yield from read_feed(ref, content, ingested_at, max_record_bytes)
        return
    compressed = ref.lower().endswith(COMPRESSION_SUFFIXES)
    try:
        data = read_capped(content, max_record_bytes, ("once decompressed, " if compressed
                                                       else "") + "the limit for one file")
        if not data.strip():
            raise Rejected("empty_file", "the file holds only whitespace")
        if fmt == "opml":
            yield from parse_opml(ref, data, ingested_at)
            return
        body = decode(data, charset)
    except Rejected as err:
        yield rejected(ref, "read", err.reason, err.detail, ingested_at)
        return
    yield Found(ITEM, RawItem(input_ref=ref, kind="text" if fmt == "text" else "page",
                              body=body, ingested_at=ingested_at, url=file_url(ref)))


def read_feed(ref: str, content: BinaryIO, ingested_at: dt.datetime,
              max_entry_bytes: int = DEFAULT_MAX_BYTES,
              whole_feed_bytes: int = WHOLE_FEED_BYTES) -> Iterator[Found]:
    """A feed's entries: parsed whole when it is small, else streamed entry by entry."""
    whole_below = min(whole_feed_bytes, max_entry_bytes)
    head = content.read(whole_below + 1)
    if len(head) <= whole_below:
        if head.strip():
            yield from parse_feed(ref, head, ingested_at)
        else:
            yield rejected(ref, "read", "empty_file", "the file holds only whitespace",
                             ingested_at)
        return
    yield from _stream_feed(ref, head, content, ingested_at, max_entry_bytes)


def parse_feed(ref: str, data: bytes, ingested_at: dt.datetime) -> Iterator[Found]:
    """One item per entry of a whole feed document, carrying the entry's own content."""
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
        yield rejected(ref, "parse", "malformed_feed", detail, ingested_at)
    elif not entries:
        yield rejected(ref, "parse", "empty_feed", "the feed has no entries", ingested_at)
    feed = parsed.get("feed", {})
    for index, entry in enumerate(entries):
        yield _entry_output(ref, index, entry, feed, ingested_at)


# Children of a feed (the root, or RSS's and RDF's channel) that entries are read with.
_FEED_META = frozenset({"title", "link", "language", "channel"})


def _stream_feed(ref: str, head: bytes, rest: BinaryIO, ingested_at: dt.datetime,
                 max_entry_bytes: int) -> Iterator[Found]:
    """The entries of a large feed (RSS, RDF or Atom) as lxml parses them: each is read
    by feedparser in a minimal copy of its feed (the root, the channel, their title,
    link and language), then dropped from memory. Entity expansion is bounded by
    libxml2, external entities and the network are never read."""
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities="internal",
                                 no_network=True, remove_comments=True, remove_pis=True)
    meta = []  # completed feed-level elements, in the parse tree
    entries = 0
    entry_start = None  # where the chunk the open entry began in starts
    entry_too_large = False
    problem = None
    fed, chunk = 0, head
    while True:
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()  # raises if the document is not complete
        except etree.XMLSyntaxError as err:
            problem = err  # the entries completed before the break are still read...
            if not chunk:  # ...but at the end, lxml closes what the cut left open
                break
        chunk_start, fed = fed, fed + len(chunk)
        for event, element in parser.read_events():
            parent = element.getparent()
            if event == "start":
                if entry_start is None and _is_entry(element, parent):
                    entry_start = chunk_start
                continue
            if entry_too_large and parent is not None and _is_entry(parent,
                                                                     parent.getparent()):
                parent.remove(element)  # a part of an entry already too large
            elif _is_entry(element, parent):
                yield _streamed_entry(ref, entries, element, meta, entry_too_large,
                                      max_entry_bytes, ingested_at)
                entries += 1
                entry_start, entry_too_large = None, False
            elif parent is not None and _is_feed(parent):
                if _local_name(element) in _FEED_META:
                    meta.append(element)
                else:  # feed-level parts entries are not read with (image, items)
                    parent.remove(element)
        # Known only to a chunk: past this, the entry is too large whatever its start.
        if entry_start is not None and fed - entry_start > max_entry_bytes + CHUNK:
            entry_too_large = True
        if problem is not None or not chunk:
            break
        chunk = rest.read(CHUNK)
    if problem is not None:
        detail = (f"not well-formed ({problem}); {entries} entries recovered" if entries
                  else f"not a readable feed: {problem}")
        yield rejected(ref, "parse", "malformed_feed", detail, ingested_at)
    elif not entries:
        yield rejected(ref, "parse", "empty_feed", "the feed has no entries", ingested_at)


def _is_entry(element, parent) -> bool:
    """An RSS or RDF ``item`` or an Atom ``entry`` of the feed (not one nested deeper)."""
    return parent is not None and _local_name(element) in ("item", "entry") and \
        _is_feed(parent)


def _is_feed(element) -> bool:
    """The root, or a channel just below it: the elements entries and metadata sit in."""
    parent = element.getparent()
    return parent is None or (parent.getparent() is None
                              and _local_name(element) == "channel")


def _local_name(element) -> str:
    """The tag without namespace or prefix (an undeclared ``itunes:`` stays in the tag),
    in lower case (CDF writes ``ITEM``)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _streamed_entry(ref: str, index: int, element, meta: list, too_large: bool,
                    max_entry_bytes: int, ingested_at: dt.datetime) -> Found:
    """The entry's item or reject; the entry leaves the parse tree."""
    envelope = None
    for ancestor in reversed(list(element.iterancestors())):
        copy = etree.Element(ancestor.tag, dict(ancestor.attrib), nsmap=ancestor.nsmap)
        copy.extend(deepcopy(m) for m in meta if m.getparent() is ancestor)
        if envelope is not None:
            envelope.append(copy)
        envelope = copy
    envelope.append(element)  # moved out of the parse tree
    document = etree.tostring(envelope.getroottree(), encoding="utf-8", xml_declaration=True)
    if too_large or len(document) > max_entry_bytes:
        return rejected(f"{ref}#entry-{index}", "read", "too_large",
                          f"entry {index} is larger than {max_entry_bytes:,} bytes",
                          ingested_at)
    parsed = feedparser.parse(document, sanitize_html=False, resolve_relative_uris=False)
    if len(parsed.entries) != 1:
        return rejected(f"{ref}#entry-{index}", "parse", "malformed_feed",
                          f"entry {index} is not a readable feed entry", ingested_at)
    return _entry_output(ref, index, parsed.entries[0], parsed.feed, ingested_at)


def _entry_output(ref: str, index: int, entry, feed, ingested_at: dt.datetime) -> Found:
    """A feed entry's item; a reject if we fail on it."""
    guid = entry.get("id") or entry.get("link") or f"entry-{index}"
    try:
        return Found(ITEM, _feed_item(ref, guid, entry, feed, ingested_at))
    except Exception as err:  # a bug of ours on one entry must not cost the others
        return rejected(f"{ref}#{guid}", "parse", "internal_error",
                          f"{type(err).__name__}: {err}", ingested_at)


def _feed_item(ref: str, guid: str, entry, feed, ingested_at: dt.datetime) -> RawItem:
    kind, body = _entry_content(entry)
    published = dates.as_stated(entry.get("published") or entry.get("updated"),
                                dates.from_struct_time(entry.get("published_parsed")
                                                       or entry.get("updated_parsed")))
    source = feed.get("title") or domain(feed.get("link")) or None
    return RawItem(
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


def parse_opml(ref: str, data: bytes, ingested_at: dt.datetime) -> Iterator[Found]:
    """The feeds an OPML subscription list names (outlines nested to any depth), as
    listed InputFiles; relative addresses are taken relative to the OPML file."""
    try:
        root = ElementTree.fromstring(data)  # expat refuses entity-expansion bombs
    except ElementTree.ParseError as err:
        yield rejected(ref, "parse", "malformed_opml", f"not a readable OPML file: {err}",
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
        yield rejected(ref, "parse", "empty_opml", "the OPML file lists no feeds",
                         ingested_at)
    for feed in dict.fromkeys(feeds):
        yield Found(LISTED_FEED, InputFile(feed, "feed"))


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


def read_jsonl(ref: str, content: BinaryIO, ingested_at: dt.datetime,
               max_line_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Found]:
    """One item or one reject per non-blank line, referenced ``path:line``."""
    newline = b"\n"
    bom = content.peek(4)[:4]
    wide = ("utf-32" if bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE) else
            "utf-16" if bom[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else None)
    if wide:  # lines of UTF-16 or UTF-32 text are split as text (the cap in characters)
        content = io.TextIOWrapper(content, wide, errors="replace", newline="\n")
        newline = "\n"
    lines = 0
    for number, line in _lines(content, max_line_bytes, newline):
        line_ref = f"{ref}:{number}"
        lines += 1
        if line is None:
            yield rejected(line_ref, "read", "too_large", f"line {number} is longer than "
                             f"{max_line_bytes:,} bytes", ingested_at)
            continue
        try:
            yield Found(ITEM, _jsonl_item(line_ref, ref, number, line, ingested_at))
        except Rejected as err:
            yield rejected(line_ref, "parse", err.reason, f"line {number}: {err.detail}",
                             ingested_at)
        except Exception as err:  # a bug of ours on one line must not cost the others
            yield rejected(line_ref, "parse", "internal_error",
                             f"{type(err).__name__}: {err}", ingested_at)
    if not lines:
        yield rejected(ref, "read", "empty_file", "the file holds only whitespace",
                         ingested_at)


def _lines(stream, max_bytes: int, newline) -> Iterator[tuple]:
    """(number, line) for each line that is not blank, counting from 1; the line is None
    when longer than max_bytes, and then read past without being held."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(newline):
            while line and not line.endswith(newline):
                line = stream.readline(CHUNK)
            yield number, None
        elif not line.isspace():
            yield number, line


def _jsonl_item(line_ref: str, ref: str, number: int, line, ingested_at: dt.datetime
                ) -> RawItem:
    """The item of one JSON line; raises Rejected. Values of unexpected types are
    written out (numbers as text) or left out, never a reason to lose the line."""
    record = _json_object(line)
    body, kind = record.get("text"), "text"
    if not _is_filled(body):
        body, kind = record.get("html"), "page"
    if not _is_filled(body):
        raise Rejected("missing_text", "no \"text\" or \"html\" field with content")
    if kind == "page" and "<body" not in body[:5000].lower():
        kind = "fragment"
    published = _date(record.get("published"))
    url = _address(record.get("url"))
    authors = record.get("authors") or record.get("author") or []
    return RawItem(
        input_ref=line_ref,
        kind=kind,
        body=body,
        ingested_at=ingested_at,
        url=url or f"{file_url(ref)}#L{number}",
        external_id=_as_text(record.get("id")),
        title=_as_text(record.get("title")),
        authors=[name for name in map(_author_name, authors if isinstance(authors, list)
                                      else [authors]) if name],
        published_at=published,
        date_source="input" if published else None,
        source=_as_text(record.get("source")) or domain(url),
        language=_language_code(record.get("language")),
    )


def _json_object(line) -> dict:
    try:
        try:
            record = json.loads(line)
        except UnicodeDecodeError:  # not UTF-8: a legacy charset, detected
            record = json.loads(decode(line))
    except (ValueError, RecursionError) as err:  # RecursionError: nesting too deep
        raise Rejected("invalid_json", str(err) or type(err).__name__) from None
    if not isinstance(record, dict):
        raise Rejected("invalid_json", f"expected an object, got {type(record).__name__}")
    return record


def _is_filled(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _as_text(value) -> Optional[str]:
    """Text as given, a finite number written out; None for anything else."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    return None


def _author_name(value) -> Optional[str]:
    return _as_text(value.get("name") if isinstance(value, dict) else value)


def _date(value) -> Optional[dt.datetime]:
    """A date as an input writes it, in the zone it is written in (UTC when it names
    none); None when it is none, or one a datetime cannot hold (year 1 in a time zone
    east of UTC)."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    try:
        stated = dates.parse_stated(value)
        instant = stated and dates.to_utc(stated)  # one a datetime can hold in UTC too
        return stated if stated is not None and stated.tzinfo else instant
    except (ValueError, OverflowError):
        return None


def _address(value) -> Optional[str]:
    """A URL string that can be parsed, else None."""
    if not _is_filled(value):
        return None
    try:
        urlsplit(value).port  # raises for "https://[::1" and ports beyond 65535
    except ValueError:
        return None
    return value


def _language_code(value) -> Optional[str]:
    """ISO 639-1 from tags such as ``en-US`` or ``fr_FR``."""
    if not isinstance(value, str):
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None
