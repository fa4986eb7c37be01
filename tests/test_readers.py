import datetime as dt
import json

from newsbeam.core.readers import format_of, read_document
from newsbeam.core.records import RawItem

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


def items(outputs):
    return [o for o in outputs if isinstance(o, RawItem)]


def rejects(outputs):
    return [o for o in outputs if not isinstance(o, RawItem)]


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
    assert entry.published_at.isoformat() == "2026-11-19T05:00:00+00:00"


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


def test_formats_not_supported_yet_are_rejects_not_crashes():
    (warc,) = read_document("/d/crawl.warc", b"WARC/1.0\r\n", NOW)
    assert warc["reason"] == "unsupported_format"


def test_compressed_files_are_undone_and_damaged_ones_rejected():
    import bz2
    import gzip
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
