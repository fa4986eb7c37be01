"""The fetcher against a real HTTP server on 127.0.0.1, misbehaving on purpose: answers
cut short or dripped, every framing, content codings, IRIs, TLS, robots.txt."""
import gzip
import time

import brotli
import pytest

from newsbeam.core.sources import fetch
from newsbeam.core.sources.fetch import FetchSettings, Fetcher, is_public_address
from newsbeam.core.records import Rejected
from tests.servers import make_certificates
from tests.webserver import NewsServer, article_page, chunked, http_response

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini

FAST = FetchSettings(connect_timeout=2, read_timeout=1.5, max_bytes=1_000_000, retries=2,
                     allow_private=True, max_retry_wait=3)
PAGE = article_page("mombasa-strike")
BODY = PAGE.encode("utf-8")
HTML = {"Content-Type": "text/html; charset=utf-8"}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n"


def settings(**changes) -> FetchSettings:
    return FetchSettings(**{**FAST.__dict__, **changes})


ONCE = settings(retries=0)  # a failure is final: its own reason, at once


def raw_page(status_line="HTTP/1.1 200 OK", body=BODY, **headers):
    return NewsServer.raw(http_response(status_line, {**HTML, **headers}, body))


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
            "/news/always-304.html": NewsServer.status(304),
            # framings: HTTP/1.0 ending at close, keep-alive, chunked, Connection: close
            "/wire/http10-close.html": raw_page("HTTP/1.0 200 OK"),
            "/wire/close.html": raw_page(**{"Content-Length": len(BODY), "Connection": "close"}),
            "/wire/keep-alive.html": NewsServer.raw(http_response(
                "HTTP/1.1 200 OK", {**HTML, "Content-Length": len(BODY),
                                    "Connection": "keep-alive"}, BODY), keep_open=True),
            "/wire/chunked-keep-alive.html": NewsServer.raw(http_response(
                "HTTP/1.1 200 OK", {**HTML, "Transfer-Encoding": "chunked"}, chunked(BODY)),
                keep_open=True),
            "/wire/chunked-gzip-close.html": raw_page(
                body=chunked(gzip.compress(BODY)), **{"Transfer-Encoding": "chunked",
                                                      "Content-Encoding": "gzip",
                                                      "Connection": "close"}),
            # bodies cut short
            "/cut/length.html": raw_page(body=BODY[:300], **{"Content-Length": len(BODY)}),
            "/cut/chunked.html": raw_page(body=chunked(BODY)[:500],
                                          **{"Transfer-Encoding": "chunked"}),
            "/cut/gzip-at-close.html": raw_page("HTTP/1.0 200 OK", gzip.compress(BODY)[:200],
                                                **{"Content-Encoding": "gzip"}),
            "/cut/br-stored.html": raw_page(body=brotli.compress(BODY)[:200],
                                            **{"Content-Encoding": "br",
                                               "Content-Length": 200}),
            # content codings
            "/coded/br.html": NewsServer.encoded(PAGE, "br"),
            "/coded/deflate.html": NewsServer.encoded(PAGE, "deflate"),
            # dripped: headers past the deadline, a body within it, a body past it
            "/drip/redirect.html": NewsServer.raw(*[bytes([b]) for b in http_response(
                "HTTP/1.1 302 Found", {"Location": "/news/ok.html", "Content-Length": 0})],
                pause=0.1),
            "/drip/in-time.html": NewsServer.raw(
                http_response("HTTP/1.0 200 OK", HTML),
                *[BODY[i:i + 100] for i in range(0, len(BODY), 100)], pause=0.1),
            "/drip/too-slow.html": NewsServer.raw(
                http_response("HTTP/1.1 200 OK", {**HTML, "Content-Length": len(BODY)}),
                *[BODY[i:i + 20] for i in range(0, len(BODY), 20)], pause=0.1),
            # redirects to URLs that are not ASCII
            "/moved/utf8.html": NewsServer.raw(http_response(
                "HTTP/1.1 302 Found", {"Location": "/nouvelles/été.html", "Content-Length": 0})),
            "/moved/latin1.html": NewsServer.redirect("/nouvelles/café.html"),  # byte E9
            "/moved/spaced.html": NewsServer.redirect("/news/my story.html"),
            "/nouvelles/%C3%A9t%C3%A9.html": NewsServer.page(page),
            "/nouvelles/caf%E9.html": NewsServer.page(page),
            "/news/my%20story.html": NewsServer.page(page),
            # declared types
            "/types/plain.html": NewsServer.page(page, content_type="text/plain"),
            "/types/octet.html": NewsServer.page(page, content_type="application/octet-stream"),
            "/types/none.html": NewsServer.raw(http_response(
                "HTTP/1.1 200 OK", {"Content-Length": len(BODY)}, BODY)),
            "/types/octet.pdf": NewsServer.raw(http_response("HTTP/1.1 200 OK", {
                "Content-Type": "application/octet-stream", "Content-Length": len(PDF)}, PDF)),
            "/types/none.pdf": NewsServer.raw(http_response(
                "HTTP/1.1 200 OK", {"Content-Length": len(PDF)}, PDF)),
            "/types/logo.png": NewsServer.page("PNG", content_type="image/png"),
            "/types/notes.txt": NewsServer.page("Plain words, not a page.",
                                                content_type="text/plain"),
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
    ("/news/always-304.html", "http_304"),  # a 304 to a request that was not conditional
    ("/types/octet.pdf", "not_html"),
    ("/types/none.pdf", "not_html"),
    ("/types/logo.png", "not_html"),
    ("/types/notes.txt", "not_html"),
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


@pytest.mark.parametrize("path", ["/wire/http10-close.html", "/wire/close.html",
                                  "/wire/keep-alive.html", "/wire/chunked-keep-alive.html",
                                  "/wire/chunked-gzip-close.html"])
def test_every_framing_of_a_response_gives_the_whole_body(server, path):
    assert Fetcher(ONCE).get(server.url(path)).body == BODY


@pytest.mark.parametrize("path", ["/cut/length.html", "/cut/chunked.html",
                                  "/cut/gzip-at-close.html", "/cut/br-stored.html"])
def test_a_body_cut_short_is_rejected_never_passed_on(server, path):
    assert reason(Fetcher(ONCE), server.url(path)) == "incomplete_body"


def test_a_body_cut_short_once_is_fetched_again(server):
    cut = NewsServer.raw(http_response("HTTP/1.0 200 OK", {**HTML, "Content-Length":
                                                           len(BODY)}, BODY[:300]))
    whole = NewsServer.page(PAGE)
    server.routes["/cut/once.html"] = lambda srv, request: (
        cut if srv.hits[request.path] == 1 else whole)(srv, request)
    assert Fetcher(FAST).get(server.url("/cut/once.html")).body == BODY
    assert server.hits["/cut/once.html"] == 2


@pytest.mark.parametrize("coding", ["br", "deflate"])
def test_brotli_and_deflate_are_asked_for_and_undone(server, coding):
    path = f"/coded/{coding}.html"
    assert Fetcher(ONCE).get(server.url(path)).body == BODY
    assert server.headers[path]["Accept-Encoding"] == "gzip, deflate, br"


def test_headers_dripped_past_the_deadline_are_a_timeout(server):
    # a redirect, a byte every 0.1 s: each read is quick, the whole answer is not
    assert reason(Fetcher(ONCE), server.url("/drip/redirect.html")) == "timeout"
    assert "/news/ok.html" not in server.requests[-1:]


def test_a_body_dripped_within_the_deadline_is_accepted(server):
    response = Fetcher(settings(retries=0, read_timeout=10)).get(
        server.url("/drip/in-time.html"))
    assert response.body == BODY


def test_a_body_dripped_past_the_deadline_is_a_timeout(server):
    assert reason(Fetcher(ONCE), server.url("/drip/too-slow.html")) == "timeout"


@pytest.mark.parametrize("path,final", [
    ("/moved/utf8.html", "/nouvelles/%C3%A9t%C3%A9.html"),  # Location in UTF-8
    ("/moved/latin1.html", "/nouvelles/caf%E9.html"),  # a byte that is not UTF-8
    ("/moved/spaced.html", "/news/my%20story.html"),
])
def test_a_location_that_is_not_plain_ascii_is_followed(server, path, final):
    response = Fetcher(ONCE).get(server.url(path))
    assert response.url == server.url(final) and response.body == BODY
    assert server.requests[-1] == final


@pytest.mark.parametrize("link,sent", [
    ("/nouvelles/été.html", "/nouvelles/%C3%A9t%C3%A9.html"),  # an IRI, as feeds write them
    ("/nouvelles/%C3%A9t%C3%A9.html", "/nouvelles/%C3%A9t%C3%A9.html"),  # left alone
    ("/news/ok.html?q=été&x=a b", "/news/ok.html?q=%C3%A9t%C3%A9&x=a%20b"),
    ("/news/my story.html#top", "/news/my%20story.html"),
])
def test_links_are_requested_as_browsers_send_them(server, link, sent):
    response = Fetcher(ONCE).get(server.url(link))
    assert response.body == BODY and server.requests[-1] == sent
    assert response.url == server.url(sent)


def test_a_non_ascii_host_is_looked_up_in_idna():
    fetcher = Fetcher(ONCE)
    with pytest.raises(Rejected) as err:  # UTS 46, as browsers: ß stays, as xn--fa-hia
        fetcher.get("http://faß.invalid/news/")
    assert err.value.reason == "dns_error" and "xn--fa-hia.invalid" in err.value.detail
    assert reason(fetcher, "http://news-.ünïcode.example/") == "bad_url"


@pytest.mark.parametrize("path", ["/types/plain.html", "/types/octet.html", "/types/none.html"])
def test_a_page_under_a_generic_type_is_taken_when_it_is_html(server, path):
    assert Fetcher(ONCE).get(server.url(path)).body == BODY


def test_an_unexpected_error_on_one_url_is_a_reject_for_that_url(server, monkeypatch):
    real = fetch._content_type

    def broken(value):  # a bug of ours that only one page's header meets
        if "x-trigger" in value:
            raise KeyError("charset")
        return real(value)

    monkeypatch.setattr(fetch, "_content_type", broken)
    server.routes["/news/trigger.html"] = NewsServer.page(PAGE, content_type="text/x-trigger")
    urls = [server.url("/news/ok.html"), server.url("/news/trigger.html"),
            server.url("/news/ok.html")]
    results = dict(Fetcher(ONCE).get_many(urls))
    assert results[0].body == results[2].body == BODY
    assert (results[1].reason, results[1].detail) == ("internal_error", "KeyError: 'charset'")


# --- TLS ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certificates"))


def tls_server(certificate, key):
    news = NewsServer(tls=(certificate, key))
    news.routes.update({"/robots.txt": NewsServer.page("", content_type="text/plain"),
                        "/news/ok.html": NewsServer.page(PAGE)})
    return news


@pytest.fixture
def trusting(certificates, monkeypatch):
    """Our test authority as OpenSSL's trust store: only the server's certificate decides."""
    monkeypatch.setenv("SSL_CERT_FILE", certificates.authority)


def test_https_with_a_certificate_we_trust(certificates, trusting):
    with tls_server(certificates.server, certificates.server_key) as news:
        assert Fetcher(ONCE).get(news.url("/news/ok.html")).body == BODY


@pytest.mark.parametrize("which", ["self_signed", "wrong_name"])
def test_a_certificate_that_does_not_check_out_is_a_tls_error(certificates, trusting, which):
    with tls_server(getattr(certificates, which),
                    getattr(certificates, f"{which}_key")) as news:
        assert reason(Fetcher(ONCE), news.url("/news/ok.html")) == "tls_error"
        assert "/news/ok.html" not in news.requests


def test_https_to_a_server_speaking_plain_http_is_a_tls_error(server):
    url = server.url("/news/ok.html").replace("http://", "https://")
    assert reason(Fetcher(ONCE), url) == "tls_error"


# --- robots.txt -----------------------------------------------------------------------

def test_robots_txt_is_fetched_once_per_origin_however_many_threads_ask():
    with NewsServer() as news:
        def slow_robots(server, request):  # long enough for every thread to want it
            time.sleep(0.5)
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /x/\n"
        news.routes.update({"/robots.txt": slow_robots, "/news/ok.html": NewsServer.page(PAGE)})
        fetcher = Fetcher(settings(per_host=16, concurrency=16))
        results = dict(fetcher.get_many([news.url("/news/ok.html")] * 16))
        assert all(r.body == BODY for r in results.values())
        assert news.hits["/robots.txt"] == 1


def test_a_redirected_robots_txt_is_followed_and_obeyed():
    with NewsServer() as news:
        news.routes.update({
            "/robots.txt": NewsServer.redirect("/policies/robots.txt", 301),
            "/policies/robots.txt": NewsServer.page("User-agent: *\nDisallow: /news/\n",
                                                    content_type="text/plain"),
            "/news/ok.html": NewsServer.page(PAGE), "/about.html": NewsServer.page(PAGE)})
        fetcher = Fetcher(ONCE)
        assert reason(fetcher, news.url("/news/ok.html")) == "robots_disallowed"
        assert fetcher.get(news.url("/about.html")).body == BODY
        assert "/news/ok.html" not in news.requests


def test_a_robots_txt_redirect_loop_allows_all():
    with NewsServer() as news:  # RFC 9309: too many redirects, robots.txt is unavailable
        news.routes.update({"/robots.txt": NewsServer.redirect("/robots-b.txt"),
                            "/robots-b.txt": NewsServer.redirect("/robots.txt"),
                            "/news/ok.html": NewsServer.page(PAGE)})
        assert Fetcher(ONCE).get(news.url("/news/ok.html")).body == BODY


def test_a_robots_txt_redirect_to_a_private_address_is_refused(monkeypatch):
    real = fetch.is_public_address  # the test server's address passes as public
    monkeypatch.setattr(fetch, "is_public_address",
                        lambda address: address == "127.0.0.1" or real(address))
    with NewsServer() as news:
        news.routes.update({
            "/robots.txt": NewsServer.redirect("http://169.254.169.254/robots.txt"),
            "/news/ok.html": NewsServer.page(PAGE)})
        strict = Fetcher(settings(retries=0, allow_private=False))
        assert reason(strict, news.url("/news/ok.html")) == "blocked_private_address"
        assert "/news/ok.html" not in news.requests
