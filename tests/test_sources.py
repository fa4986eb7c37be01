"""Feeds, OPML and article pages over HTTP from a real server on 127.0.0.1, end to end
through ``newsbeam run``; hostile feeds; reruns."""
import contextlib
import io
from xml.sax.saxutils import escape

import pytest

from newsbeam.pipeline import cli
from tests.helpers import rows
from tests.webserver import NewsServer, article_page, article_text

LONG_ENTRY = ("Fishermen in Kilifi said the new fishing rules would cost them half their "
              "catch, and several hundred of them gathered at the county offices on Friday "
              "to hand in a petition signed by 4,000 people. The county fisheries officer "
              "said the rules were meant to protect breeding grounds and would be reviewed "
              "after six months, but the fishermen's cooperative said it would go to court.")
FAST = ["--connect-timeout", "2", "--read-timeout", "1.5", "--min-entry-words", "40"]


def rss(title, items):
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<guid isPermaLink='false'>{escape(guid)}</guid>"
        f"<pubDate>Fri, 20 Nov 2026 09:00:00 +0300</pubDate><category>Africa</category>"
        f"<description>{escape(summary)}</description></item>"
        for guid, t, link, summary in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>https://courier.example/</link>"
            f"{entries}</channel></rss>")


def atom(title, entries):
    body = "".join(
        f"<entry><id>{escape(guid)}</id><title>{escape(t)}</title>"
        f'<link rel="alternate" href="{escape(link)}"/>'
        "<published>2026-11-21T08:00:00+01:00</published>"
        f"<summary>{escape(summary)}</summary></entry>"
        for guid, t, link, summary in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title>{body}</feed>")


@pytest.fixture(scope="module")
def server():
    with NewsServer() as news:
        base = news.base
        short = "A short summary of the story."
        news.routes.update({
            "/robots.txt": NewsServer.page("User-agent: *\nDisallow: /private/\n",
                                           content_type="text/plain"),
            "/news/mombasa.html": NewsServer.page(article_page("mombasa-strike")),
            "/news/kisumu.html": NewsServer.gzipped(article_page("kisumu-floods")),
            "/news/lagos.html": NewsServer.failing_then(503, 1, NewsServer.page(
                article_page("lagos-protest"))),
            "/news/old-accra.html": NewsServer.redirect("/news/accra.html", 301),
            "/news/accra.html": NewsServer.page(article_page("accra-talks")),
            "/news/abidjan.html": NewsServer.page(article_page("abidjan-cocoa", "windows-1252"),
                                                  charset="windows-1252"),
            "/news/goma.html": NewsServer.page(article_page("goma-aid")),
            "/news/harare.html": NewsServer.page(article_page("harare-teachers")),
            "/news/gone.html": NewsServer.status(404),
            "/news/stall.html": NewsServer.stall(4),
            "/news/loop-a.html": NewsServer.redirect("/news/loop-b.html"),
            "/news/loop-b.html": NewsServer.redirect("/news/loop-a.html"),
            "/news/report.pdf": NewsServer.page("%PDF-1.4", content_type="application/pdf"),
            "/news/huge.html": NewsServer.page(article_page("goma-aid") + "<p>x</p>" * 1_500_000),
            "/private/memo.html": NewsServer.page(article_page("goma-aid")),
            "/feeds/world.rss": NewsServer.page(rss("Coastal Courier", [
                ("cc-1", "Mombasa dockers strike", f"{base}/news/mombasa.html", short),
                ("cc-2", "Kisumu floods", f"{base}/news/kisumu.html", short),
                ("cc-3", "Lagos traders protest", f"{base}/news/lagos.html", short),
                ("cc-4", "Accra deal", f"{base}/news/old-accra.html", short),
                ("cc-5", "Abidjan cocoa blockade", f"{base}/news/abidjan.html", short),
                ("cc-6", "Removed story", f"{base}/news/gone.html", short),
                ("cc-7", "Kilifi fishermen", f"{base}/news/stall.html", LONG_ENTRY),
                ("cc-8", "Loop", f"{base}/news/loop-a.html", short),
                ("cc-9", "Report", f"{base}/news/report.pdf", short),
                ("cc-10", "Huge", f"{base}/news/huge.html", short),
                ("cc-11", "Memo", f"{base}/private/memo.html", short),
            ]), content_type="application/rss+xml"),
            "/feeds/dispatch.atom": NewsServer.page(atom("Lakes Dispatch", [
                ("tag:lakes,2026:1", "Goma aid", f"{base}/news/goma.html", short),
                ("tag:lakes,2026:2", "Harare teachers", f"{base}/news/harare.html", short),
            ]), content_type="application/atom+xml"),
            "/feeds/not-xml": NewsServer.page("this is not a feed at all",
                                              content_type="text/plain"),
            "/feeds/subscriptions.opml": NewsServer.page(
                '<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head>'
                "<body><outline text='Africa'>"
                "<outline text='Courier' type='rss' xmlUrl='/feeds/world.rss'/>"
                "<outline text='Regional'><outline text='Lakes' type='rss' "
                "xmlUrl='/feeds/dispatch.atom'/></outline>"
                "<outline text='Gone' type='rss' xmlUrl='/feeds/missing.rss'/>"
                "<outline text='Broken' type='rss' xmlUrl='/feeds/not-xml'/>"
                "</outline></body></opml>", content_type="text/x-opml"),
        })
        yield news


def run(*args):
    summary = io.StringIO()
    with contextlib.redirect_stdout(summary):
        status = cli.main(["run", *args])
    assert status == 0
    return summary.getvalue()


@pytest.fixture(scope="module")
def opml_run(server, tmp_path_factory):
    output = tmp_path_factory.mktemp("opml")
    summary = run("--feeds", server.url("/feeds/subscriptions.opml"), "--output", str(output),
                  "--run-id", "first", "--allow-private-networks", *FAST)
    return output, summary


def by_url(output, server):
    return {r["url"].replace(server.base, ""): r for r in rows(output, "articles")}


def rejected(output, server):
    return {r["input_ref"].replace(server.base, ""): r["reason"] for r in rows(output, "rejects")}


def test_every_page_behind_the_opml_feeds_is_an_article(opml_run, server):
    output, _ = opml_run
    articles = by_url(output, server)
    for path, slug in [("/news/mombasa.html", "mombasa-strike"),
                       ("/news/kisumu.html", "kisumu-floods"),  # gzip-encoded
                       ("/news/lagos.html", "lagos-protest"),  # 503, then 200
                       ("/news/accra.html", "accra-talks"),  # after a redirect
                       ("/news/abidjan.html", "abidjan-cocoa"),  # windows-1252
                       ("/news/goma.html", "goma-aid"), ("/news/harare.html", "harare-teachers")]:
        article = articles[path]
        assert article["text"] == article_text(slug), path
        assert article["content_source"] == "page"
    assert "Côte d'Ivoire" in articles["/news/abidjan.html"]["text"]


def test_feed_metadata_is_kept(opml_run, server):
    articles = by_url(opml_run[0], server)
    mombasa = articles["/news/mombasa.html"]
    assert mombasa["source"] == "Coastal Courier" and mombasa["external_id"] == "cc-1"
    assert mombasa["feed_url"] == server.url("/feeds/world.rss")
    assert mombasa["input_ref"] == server.url("/feeds/world.rss") + "#cc-1"
    assert mombasa["categories"] == ["Africa"] and mombasa["date_source"] == "feed"
    assert articles["/news/goma.html"]["source"] == "Lakes Dispatch"


def test_a_stalled_page_falls_back_to_a_substantial_entry(opml_run, server):
    article = by_url(opml_run[0], server)["/news/stall.html"]
    assert article["content_source"] == "feed_entry" and article["text"] == LONG_ENTRY


@pytest.mark.parametrize("ref,reason", [
    ("/feeds/world.rss#cc-6", "http_404"),
    ("/feeds/world.rss#cc-8", "redirect_loop"),
    ("/feeds/world.rss#cc-9", "not_html"),
    ("/feeds/world.rss#cc-10", "too_large"),
    ("/feeds/world.rss#cc-11", "robots_disallowed"),
    ("/feeds/missing.rss", "http_404"),
    ("/feeds/not-xml", "malformed_feed"),
])
def test_misbehaving_routes_end_as_rejects_with_their_reason(opml_run, server, ref, reason):
    assert rejected(opml_run[0], server)[ref] == reason


def test_the_summary_accounts_for_every_entry(opml_run):
    _, summary = opml_run
    # 11 + 2 entries, the missing feed and the broken one
    assert "articles 8 + duplicates 0 + rejects 7 = items read 15" in summary


def test_a_second_run_writes_no_article_twice(opml_run, server):
    output, _ = opml_run
    summary = run("--feeds", server.url("/feeds/subscriptions.opml"), "--output", str(output),
                  "--run-id", "second", "--allow-private-networks", *FAST)
    assert "articles 0 + duplicates 8 + rejects 7 = items read 15" in summary
    assert len(rows(output, "articles")) == 8


def test_no_fetch_uses_entry_content_only(server, tmp_path):
    before = len(server.requests)
    feed = tmp_path / "world.rss"
    feed.write_text(server.routes["/feeds/world.rss"](server, None)[2].decode())
    summary = run("--feeds", str(feed), "--no-fetch", "--output", str(tmp_path / "out"),
                  "--min-words", "40")
    assert len(server.requests) == before
    (article,) = rows(tmp_path / "out", "articles")
    assert article["content_source"] == "feed_entry" and article["text"] == LONG_ENTRY
    assert "articles 1 + duplicates 0 + rejects 10 = items read 11" in summary


def test_links_to_private_addresses_are_never_requested(server, tmp_path):
    before = len(server.requests)
    feed = tmp_path / "world.rss"
    feed.write_text(server.routes["/feeds/world.rss"](server, None)[2].decode())
    run("--feeds", str(feed), "--output", str(tmp_path / "out"), *FAST)
    assert len(server.requests) == before  # not one request reached the server
    reasons = {r["input_ref"].rsplit("#", 1)[1]: r["reason"]
               for r in rows(tmp_path / "out", "rejects")}
    assert reasons["cc-1"] == "blocked_private_address"
    assert by_url(tmp_path / "out", server)["/news/stall.html"]["content_source"] == \
        "feed_entry"


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">'
                            for i in range(1, 10))
                  + ']><rss version="2.0"><channel><title>Bomb</title><item><title>&lol9;'
                  "</title><description>&lol9;</description></item></channel></rss>")
LOCAL_FILE = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
              '<rss version="2.0"><channel><title>XXE</title><item><title>t</title>'
              "<description>&secret;</description></item></channel></rss>")


def test_hostile_feeds_neither_explode_nor_read_local_files(tmp_path):
    (tmp_path / "bomb.rss").write_text(BILLION_LAUGHS)
    (tmp_path / "xxe.rss").write_text(LOCAL_FILE)
    (tmp_path / "bomb.opml").write_text(BILLION_LAUGHS.replace("rss", "opml"))
    summary = run("--input", str(tmp_path), "--output", str(tmp_path / "out"), "--no-fetch")
    assert "articles 0" in summary
    texts = " ".join(r["detail"] for r in rows(tmp_path / "out", "rejects"))
    assert "root:" not in texts
    assert {r["reason"] for r in rows(tmp_path / "out", "rejects")} <= {
        "malformed_feed", "malformed_opml", "empty_text", "too_short"}


def test_a_warc_of_news_pages_gives_an_article_per_html_response(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i, slug in enumerate(["mombasa-strike", "goma-aid", "harare-teachers"]):
            url = f"https://courier.example/news/{slug}"
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(
                f"GET /news/{slug} HTTP/1.1\r\nHost: courier.example\r\n\r\n".encode())))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(article_page(slug).encode()),
                http_headers=headers, warc_headers_dict={
                    "WARC-Date": f"2026-11-2{i}T10:00:00Z"}))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://courier.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG..."),
            http_headers=image))
    summary = run("--input", str(path), "--output", str(tmp_path / "out"))
    articles = {r["url"]: r for r in rows(tmp_path / "out", "articles")}
    assert sorted(articles) == [f"https://courier.example/news/{s}" for s in
                                ("goma-aid", "harare-teachers", "mombasa-strike")]
    goma = articles["https://courier.example/news/goma-aid"]
    assert goma["text"] == article_text("goma-aid") and goma["content_source"] == "page"
    assert goma["date_source"] == "captured" and str(goma["date"]) == "2026-11-21"
    assert goma["external_id"].startswith("<urn:uuid:")
    assert "articles 3 + duplicates 0 + rejects 0 = items read 3" in summary
    assert "skipped 4 WARC records that are not article pages  (not_html 1, request 3)" \
        in summary
