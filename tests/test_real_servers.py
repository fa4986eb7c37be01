"""The fetcher and ``newsbeam run`` against real server software on 127.0.0.1: nginx 1.22
from Debian (gzip, chunked, keep-alive, limit_rate, return 30x, ETag, TLS) and Python's
http.server (HTTP/1.0), serving the site tests/servers.py writes."""
import http.client

import pytest

from newsbeam.core.sources.decoding import decode
from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.core.records import Rejected
from tests.helpers import newsbeam, rows, scalar, table
from tests.servers import (ARTICLES, ARTICLES_FEED, FEED, REJECTED, Nginx, PythonHttpServer,
                           make_certificates, write_site)
from tests.webserver import article_text

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini

SETTINGS = FetchSettings(connect_timeout=5, read_timeout=10, retries=0, allow_private=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, certificates):
    folder = tmp_path_factory.mktemp("nginx")
    root = folder / "site"
    root.mkdir()
    with Nginx(root, folder, certificates) as server:
        write_site(root, server.base)
        server.root = root
        yield server


@pytest.fixture(scope="module")
def http_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("http-server")
    root = folder / "site"
    root.mkdir()
    with PythonHttpServer(root, folder) as server:
        write_site(root, server.base)
        server.root = root
        yield server


@pytest.fixture(params=["nginx", "http.server"])
def server(request):
    return request.getfixturevalue({"nginx": "nginx", "http.server": "http_server"}[
        request.param])


def reason(url, settings=SETTINGS):
    with pytest.raises(Rejected) as err:
        Fetcher(settings).get(url)
    return err.value.reason


# --- the servers answer as these tests assume ---------------------------------------

def test_the_servers_answer_the_way_the_tests_rely_on(nginx, http_server):
    headers = {"Accept-Encoding": "gzip, deflate, br", "Connection": "close"}
    connection = http.client.HTTPConnection("127.0.0.1", nginx.port)
    connection.request("GET", "/news/mombasa.html", headers=headers)
    answer = connection.getresponse()
    assert answer.getheader("Server").startswith("nginx/1.22")
    assert answer.getheader("Transfer-Encoding") == "chunked"
    assert answer.getheader("Content-Encoding") == "gzip"
    assert answer.getheader("Connection") == "close"
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", http_server.port)
    connection.request("GET", "/news/mombasa.html", headers=headers)
    answer = connection.getresponse()
    assert answer.version == 10 and answer.getheader("Content-Encoding") is None
    connection.close()


# --- the fetcher, against both --------------------------------------------------------

@pytest.mark.parametrize("page", ARTICLES, ids=[p.served_as for p in ARTICLES])
def test_every_article_page_arrives_whole(server, page):
    response = Fetcher(SETTINGS).get(server.url(page.link))
    assert response.url == server.url(page.fetched)
    assert response.body == (server.root / page.file).read_bytes()


def test_a_charset_declared_only_in_the_page_decodes_it(server):
    response = Fetcher(SETTINGS).get(server.url("/news/abidjan.html"))
    assert response.charset is None
    assert "Côte d'Ivoire" in decode(response.body, response.charset).replace("&#x27;", "'")


def test_a_percent_encoded_link_is_not_encoded_twice(server):
    response = Fetcher(SETTINGS).get(server.url("/nouvelles/goma-aid%C3%A9.html"))
    assert response.url == server.url("/nouvelles/goma-aid%C3%A9.html")
    assert ("/nouvelles/goma-aid%C3%A9.html", 200) in server.requested()


@pytest.mark.parametrize("path", sorted(REJECTED))
def test_what_is_not_an_article_is_rejected_with_its_reason(server, path):
    assert reason(server.url(path)) == REJECTED[path]


def test_a_conditional_get_of_an_unchanged_feed_is_not_modified(server):
    fetcher = Fetcher(SETTINGS)
    first = fetcher.get(server.url(FEED), accept="feed")
    assert b"Coastal Courier" in first.body and (first.etag or first.last_modified)
    again = fetcher.get(server.url(FEED), accept="feed", etag=first.etag,
                        last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert server.requested()[-1] == (FEED, 304)


def test_robots_txt_is_fetched_once_however_many_threads_ask(server):
    before = server.requested().count(("/robots.txt", 200))
    fetcher = Fetcher(FetchSettings(**{**SETTINGS.__dict__, "per_host": 16}))
    urls = [server.url(f"/news/mombasa.html?copy={i}") for i in range(16)]
    results = dict(fetcher.get_many(urls))
    assert all(not isinstance(r, Rejected) for r in results.values())
    assert server.requested().count(("/robots.txt", 200)) == before + 1


# --- the fetcher, against what only nginx does here ---------------------------------

@pytest.mark.parametrize("path,final", [
    ("/redirect/absolute", "/news/mombasa.html"),  # 301 to an absolute URL
    ("/redirect/found", "/news/mombasa.html"),  # 302
    ("/redirect/see-other", "/news/mombasa.html"),  # 303
    ("/redirect/temporary", "/news/mombasa.html"),  # 307
    ("/redirect/permanent", "/news/mombasa.html"),  # 308
    ("/redirect/relative/root", "/news/mombasa.html"),  # Location: /news/...
    ("/redirect/relative/a/b", "/news/mombasa.html"),  # Location: ../../../news/...
    ("/redirect/relative/protocol", "/news/mombasa.html"),  # Location: //host:port/...
    ("/redirect/relative/spaced", "/news/with%20space.html"),  # a space in Location
    ("/redirect/relative/unicode", "/nouvelles/goma-aid%C3%A9.html"),  # UTF-8 Location
    ("/news/paged.html", "/news/paged.html?page=2"),  # Location: ?page=2
    ("/refresh/now.html", "/news/mombasa.html"),  # 200 with Refresh: 0; url=...
])
def test_every_form_of_redirect_is_followed(nginx, path, final):
    response = Fetcher(SETTINGS).get(nginx.url(path))
    assert response.url == nginx.url(final)
    file = final.split("?")[0].replace("%20", " ").replace("%C3%A9", "é").lstrip("/")
    assert response.body == (nginx.root / file).read_bytes()


def test_a_delayed_refresh_leaves_the_page_as_it_is(nginx):
    response = Fetcher(SETTINGS).get(nginx.url("/refresh/later.html"))
    assert response.url == nginx.url("/refresh/later.html")
    assert response.body == (nginx.root / "refresh/later.html").read_bytes()


def test_a_redirect_to_itself_is_a_loop(nginx):
    assert reason(nginx.url("/redirect/relative/loop")) == "redirect_loop"


def test_a_slow_drip_past_the_deadline_is_a_timeout(nginx):
    # 24 kB at 1 kB/s: bytes keep coming, but not the whole page within 3 s
    settings = FetchSettings(**{**SETTINGS.__dict__, "read_timeout": 3})
    assert reason(nginx.url("/slow/long.html"), settings) == "timeout"


def test_an_unconditional_304_is_a_reject(nginx):
    assert reason(nginx.url("/weird/unconditional-304")) == "http_304"


def test_https_with_a_trusted_certificate(nginx, certificates, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", certificates.authority)  # OpenSSL's trust store
    response = Fetcher(SETTINGS).get(nginx.tls_base + "/news/mombasa.html")
    assert response.body == (nginx.root / "news/mombasa.html").read_bytes()


def test_https_with_a_certificate_nobody_vouches_for_is_a_tls_error(nginx):
    assert reason(nginx.tls_base + "/news/mombasa.html") == "tls_error"


def test_a_redirected_robots_txt_is_obeyed(nginx):
    # this port's robots.txt redirects to /policies/robots.txt, which disallows /news/
    assert reason(nginx.robots_base + "/news/mombasa.html") == "robots_disallowed"
    assert Fetcher(SETTINGS).get(nginx.robots_base + "/slow/harare.html").status == 200


# --- newsbeam run, end to end ---------------------------------------------------------

def feed_ref(server, index):
    return f"{server.url(FEED)}#item-{index}"


def check_articles(server, output):
    """Every page of the feed is an article with its page's text, the copy is not."""
    articles = {r["url"]: r for r in rows(output, "articles")}
    assert sorted(articles) == sorted(server.url(p.fetched) for p in ARTICLES)
    for page in ARTICLES:
        article = articles[server.url(page.fetched)]
        assert article["text"] == article_text(page.slug), page.served_as
        assert article["content_source"] == "page"
    assert scalar(f"SELECT count(*) FROM {table(output, 'articles')}") == len(ARTICLES)


def check_rejects(server, output):
    rejects = {r["input_ref"]: r["reason"] for r in rows(output, "rejects")}
    first_reject = len(ARTICLES) + 1  # after the articles and the duplicate
    assert rejects == {feed_ref(server, first_reject + i): REJECTED[path]
                       for i, path in enumerate(REJECTED)}


def summary_line(articles, duplicates, rejects):
    return (f"articles {articles} + duplicates {duplicates} + rejects {rejects} = "
            f"items read {articles + duplicates + rejects}")


def test_a_run_over_the_feed_writes_every_page_as_an_article(server, tmp_path):
    output = tmp_path / "out"
    # the page with a UTF-8 path also given by --input, as an IRI: a duplicate
    done = newsbeam("run", "--feeds", server.url(FEED), "--input",
                    server.url("/nouvelles/goma-aidé.html"), "--allow-private-networks",
                    "--output", str(output))
    assert summary_line(len(ARTICLES), 2, len(REJECTED)) in done.stdout
    check_articles(server, output)
    check_rejects(server, output)


def streaming_run(server, feed, output):
    """A streaming run over ``feed``; its summary and the statuses of its polls."""
    start = len(server.requested())
    done = newsbeam("run", "--streaming", "--feeds", server.url(feed), "--poll-interval", "1",
                    "--stop-after", "6", "--allow-private-networks", "--output", str(output))
    return done.stdout, [status for path, status in server.requested()[start:] if path == feed]


def test_a_streaming_run_over_the_feed_writes_every_page_once(server, tmp_path):
    summary, polls = streaming_run(server, ARTICLES_FEED, tmp_path / "out")
    assert summary_line(len(ARTICLES), 1, 0) in summary
    check_articles(server, tmp_path / "out")
    assert polls[0] == 200 and 304 in polls[1:]  # later polls are conditional GETs


def test_a_streaming_run_with_rejected_pages_accounts_for_each(nginx, tmp_path):
    summary, _ = streaming_run(nginx, FEED, tmp_path / "out")
    assert summary_line(len(ARTICLES), 1, len(REJECTED)) in summary
    check_articles(nginx, tmp_path / "out")
    check_rejects(nginx, tmp_path / "out")
