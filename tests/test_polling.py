"""Polling feeds: due times, conditional GETs, back-off; the streaming dedup index."""
import datetime as dt

import pytest

from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.core.sources.polling import FeedPoller
from newsbeam.core.sources.readers import InputFile
from newsbeam.core.records import ITEM, REJECT
from newsbeam.core.articles.dedup import SeenIndex
from tests.webserver import NewsServer

pytestmark = pytest.mark.xdist_group("timed")  # see pytest.ini

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc)
FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>'
        "<item><title>One</title><guid>g1</guid><description>First.</description></item>"
        "<item><title>Two</title><guid>g2</guid><description>Second.</description></item>"
        "</channel></rss>")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def server():
    with NewsServer() as news:
        news.routes["/robots.txt"] = NewsServer.page("", content_type="text/plain")
        news.routes["/live.rss"] = NewsServer.with_etag(FEED)
        news.routes["/down.rss"] = NewsServer.status(503)
        yield news


def poller(clock):
    fetcher = Fetcher(FetchSettings(allow_private=True, retries=0, connect_timeout=2,
                                    read_timeout=2))
    return FeedPoller(fetcher, poll_interval=60, clock=clock)


def test_a_feed_is_fetched_when_due_and_conditionally(server):
    clock = Clock()
    feeds = poller(clock)
    feed = InputFile(server.url("/live.rss"), "feed")
    first = feeds.poll(feed, NOW)
    assert [f.value.external_id for f in first if f.kind == ITEM] == ["g1", "g2"]
    clock.now += 30  # not due yet: no request at all
    assert feeds.poll(feed, NOW) == [] and server.hits["/live.rss"] == 1
    clock.now += 31  # due: a conditional GET answered 304, nothing new
    assert feeds.poll(feed, NOW) == [] and server.hits["/live.rss"] == 2


def test_a_failing_feed_is_a_reject_and_backs_off(server):
    clock = Clock()
    feeds = poller(clock)
    feed = InputFile(server.url("/down.rss"), "feed")
    ((kind, failure),) = feeds.poll(feed, NOW)
    assert kind == REJECT and failure["reason"] == "http_503" and failure["stage"] == "poll"
    assert "tried again in 120 s" in failure["detail"]
    clock.now += 100
    assert feeds.poll(feed, NOW) == []  # still backing off
    clock.now += 30
    ((_, again),) = feeds.poll(feed, NOW)
    assert "tried again in 240 s" in again["detail"]


def test_local_feed_files_are_reread_only_when_they_change(tmp_path):
    clock = Clock()
    feeds = poller(clock)
    path = tmp_path / "feed.rss"
    path.write_text(FEED)
    feed = InputFile(str(path), "feed")
    assert len(feeds.poll(feed, NOW)) == 2
    clock.now += 61
    assert feeds.poll(feed, NOW) == []
    path.write_text(FEED.replace("</channel>", "<item><guid>g3</guid><description>Third."
                                               "</description></item></channel>"))
    clock.now += 61
    assert len(feeds.poll(feed, NOW)) == 3


def test_the_seen_index_forgets_after_its_horizon():
    index = SeenIndex(horizon_seconds=100)
    assert index.add_if_new("a", "x", at=0)
    assert not index.add_if_new("b", "x", at=50)  # same text
    assert index.add_if_new("c", "y", at=90)
    assert index.add_if_new("a", "x", at=150)  # a and x are 150 s old: forgotten
    assert len(index) == 4  # c, y, and a, x again
