import bz2
import datetime as dt
import gzip
import io
import json
import random
import tracemalloc

import pytest

from newsbeam.core import records
from newsbeam.core.records import RawItem
from newsbeam.core.sources import readers
from newsbeam.core.sources.readers import format_of

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Test Desk</title><link>https://desk.example/</link>
<item><title>Police arrest 12</title><link>https://desk.example/a</link>
<guid isPermaLink="false">desk-1</guid><pubDate>Fri, 20 Nov 2026 09:42:00 +0200</pubDate>
<dc:creator>Ana Lima</dc:creator><description>Short summary.</description>
<content:encoded><![CDATA[<p>Police arrested twelve people in Recife.</p>]]></content:encoded>
</item>
<item><title>No content</title><guid>desk-2</guid><description>Only a summary here.</description></item>
</channel></rss>"""


# The readers find items, rejects and the feeds OPML lists name, each tagged with its
# kind (records.Found); most tests look at the values, in order.
def read_document(*args, **kwargs):
    return (found.value for found in readers.read_document(*args, **kwargs))


def read_stream(*args, **kwargs):
    return (found.value for found in readers.read_stream(*args, **kwargs))


def read_feed(*args, **kwargs):
    return (found.value for found in readers.read_feed(*args, **kwargs))


def items(outputs):
    return [o for o in outputs if isinstance(o, RawItem)]


def rejects(outputs):
    return [o for o in outputs if not isinstance(o, RawItem)]


def test_what_a_reader_finds_is_tagged_with_its_kind():
    opml = b'<opml version="2.0"><body><outline xmlUrl="https://x.example/a.rss"/></body></opml>'
    assert [f.kind for f in readers.read_document("/d/subs.opml", opml, NOW)] == [
        records.LISTED_FEED]
    found = readers.read_document("/d/a.jsonl", b'{"text": "A story."}\n{broken\n', NOW)
    assert [f.kind for f in found] == [records.ITEM, records.REJECT]


def test_formats_from_names_ignore_compression():
    assert format_of("a/b/story.HTML") == "page"
    assert format_of("feed.rss.gz") == "feed"
    assert format_of("dump.jsonl.bz2") == "jsonl"
    assert format_of("notes.md") is None


def test_rss_entries_carry_content_guid_date_author_and_feed():
    out = list(read_document("/data/desk.rss", RSS, NOW))
    first, second = items(out)
    assert first.kind == "fragment" and "Recife" in first.body
    assert first.external_id == "desk-1" and first.url == "https://desk.example/a"
    assert first.published_at == dt.datetime(2026, 11, 20, 7, 42, tzinfo=dt.timezone.utc)
    assert first.date_source == "feed"
    assert first.authors == ["Ana Lima"] and first.source == "Test Desk"
    assert first.input_ref == "/data/desk.rss#desk-1"
    assert first.feed_url == "file:///data/desk.rss"
    assert second.body == "Only a summary here."  # falls back to the summary
    assert second.published_at is None


def test_atom_is_read_and_xml_files_are_sniffed():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Dispatch</title>
    <entry><id>tag:d.example,2026:1</id><title>Strike</title>
    <link rel="alternate" href="https://d.example/1"/><published>2026-11-19T08:00:00+03:00</published>
    <author><name>Omar Sy</name></author>
    <content type="html">&lt;p&gt;Dockers went on strike in Dakar.&lt;/p&gt;</content></entry></feed>"""
    (entry,) = items(read_document("/data/news.xml", atom, NOW))
    assert entry.kind == "fragment" and "Dakar" in entry.body
    assert entry.external_id == "tag:d.example,2026:1" and entry.authors == ["Omar Sy"]
    # the instant, in the zone the feed wrote it in (its day is the publisher's)
    assert entry.published_at.isoformat() == "2026-11-19T08:00:00+03:00"


def test_malformed_and_empty_feeds_are_rejects():
    (bad,) = rejects(read_document("/data/bad.rss", b"<rss><channel>oops", NOW))
    assert bad["reason"] == "malformed_feed" and bad["input_ref"] == "/data/bad.rss"
    truncated = RSS[:RSS.index(b"<item><title>No content")] + b"<item><title>cut"
    out = list(read_document("/data/cut.rss", truncated, NOW))
    assert [r["reason"] for r in rejects(out)] == ["malformed_feed"]
    assert items(out)[0].external_id == "desk-1"  # entries before the break survive
    empty_feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    (empty,) = rejects(read_document("/data/empty.rss", empty_feed, NOW))
    assert empty["reason"] == "empty_feed"


def test_jsonl_lines_become_items_or_rejects_with_line_numbers():
    lines = [
        json.dumps({"id": "a1", "url": "https://x.example/a1", "title": "T", "text": "Body.",
                    "published": "2026-11-20T10:00:00Z", "source": "X", "language": "en-GB"}),
        "{not json",
        json.dumps({"id": "a3", "title": "No text"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"html": "<p>Fragment only</p>"}),
    ]
    out = list(read_document("/data/batch.jsonl", "\n".join(lines).encode(), NOW))
    good, fragment = items(out)
    assert good.input_ref == "/data/batch.jsonl:1" and good.external_id == "a1"
    assert good.language == "en" and good.date_source == "input"
    assert fragment.kind == "fragment"
    assert [(r["input_ref"], r["reason"]) for r in rejects(out)] == [
        ("/data/batch.jsonl:2", "invalid_json"), ("/data/batch.jsonl:3", "missing_text"),
        ("/data/batch.jsonl:5", "invalid_json")]


def test_empty_whitespace_and_binary_files_are_rejects():
    assert [r["reason"] for r in read_document("/d/a.txt", b"", NOW)] == ["empty_file"]
    assert [r["reason"] for r in read_document("/d/b.txt", b" \n\t\n", NOW)] == ["empty_file"]
    assert [r["reason"] for r in read_document("/d/c.html", b"\x00\x01\xff" * 50, NOW)] == [
        "not_text"]


def test_text_and_pages_are_one_item_each_with_a_file_url():
    (page,) = read_document("/d/p.html", b"<html><body><p>Hi</p></body></html>", NOW)
    assert page.kind == "page" and page.url == "file:///d/p.html"
    (txt,) = read_document("/d/t.txt", "Señora López".encode("utf-8"), NOW)
    assert txt.kind == "text" and txt.body == "Señora López"


def test_a_warc_in_memory_is_read_by_the_warc_reader():
    (warc,) = read_document("/d/crawl.warc", b"WARC/1.0\r\n", NOW)
    assert warc["reason"] == "corrupt_file"


def test_compressed_files_are_undone_and_damaged_ones_rejected():
    body = "Señora López said the strike would go on. " * 200
    (item,) = read_document("/d/a.txt.gz", gzip.compress(body.encode()), NOW)
    assert item.body == body and item.input_ref == "/d/a.txt.gz"
    (item,) = read_document("/d/a.txt.bz2", bz2.compress(body.encode()), NOW)
    assert item.body == body
    packed = gzip.compress(body.encode())
    (cut,) = read_document("/d/cut.txt.gz", packed[: len(packed) // 2], NOW)
    assert cut["reason"] == "corrupt_file" and "truncated" in cut["detail"]
    (bomb,) = read_document("/d/bomb.txt.gz", gzip.compress(b"a" * 5_000_000), NOW,
                            max_bytes=1_000_000)
    assert bomb["reason"] == "too_large"


def test_feeds_and_lists_are_recognised_by_content_whatever_their_name():
    rss_as_txt = list(read_document("/d/saved.txt", RSS, NOW))
    assert [i.external_id for i in items(rss_as_txt)] == ["desk-1", "desk-2"]
    commented = b"<?xml version='1.0'?>\n<!-- saved by hand -->\n<!DOCTYPE x>\n" + RSS[38:]
    assert len(items(read_document("/d/page.html", commented, NOW))) == 2
    opml = (b'<?xml version="1.0"?><opml version="2.0"><body><outline text="a">'
            b'<outline xmlUrl="https://desk.example/rss"/><outline xmlUrl="local.rss"/>'
            b"</outline></body></opml>")
    listed = list(read_document("/lists/subs.xml", opml, NOW))
    assert listed == [("https://desk.example/rss", "feed"), ("/lists/local.rss", "feed")]
    html = b"<!doctype html><html><body><p>A page that mentions <rss> in text</p></body></html>"
    assert items(read_document("/d/p.xml", html, NOW))[0].kind == "page"


# One line per item whatever its values -------------------------------------------------

STRIKE = ("Dock workers in Valparaíso stopped loading ships on Monday after talks with the "
          "port authority over night-shift pay broke down, union leaders said.")


def jsonl(*records) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def test_odd_values_are_coerced_or_dropped_and_never_cost_the_line():
    out = list(read_document("/d/odd.jsonl", jsonl(
        {"id": 41, "title": 2026, "author": 123, "text": STRIKE},
        {"id": "year-one", "text": STRIKE, "published": "0001-01-01T00:00:00+01:00"},
        {"id": "url-number", "text": STRIKE, "url": 42, "published": 1e300},
        {"id": "bad-url", "text": STRIKE, "url": "https://[::1/x", "source": ["a", "list"]},
        {"id": "authors", "text": STRIKE, "authors": [{"name": "Inés Soto"}, None, 7, True]},
        {"id": ["a", "list"], "title": {"an": "object"}, "text": STRIKE, "published": True,
         "language": 12},
        {"id": "nan", "text": STRIKE, "title": float("nan")},
    ), NOW))
    assert all(isinstance(o, RawItem) for o in out) and len(out) == 7
    assert [o.input_ref for o in out] == [f"/d/odd.jsonl:{n}" for n in range(1, 8)]
    numbers, year_one, url_number, bad_url, authors, objects, nan = out
    assert (numbers.external_id, numbers.title, numbers.authors) == ("41", "2026", ["123"])
    assert year_one.published_at is None and year_one.date_source is None
    assert url_number.url == "file:///d/odd.jsonl#L3" and url_number.published_at is None
    assert bad_url.url == "file:///d/odd.jsonl#L4" and bad_url.source is None
    assert authors.authors == ["Inés Soto", "7"]
    assert (objects.external_id, objects.title, objects.published_at, objects.language) == (
        None, None, None, None)
    assert nan.title is None


def test_each_bad_line_is_one_reject_and_the_good_lines_are_items():
    out = list(read_document("/d/mixed.jsonl", jsonl(
        {"id": "good-1", "text": STRIKE, "author": 123},
        "[" * 100_000,  # nested too deep for the json module
        '{"id": 12345678901234567890123, "text": "x", "n": ' + "9" * 5000 + "}",
        {"id": "no-text", "text": 17},
        "   ",
        {"id": "good-2", "html": f"<p>{STRIKE}</p>", "published": "0001-01-01T00:00:00+01:00"},
    ), NOW))
    assert [(o.input_ref, o.kind) for o in out if isinstance(o, RawItem)] == [
        ("/d/mixed.jsonl:1", "text"), ("/d/mixed.jsonl:6", "fragment")]
    assert [(o["input_ref"], o["reason"]) for o in out if isinstance(o, dict)] == [
        ("/d/mixed.jsonl:2", "invalid_json"), ("/d/mixed.jsonl:3", "invalid_json"),
        ("/d/mixed.jsonl:4", "missing_text")]


def test_a_bug_met_on_one_record_is_an_internal_error_for_that_record(monkeypatch):
    real = readers._language_code

    def failing(value):
        if value == "xx":
            raise KeyError("no such language")
        return real(value)

    monkeypatch.setattr(readers, "_language_code", failing)
    out = list(read_document("/d/a.jsonl", jsonl(
        {"text": STRIKE, "language": "es"}, {"text": STRIKE, "language": "xx"},
        {"text": STRIKE}), NOW))
    first, bug, last = out
    assert first.language == "es" and isinstance(last, RawItem)
    assert (bug["input_ref"], bug["stage"], bug["reason"], bug["detail"]) == (
        "/d/a.jsonl:2", "parse", "internal_error", "KeyError: 'no such language'")
    in_xx = RSS.replace(b"<channel>", b"<channel><language>xx</language>")
    entries = list(read_document("/d/desk.rss", in_xx, NOW))
    assert [o["reason"] for o in entries] == ["internal_error", "internal_error"]
    assert entries[0]["input_ref"] == "/d/desk.rss#desk-1"


def test_lone_surrogates_become_replacement_characters_in_every_field():
    line = ('{"id": "s\\ud800", "title": "Storm \\ud83d", "author": "A\\udc00 B", '
            '"url": "https://x.example/\\ud83d", "text": "Flood warning \\ud83d issued; '
            'a pair \\ud83d\\ude00 stays"}')
    (item,) = read_document("/d/s.jsonl", line.encode(), NOW)
    assert item.body == "Flood warning \ufffd issued; a pair \U0001F600 stays"
    assert (item.title, item.authors, item.external_id) == ("Storm \ufffd", ["A\ufffd B"],
                                                            "s\ufffd")
    assert item.url == "https://x.example/\ufffd"
    for text in (item.body, item.title, item.url, item.input_ref):
        text.encode("utf-8")
    # a file name with an undecodable byte, as os.listdir gives it
    (named,) = read_document("/d/caf\udce9.txt", STRIKE.encode(), NOW)
    assert named.input_ref == "/d/caf\ufffd.txt" and named.url == "file:///d/caf\ufffd.txt"
    (rejected,) = read_document("/d/caf\udce9.txt", b"", NOW)
    assert rejected["input_ref"] == "/d/caf\ufffd.txt"


# Exports of any size, record by record ------------------------------------------------


def test_a_jsonl_file_larger_than_the_cap_is_read_line_by_line():
    lines = [{"id": f"n{i}", "text": f"{STRIKE} Report {i}. " + "More detail. " * 500}
             for i in range(300)]  # about 2 MB, with a cap of 64 kB per line
    out = list(read_document("/d/big.jsonl", jsonl(*lines), NOW, max_bytes=64 * 1024))
    assert [o.external_id for o in out] == [f"n{i}" for i in range(300)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_line_over_the_cap_is_one_too_large_reject_and_its_neighbours_are_read(newline):
    data = newline.join([json.dumps({"id": "before", "text": STRIKE}),
                         json.dumps({"id": "huge", "text": "word " * 400_000}),
                         json.dumps({"id": "after", "text": STRIKE})]).encode()
    before, huge, after = read_document("/d/a.jsonl", data, NOW, max_bytes=100_000)
    assert (before.external_id, after.external_id) == ("before", "after")
    assert (huge["input_ref"], huge["stage"], huge["reason"]) == ("/d/a.jsonl:2", "read",
                                                                  "too_large")
    (alone,) = read_document("/d/b.jsonl", data.split(newline.encode())[1], NOW,
                             max_bytes=100_000)  # the last line, no newline after it
    assert alone["reason"] == "too_large"


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress])
def test_a_truncated_compressed_export_gives_its_complete_lines_then_corrupt_file(compress):
    noise = random.Random(7)  # hard to compress: bzip2 works in blocks of 900 kB
    lines = [json.dumps({"id": f"n{i}", "text": f"{STRIKE} {noise.randbytes(1000).hex()}x"})
             for i in range(2000)]
    packed = compress("\n".join(lines).encode())
    out = list(read_document("/d/cut.jsonl." + ("gz" if compress is gzip.compress else "bz2"),
                             packed[: len(packed) * 2 // 3], NOW))
    *items, broken = out
    assert len(items) > 100 and all(isinstance(i, RawItem) for i in items)
    assert [i.external_id for i in items] == [f"n{i}" for i in range(len(items))]
    assert all(len(i.body) == len(STRIKE) + 2002 for i in items)  # no half line
    assert broken["reason"] == "corrupt_file" and broken["input_ref"].startswith("/d/cut.jsonl")
    assert f"after {len(items):,} items" in broken["detail"]
    assert "truncated" in broken["detail"]


def test_a_stream_that_fails_mid_file_gives_its_records_then_read_error():
    class Failing(io.RawIOBase):
        def __init__(self, data):
            self.data, self.position = data, 0

        def readable(self):
            return True

        def read(self, size=-1):
            if self.position > 200_000:
                raise ConnectionResetError("the storage service dropped the connection")
            chunk = self.data[self.position:self.position + min(size, 65536)]
            self.position += len(chunk)
            return chunk

    data = jsonl(*({"id": i, "text": "x" * 1000} for i in range(1000)))
    *items, failed = read_stream("/d/remote.jsonl", Failing(data), NOW)
    assert 0 < len(items) < 1000 and all(isinstance(i, RawItem) for i in items)
    assert failed["reason"] == "read_error"
    assert "ConnectionResetError: the storage service dropped" in failed["detail"]


def test_utf16_jsonl_is_read_line_by_line():
    data = jsonl({"id": "a", "text": "Señora López"}, {"id": "b", "text": STRIKE})
    first, second = read_document("/d/wide.jsonl", data.decode().encode("utf-16"), NOW)
    assert first.body == "Señora López" and second.external_id == "b"


def test_reading_a_50_mb_jsonl_keeps_memory_far_below_its_size(tmp_path):
    path = tmp_path / "export.jsonl"
    line = {"url": "", "html": "<html><body><article><p>" + STRIKE * 100 +
            "</p></article></body></html>"}
    with open(path, "w", encoding="utf-8") as out:
        for i in range(3500):  # about 50 MB
            line["url"] = f"https://port.example/news/{i}"
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    tracemalloc.start()
    try:
        with open(path, "rb") as handle:
            count = sum(isinstance(o, RawItem) for o in read_stream(str(path), handle, NOW))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3500
    assert path.stat().st_size > 50_000_000 and peak < 5_000_000


# Large feeds, entry by entry ----------------------------------------------------------

ITEM = """<item><title>Dockers walk out, day {i}</title><link>https://desk.example/{i}</link>
<guid isPermaLink="false">desk-{i}</guid><pubDate>Fri, 20 Nov 2026 09:42:00 +0200</pubDate>
<dc:creator>Ana Lima</dc:creator><category>Labour</category>
<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>
"""


def big_feed(count, text=STRIKE * 10, extra=""):
    items = "".join(ITEM.format(i=i, text=text) for i in range(count))
    return RSS.replace(b"<item>", (items + extra).encode() + b"<item>", 1)


class CountingStream(io.BytesIO):
    def read(self, size=-1):
        data = super().read(size)
        self.consumed = getattr(self, "consumed", 0) + len(data)
        return data


def test_a_large_feed_is_read_entry_by_entry_with_the_same_items_as_a_whole_feed():
    data = big_feed(2000)  # 3.4 MB
    stream = CountingStream(data)
    outputs = read_stream("/d/big.rss", stream, NOW, max_record_bytes=256 * 1024)
    first = next(outputs)
    assert first.input_ref == "/d/big.rss#desk-0"
    assert stream.consumed < len(data) / 2  # the first entry came out long before the end
    streamed = [first, *outputs]
    assert len(streamed) == 2002 and all(isinstance(o, RawItem) for o in streamed)
    whole = list(read_feed("/d/big.rss", io.BufferedReader(io.BytesIO(data)), NOW,
                           whole_feed_bytes=len(data)))
    assert streamed == whole
    assert streamed[5].source == "Test Desk" and streamed[5].categories == ["Labour"]


def test_atom_and_rdf_feeds_streamed_give_the_same_items_as_whole():
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            'xml:lang="pt-BR"><title>Despacho</title><link href="https://d.example/"/>'
            + "".join(f'<entry><id>tag:d.example,2026:{i}</id><title>Greve {i}</title>'
                      f'<link href="https://d.example/{i}"/><updated>2026-11-19T08:00:00Z'
                      f'</updated><author><name>Rui Costa</name></author>'
                      f'<content type="html">&lt;p&gt;{STRIKE}&lt;/p&gt;</content></entry>'
                      for i in range(50)) + "</feed>").encode()
    rdf = ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
           ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           '<channel rdf:about="https://r.example/"><title>Wire</title><link>https://r.example/'
           '</link><dc:language>es</dc:language><items><rdf:Seq/></items></channel>'
           + "".join(f'<item rdf:about="https://r.example/{i}"><title>Paro {i}</title>'
                     f'<link>https://r.example/{i}</link><description>{STRIKE}</description>'
                     f'<dc:date>2026-11-19T08:00:00Z</dc:date></item>' for i in range(50))
           + "</rdf:RDF>").encode()
    for name, data in (("a.atom", atom), ("r.rdf", rdf)):
        whole = list(read_feed(name, io.BufferedReader(io.BytesIO(data)), NOW))
        streamed = list(read_feed(name, io.BufferedReader(io.BytesIO(data)), NOW,
                                  whole_feed_bytes=0))
        assert len(whole) == 50 and streamed == whole
    assert (whole[0].source, whole[0].language, whole[0].published_at.day) == ("Wire", "es", 19)


def test_a_large_feed_entry_over_the_cap_is_too_large_and_the_others_are_read():
    data = big_feed(300, extra=ITEM.format(i="huge", text="Lorem ipsum. " * 200_000))
    out = list(read_document("/d/big.rss", data, NOW, max_bytes=256 * 1024))
    rejects = [o for o in out if isinstance(o, dict)]
    assert [(r["input_ref"], r["reason"]) for r in rejects] == [("/d/big.rss#entry-300",
                                                                 "too_large")]
    assert len(out) == 303 and out[301].external_id == "desk-1"


def test_a_large_feed_cut_short_gives_its_entries_then_malformed_feed():
    data = big_feed(1200)
    out = list(read_document("/d/cut.rss", data[: len(data) // 2], NOW, max_bytes=1 << 18))
    *items, broken = out
    assert len(items) > 500 and all(isinstance(i, RawItem) for i in items)
    assert items[-1].body.endswith("</p>")  # the entry cut in half is not one of them
    assert broken["reason"] == "malformed_feed"
    assert f"{len(items)} entries recovered" in broken["detail"]


def test_large_hostile_feeds_neither_explode_nor_read_local_files():
    bomb = ('<!DOCTYPE rss [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">'
        for i in range(1, 10)) + "]>")
    xxe = '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    for doctype, entity in ((bomb, "&lol9;"), (xxe, "&secret;")):
        hostile = f"<item><title>{entity}</title><description>{entity}</description></item>"
        data = big_feed(10, extra=hostile).replace(b"<rss", doctype.encode() + b"<rss", 1)
        *items, problem = read_document("/d/hostile.rss", data, NOW, max_bytes=10_000)
        assert len(items) == 10 and problem["reason"] == "malformed_feed"
        assert "10 entries recovered" in problem["detail"]
