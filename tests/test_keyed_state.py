"""Streaming deduplication and stories through keyed state (the distributed runners'
path): copies of one story arriving in different bundles, under different keys, give the
tables one worker gives."""
import random

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing import test_stream
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window

from newsbeam.core.articles import stories
from newsbeam.core.articles.dedup import SeenIndex
from newsbeam.core.events import reports
from newsbeam.core.records import AnnotatedArticle
from newsbeam.transforms import DropDuplicates, GroupStories
from newsbeam.transforms.dedup import FirstPerKeyFn
from newsbeam.transforms.events import CountReports
from tests.test_transforms import article, counter

BASE = 1_795_000_000
HORIZON = 3600


def syndicated_stream(seed=7):
    """(seconds after BASE, article) in arrival order: 40 stories, most reaching the run
    several times (other sites' copies of one text, the same URL polled again), some
    copies after the horizon."""
    rng = random.Random(seed)
    arrivals = []
    for story in range(40):
        text = f"story {story} text"
        first = rng.randrange(0, 3 * HORIZON)
        arrivals.append((first, article(f"s{story}", text)))
        for copy in range(rng.randrange(0, 4)):
            later = first + rng.choice([5, 60, 900, HORIZON // 2, 2 * HORIZON])
            same_url = rng.random() < 0.3
            arrivals.append((later, article(f"s{story}" if same_url else f"s{story}-c{copy}",
                                            text)))
    arrivals.sort(key=lambda pair: pair[0])
    return arrivals


def one_worker(arrivals):
    """What one process keeps: the in-memory index the local runners use."""
    index = SeenIndex(HORIZON)
    return [(a["article_id"], at) for at, a in arrivals
            if index.add_if_new(a["article_id"], a["content_hash"], BASE + at)]


def in_bundles(arrivals, size=3):
    """A TestStream: small bundles, the watermark following the arrivals."""
    stream, watermark = test_stream.TestStream(), None
    for start in range(0, len(arrivals), size):
        bundle = arrivals[start:start + size]
        if bundle[0][0] != watermark:  # it only moves forward
            watermark = bundle[0][0]
            stream = stream.advance_watermark_to(BASE + watermark)
        stream = stream.add_elements([window.TimestampedValue(a, BASE + at)
                                      for at, a in bundle])
    return stream.advance_watermark_to_infinity()


def kept_with_keyed_state(tmp_path, arrivals):
    options = PipelineOptions(["--streaming"])
    with TestPipeline(options=options) as p:
        kept = (p | in_bundles(arrivals)
                | beam.WindowInto(window.FixedWindows(60))
                | DropDuplicates(str(tmp_path), "live", horizon_seconds=HORIZON,
                                 keyed_state=True)
                | beam.Map(lambda a, ts=beam.DoFn.TimestampParam,
                           w=beam.DoFn.WindowParam: (a["article_id"], int(ts) - BASE,
                                                     int(w.start) - BASE)))
        expected = [(article_id, at, at - (BASE + at) % 60) for article_id, at in one_worker(arrivals)]
        assert_that(kept, equal_to(expected))


def test_keyed_state_keeps_what_one_worker_keeps(tmp_path):
    arrivals = syndicated_stream()
    kept = one_worker(arrivals)
    assert 40 < len(kept) < len(arrivals)  # copies dropped, late copies kept again
    kept_with_keyed_state(tmp_path, arrivals)  # the same rows, back in their own windows


def test_keyed_state_forgets_a_key_after_the_horizon(tmp_path):
    kept_with_keyed_state(tmp_path, [
        (0, article("a", "first text")), (30, article("a", "first text")),
        (50, article("b", "first text")), (2 * HORIZON, article("a", "first text"))])


def test_keyed_state_counts_every_copy_by_what_made_it_one():
    # Counted on the FnApiRunner: the legacy DirectRunner, where TestStream runs, keeps
    # the metrics of only some bundles (a plain counting DoFn shows it too).
    rows = [article("a", "first text"), article("a", "first text"),
            article("b", "first text"), article("c", "other text")]
    with TestPipeline() as p:
        kept = p | beam.Create(rows)
        for column, kind in (("article_id", "same_id"), ("content_hash", "same_text")):
            kept = (kept | f"By{kind}" >> beam.Map(lambda a, c=column: (a[c], a))
                    | kind >> beam.ParDo(FirstPerKeyFn(kind, HORIZON)))
        assert_that(kept | beam.Map(lambda a: a["article_id"]), equal_to(["a", "c"]))
    assert counter(p.result, "duplicates") == 2
    assert counter(p.result, "duplicates.same_id") == 1
    assert counter(p.result, "duplicates.same_text") == 1


def wire_copies(seed=11):
    """(seconds after BASE, article) in arrival order: 20 wire stories of 120 words, each
    reaching the run as 1 to 4 sites' copies (a few words changed, the site's own line
    before and after it), minutes to hours apart, some copies after the horizon."""
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(3000)]
    arrivals = []
    for story in range(20):
        wire = rng.sample(words, 120)
        first = rng.randrange(0, HORIZON)
        for copy in range(rng.randrange(1, 6)):
            text = list(wire)
            for _ in range(4):
                text[rng.randrange(len(text))] = rng.choice(words)
            site = f"site{copy} reports"
            delay = rng.choice([30, 600, HORIZON // 3, HORIZON // 2, 2 * HORIZON])
            at = first + (0 if copy == 0 else delay)
            arrivals.append((at, article(f"s{story}-c{copy}",
                                         " ".join([site, *text, site, "newsletter"]))))
    arrivals.sort(key=lambda pair: pair[0])
    return arrivals


def one_worker_stories(arrivals):
    """The story each article gets from one process's index (the local runners)."""
    index = stories.StoryIndex(HORIZON)
    return {a["article_id"]: index.story_of(a["article_id"], stories.signature(a["text"]),
                                            BASE + at) for at, a in arrivals}


def test_keyed_state_gives_copies_on_other_workers_the_story_one_worker_gives():
    arrivals = wire_copies()
    expected = one_worker_stories(arrivals)
    shared = sum(story != article_id for article_id, story in expected.items())
    assert 10 < shared and len(set(expected.values())) > 20  # copies, and late ones apart
    options = PipelineOptions(["--streaming"])
    with TestPipeline(options=options) as p:
        grouped = (p | in_bundles(arrivals, size=2)
                   | beam.WindowInto(window.FixedWindows(60))
                   | GroupStories(horizon_seconds=HORIZON, keyed_state=True)
                   | beam.Map(lambda a, w=beam.DoFn.WindowParam: (
                       a["article_id"], a["story_id"], int(w.start) - BASE)))
        assert_that(grouped, equal_to([  # back in their own windows
            (a["article_id"], expected[a["article_id"]], at - (BASE + at) % 60)
            for at, a in arrivals]))


def event_reports(seed=5):
    """(seconds after BASE, coded article) in arrival order: 60 articles from 8 sources,
    each reporting 0 to 3 of 15 events (one event twice in a sentence or two), the
    events' reports spread over two horizons."""
    rng = random.Random(seed)
    arrivals = []
    for n in range(60):
        clusters = [f"e{rng.randrange(15)}" for _ in range(rng.randrange(0, 4))]
        row = dict(article(f"a{n}"), source=f"site{rng.randrange(8)}")
        events = [{"article_id": row["article_id"], "cluster_id": c} for c in clusters]
        arrivals.append((rng.randrange(0, 2 * HORIZON), AnnotatedArticle(row, [], events)))
    arrivals.sort(key=lambda pair: pair[0])
    return arrivals


def counts_of(coded):
    return sorted((coded.article["article_id"], e["cluster_id"], e["cluster_articles"],
                   e["cluster_sources"]) for e in coded.events) or [
        (coded.article["article_id"], None, 0, 0)]


def test_keyed_state_counts_an_events_reports_as_one_worker_does():
    arrivals = event_reports()
    recent = reports.RecentReports(HORIZON)
    expected = [row for at, coded in arrivals
                for row in counts_of(recent.counted(coded, BASE + at))]
    assert max(row[2] for row in expected) >= 3  # events reported by several articles
    options = PipelineOptions(["--streaming"])
    with TestPipeline(options=options) as p:
        coded = (p | in_bundles(arrivals, size=2)
                 | beam.WindowInto(window.FixedWindows(60))
                 | CountReports(horizon_seconds=HORIZON, keyed_state=True))
        assert_that(coded | beam.FlatMap(counts_of), equal_to(expected))


def test_a_band_answers_with_the_story_its_earliest_copy_started():
    wire = " ".join(f"w{n}" for n in range(100))
    sig, copy_sig = stories.signature(wire), stories.signature("site " + wire)
    other = stories.signature(" ".join(f"v{n}" for n in range(100)))
    members, answer = stories.join_band([], "a", sig, 0.0, HORIZON)
    assert answer == (0.0, "a")
    members, answer = stories.join_band(members, "x", other, 5.0, HORIZON)
    assert answer == (5.0, "x")
    members, answer = stories.join_band(members, "b", copy_sig, 10.0, HORIZON)
    assert answer == (0.0, "a") and len(members) == 3
    _, answer = stories.join_band(members, "c", copy_sig, 20.0 + HORIZON, HORIZON)
    assert answer == (20.0 + HORIZON, "c")  # "a" and "b" are beyond the horizon
    assert stories.earliest_story([(10.0, "b"), (0.0, "a"), (10.0, "b")]) == "a"
