"""WARC and WARC.gz files (Common Crawl CC-NEWS style) to raw items, streamed.

``read_warc(ref, stream, ...)`` reads one archive record by record: an HTML page
fetched with status 200 becomes an item, an HTML error page or an unreadable payload a
reject, every other record is found skipped (``records.Found``). A file that is not a
WARC or breaks in the middle ends with one ``corrupt_file`` reject after the records
read before the break; nothing raises for bad content.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import BinaryIO, Iterator, Optional, Union

from warcio.archiveiterator import WARCIterator
from warcio.recordloader import ArcWarcRecord

from .. import dates
from ..records import ITEM, SKIPPED, Found, RawItem, Rejected, rejected
from .compression import SourceError, SourceStream
from .decoding import decode

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# How a page with no Content-Type shows it is HTML, in its first kilobyte.
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']+)""", re.IGNORECASE)


def read_warc(ref: str, stream: BinaryIO, ingested_at: dt.datetime, max_record_bytes: int
              ) -> Iterator[Found]:
    """Every record of a WARC or WARC.gz stream in file order, as items, rejects and
    records skipped; HTML payloads larger than max_record_bytes are rejected."""
    # Counted reads: the offsets the iterator reports and the check for bytes after the
    # last record do not depend on the stream's own tell().
    counted = SourceStream.of(stream)
    archive = WARCIterator(counted)
    records = 0
    try:
        for record in archive:
            try:
                page = _page_body(record, max_record_bytes)
            except Rejected as err:
                page = err
            # Only a record read to its end has an offset and is known to be complete.
            archive.read_to_end()
            damage = _damage(archive, record, counted)
            if damage:
                yield _corrupt(ref, records, damage, ingested_at)
                return
            records += 1
            input_ref = f"{ref}@{archive.get_record_offset()}"
            if isinstance(page, Rejected):
                yield rejected(input_ref, "read", page.reason, page.detail, ingested_at)
            elif isinstance(page, Found):  # skipped
                yield page
            else:
                yield _item_output(input_ref, record, page, ingested_at)
            # warcio skips one stray line after a record with only a warning on stderr.
            if archive.err_count:
                yield _corrupt(ref, records, "unexpected bytes after the record", ingested_at)
                return
    except SourceError:
        raise  # the stream could not be read: not the content's fault
    except Exception as err:  # warcio raises assorted exception types on malformed input
        problem = " ".join(str(err)[:500].split()) or type(err).__name__
        yield _corrupt(ref, records, f"not a readable WARC record: {problem}", ingested_at)
        return
    if counted.bytes_read == 0:
        yield rejected(ref, "read", "empty_file", "the file is empty", ingested_at)
    # A gzip member cut before any of its output ends the iteration silently; its bytes
    # are then read but lie after where the iterator stopped.
    elif counted.bytes_read > archive.offset:
        yield _corrupt(ref, records, f"the last {counted.bytes_read - archive.offset:,} bytes "
                       "hold no complete record", ingested_at)


def _page_body(record: ArcWarcRecord, max_record_bytes: int) -> Union[str, Found]:
    """The decoded HTML of a 200 response; skipped for any other record. Raises Rejected
    for an HTML error page and an HTML payload that is too large or not text."""
    if record.rec_type != "response":
        return _skipped(record.rec_type or "untyped")
    http = record.http_headers
    if http is None:  # dns: records, empty responses
        return _skipped("not_http")
    try:
        status = int(http.get_statuscode())
    except ValueError:
        return _skipped("bad_status")
    if 300 <= status < 400:
        return _skipped("redirect")
    mime, charset = _content_type(http.get_header("Content-Type"))
    if mime and mime not in _HTML_TYPES:
        return _skipped("not_html")
    # content_stream() undoes chunked transfer and gzip or deflate content encoding.
    payload = record.content_stream().read(max_record_bytes + 1)
    if not mime and not _HTML_START.search(payload[:1024]):
        return _skipped("not_html")
    if status >= 400:
        raise Rejected(f"http_{status}", f"the server answered {http.statusline}")
    if status != 200:
        return _skipped(f"http_{status}")
    if len(payload) > max_record_bytes:
        raise Rejected("too_large", f"the HTML payload is larger than {max_record_bytes:,} "
                       "bytes")
    return decode(payload, charset)


def _content_type(value: Optional[str]) -> tuple[str, Optional[str]]:
    """The media type of a Content-Type header (lower case, "" if absent) and its charset."""
    if not value:
        return "", None
    mime, _, parameters = value.partition(";")
    charset = _CHARSET.search(parameters)
    return mime.strip().lower(), charset.group(1) if charset else None


def _damage(archive: WARCIterator, record: ArcWarcRecord,
            counted: SourceStream) -> Optional[str]:
    """What is wrong with a record read to its end, when the file is cut or malformed."""
    if record.length is None:
        return "a record has no Content-Length"
    if record.raw_stream.tell() < record.length:
        return (f"a record is cut short: {record.raw_stream.tell():,} of its "
                f"{record.length:,} bytes")
    # Once the whole stream has been read, a gzip member still open was cut: warcio
    # returns what the truncated member held without an error.
    decompressor = archive.reader.decompressor
    if counted.exhausted and decompressor is not None and not decompressor.eof:
        return "the last gzip member is cut short"
    return None


def _skipped(why: str) -> Found:
    """A record that is not an input item: a request, a redirect, an image..."""
    return Found(SKIPPED, why)


def _item_output(input_ref: str, record: ArcWarcRecord, body: str,
                 ingested_at: dt.datetime) -> Found:
    try:
        return Found(ITEM, _raw_item(input_ref, record, body, ingested_at))
    except Exception as err:  # a bug of ours on one record must not cost the others
        return rejected(input_ref, "read", "internal_error", f"{type(err).__name__}: {err}",
                        ingested_at)


def _raw_item(input_ref: str, record: ArcWarcRecord, body: str,
              ingested_at: dt.datetime) -> RawItem:
    headers = record.rec_headers
    return RawItem(input_ref=input_ref, kind="page", body=body, ingested_at=ingested_at,
                   # warcio removes the angle brackets old crawlers wrote around it
                   url=headers.get_header("WARC-Target-URI"),
                   external_id=headers.get_header("WARC-Record-ID"),
                   captured_at=dates.parse_datetime(headers.get_header("WARC-Date")))


def _corrupt(ref: str, records: int, problem: str, ingested_at: dt.datetime) -> Found:
    counted = f"{records:,} record" + ("" if records == 1 else "s")
    return rejected(ref, "read", "corrupt_file", f"the file breaks after {counted}: {problem}",
                    ingested_at)
