"""The fetcher against a real HTTP server on 127.0.0.1."""
import time

import pytest

from newsbeam.core.fetch import FetchSettings, Fetcher, is_public_address
from newsbeam.core.records import Rejected
from webserver import NewsServer, article_page

FAST = FetchSettings(connect_timeout=2, read_timeout=1.5, max_bytes=1_000_000, retries=2,
                     allow_private=True, max_retry_wait=3)


@pytest.fixture(scope="module")
def server():
    with NewsServer() as news:
        page = article_page("mombasa-strike")
        news.routes.update({
            "/robots.txt": NewsServer.page("User-agent: *\nDisallow: /private/\n",
                                           content_type="text/plain"),
            "/news/ok.html": NewsServer.page(page),
            "/news/gone.html": NewsServer.status(404),
            "/news/broken.html": NewsServer.status(500),
            "/news/flaky.html": NewsServer.failing_then(503, 1, NewsServer.page(page)),
            "/news/busy.html": NewsServer.failing_then(429, 1, NewsServer.page(page),
                                                       {"Retry-After": "1"}),
            "/news/later.html": NewsServer.failing_then(503, 9, NewsServer.page(page),
                                                        {"Retry-After": "3600"}),
            "/news/stall.html": NewsServer.stall(5),
            "/news/loop-a.html": NewsServer.redirect("/news/loop-b.html"),
            "/news/loop-b.html": NewsServer.redirect("/news/loop-a.html"),
            "/news/moved.html": NewsServer.redirect("/news/ok.html", 301),
            "/news/huge.html": NewsServer.page(page + "<p>x</p>" * 400_000),
            "/news/report.pdf": NewsServer.page("%PDF-1.4 ...", content_type="application/pdf"),
            "/news/zipped.html": NewsServer.gzipped(page),
            "/news/cp1252.html": NewsServer.page("<html><body><p>Señor Peñaloza, “hola”</p>"
                                                 "</body></html>", charset="windows-1252"),
            "/private/page.html": NewsServer.page(page),
            "/news/to-ftp.html": NewsServer.redirect("ftp://127.0.0.1/file"),
        })
        yield news


def reason(fetcher, url):
    with pytest.raises(Rejected) as err:
        fetcher.get(url)
    return err.value.reason


def test_a_page_is_fetched_with_a_newsbeam_user_agent(server):
    fetcher = Fetcher(FetchSettings(**{**FAST.__dict__, "contact": "ops@example.org"}))
    response = fetcher.get(server.url("/news/ok.html"))
    assert response.status == 200 and b"Mombasa" in response.body
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert fetcher.settings.user_agent == "newsbeam/0.1 (news ingestion; +ops@example.org)"


@pytest.mark.parametrize("path,expected", [
    ("/news/gone.html", "http_404"),
    ("/news/broken.html", "http_500"),
    ("/news/loop-a.html", "redirect_loop"),
    ("/news/huge.html", "too_large"),
    ("/news/report.pdf", "not_html"),
    ("/private/page.html", "robots_disallowed"),
    ("/news/to-ftp.html", "unsupported_scheme"),
])
def test_failures_have_precise_reasons(server, path, expected):
    assert reason(Fetcher(FAST), server.url(path)) == expected


def test_a_stalled_response_times_out_within_the_limit(server):
    started = time.monotonic()
    assert reason(Fetcher(FAST), server.url("/news/stall.html")) == "timeout"
    assert time.monotonic() - started < 4


def test_503_then_200_is_retried(server):
    assert b"Mombasa" in Fetcher(FAST).get(server.url("/news/flaky.html")).body


def test_429_waits_for_retry_after(server):
    started = time.monotonic()
    assert b"Mombasa" in Fetcher(FAST).get(server.url("/news/busy.html")).body
    assert time.monotonic() - started >= 1


def test_a_retry_after_beyond_the_limit_is_not_waited_for(server):
    started = time.monotonic()
    assert reason(Fetcher(FAST), server.url("/news/later.html")) == "http_503"
    assert time.monotonic() - started < 2


def test_redirects_are_followed_to_the_final_url(server):
    response = Fetcher(FAST).get(server.url("/news/moved.html"))
    assert response.url == server.url("/news/ok.html") and b"Mombasa" in response.body


def test_gzip_content_encoding_is_undone(server):
    assert b"Mombasa" in Fetcher(FAST).get(server.url("/news/zipped.html")).body


def test_the_header_charset_is_reported(server):
    response = Fetcher(FAST).get(server.url("/news/cp1252.html"))
    assert response.charset == "windows-1252"
    assert "Peñaloza" in response.body.decode("cp1252")


def test_robots_can_be_ignored(server):
    settings = FetchSettings(**{**FAST.__dict__, "obey_robots": False})
    assert Fetcher(settings).get(server.url("/private/page.html")).status == 200


def test_private_addresses_are_refused_before_connecting(server):
    before = len(server.requests)
    fetcher = Fetcher(FetchSettings(**{**FAST.__dict__, "allow_private": False}))
    assert reason(fetcher, server.url("/news/ok.html")) == "blocked_private_address"
    assert reason(fetcher, "http://localhost:9/") == "blocked_private_address"
    assert len(server.requests) == before  # not even robots.txt was asked for


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    # Treat the test server's loopback address as public, so that the first hop is
    # allowed and only the redirect's target (cloud metadata) is vetted out.
    from newsbeam.core import fetch
    real = fetch.is_public_address
    monkeypatch.setattr(fetch, "is_public_address",
                        lambda address: address == "127.0.0.1" or real(address))
    server.routes["/news/to-metadata.html"] = NewsServer.redirect(
        "http://169.254.169.254/latest/meta-data/")
    strict = Fetcher(FetchSettings(**{**FAST.__dict__, "allow_private": False}))
    assert reason(strict, server.url("/news/to-metadata.html")) == "blocked_private_address"


@pytest.mark.parametrize("address,public", [
    ("8.8.8.8", True), ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False),
    ("169.254.169.254", False), ("224.0.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("::ffff:127.0.0.1", False), ("100.64.0.1", False),
    ("2001:4860:4860::8888", True),
])
def test_address_vetting(address, public):
    assert is_public_address(address) is public


def test_many_pages_are_fetched_concurrently(server):
    urls = [server.url("/news/ok.html")] * 8 + [server.url("/news/stall.html")]
    started = time.monotonic()
    results = dict(Fetcher(FAST).get_many(urls))
    elapsed = time.monotonic() - started
    assert sorted(results) == list(range(9))
    assert all(not isinstance(results[i], Rejected) for i in range(8))
    assert results[8].reason == "timeout"
    assert elapsed < 3.5  # the stalled page did not hold up the others
