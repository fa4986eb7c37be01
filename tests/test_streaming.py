"""A streaming run of the real command against a feed that grows while it runs."""
import signal
import subprocess
import time
from xml.sax.saxutils import escape

import duckdb
import pytest

from tests.helpers import NEWSBEAM, table
from tests.webserver import NewsServer, article_page

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini


class GrowingFeed:
    def __init__(self, server):
        self.server = server
        self.entries = []  # (guid, path)

    def add(self, guid, slug, path=None):
        path = path or f"/news/{slug}.html"
        self.server.routes[path] = NewsServer.page(article_page(slug))
        self.entries.append((guid, path))

    def __call__(self, server, request):
        items = "".join(f"<item><title>{escape(g)}</title><link>{server.url(p)}</link>"
                        f"<guid>{escape(g)}</guid><description>Summary.</description></item>"
                        for g, p in self.entries)
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live Desk</title>' \
               f"{items}</channel></rss>"
        return 200, {"Content-Type": "application/rss+xml"}, body.encode()


def urls_written(output):
    try:
        return sorted(r[0] for r in duckdb.connect().execute(
            f"SELECT url FROM {table(output, 'articles')}").fetchall())
    except duckdb.Error:  # no file yet
        return []


def wait_for(output, expected, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if urls_written(output) == expected:
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def live(tmp_path):
    with NewsServer() as server:
        server.routes["/robots.txt"] = NewsServer.page("", content_type="text/plain")
        feed = GrowingFeed(server)
        server.routes["/live.rss"] = feed
        yield server, feed, tmp_path / "out"


def start(server, output, *extra):
    return subprocess.Popen(
        [NEWSBEAM, "run", "--streaming", "--feeds", server.url("/live.rss"), "--output",
         str(output), "--poll-interval", "1", "--window", "2", "--allow-private-networks",
         *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_entries_published_during_a_run_land_once_within_seconds(live):
    server, feed, output = live
    feed.add("g1", "mombasa-strike")
    feed.add("g2", "kisumu-floods")
    run = start(server, output, "--stop-after", "60")
    try:
        expected = sorted(server.url(p) for _, p in feed.entries)
        assert wait_for(output, expected, 40), "the first entries were not written"
        # published while the run goes on: readable within poll + window + a few seconds
        feed.add("g3", "lagos-protest")
        expected = sorted(server.url(p) for _, p in feed.entries)
        assert wait_for(output, expected, 1 + 2 + 10), urls_written(output)
        # the same story under another URL and GUID is a duplicate, not a new article
        feed.add("g4", "lagos-protest", path="/syndicated/lagos-copy.html")
        time.sleep(5)
        assert urls_written(output) == expected
        run.send_signal(signal.SIGTERM)  # drains: what was read is written, then exit 0
        stdout, stderr = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == 0, stderr
    assert "articles 3 + duplicates 1 + rejects 0 = items read 4" in stdout
    assert urls_written(output) == expected


def test_stop_after_ends_the_run_cleanly(live):
    server, feed, output = live
    feed.add("g1", "goma-aid")
    run = start(server, output, "--stop-after", "8")
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr
    assert "articles 1 + duplicates 0 + rejects 0 = items read 1" in stdout
    assert urls_written(output) == [server.url("/news/goma-aid.html")]


def test_keyed_state_runs_on_the_local_runner_and_writes_at_the_drain(live):
    # The distributed runners' path (keyed dedup and keyed stories): the local runner
    # writes nothing after a keyed step until the source ends, but what it writes then
    # is the same.
    server, feed, output = live
    feed.add("g1", "goma-aid")
    feed.add("g2", "goma-aid", path="/syndicated/goma-copy.html")
    run = start(server, output, "--stop-after", "8", "--keyed-state", "on")
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr
    assert "articles 1 + duplicates 1 + rejects 0 = items read 2" in stdout
    assert urls_written(output) == [server.url("/news/goma-aid.html")]
