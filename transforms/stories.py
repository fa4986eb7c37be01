"""GroupStories: article rows -> the same rows with story_id shared by syndicated copies."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.utils.shared import Shared

from newsbeam.core.articles import stories
from newsbeam.core.horizon import DEFAULT_HORIZON_SECONDS

from . import metrics
from .keyed import AnswerFn, AskKeyedState, MeetAnswersFn


def _keyed_signature(article):
    return article["article_id"], stories.signature(article["text"])


def _bands(keyed):
    article_id, sig = keyed
    for key in stories.band_keys(sig):
        yield key, (article_id, sig)


def _pairs(bucket):
    _, members = bucket
    yield from stories.similar_pairs(list(members))


def _with_story(article, groups):
    return dict(article, story_id=groups.get(article["article_id"], article["article_id"]))


class StoryOfFn(beam.DoFn):
    """Streaming: the story of each article from an index of the recent ones."""

    def __init__(self, horizon_seconds: float, shared: Shared):
        self.horizon_seconds = horizon_seconds
        self.shared = shared
        self.syndicated = metrics.counter("syndicated_copies")

    def setup(self):
        self.index = self.shared.acquire(lambda: stories.StoryIndex(self.horizon_seconds),
                                         tag="stories")

    def process(self, article, timestamp=beam.DoFn.TimestampParam):
        story = self.index.story_of(article["article_id"], stories.signature(article["text"]),
                                    timestamp.micros / 1e6)
        if story != article["article_id"]:
            self.syndicated.inc()
        yield dict(article, story_id=story)


class StoryInBandFn(AnswerFn):
    """Streaming, keyed by LSH band: each article's (article_id, (start, story)) from
    the copies this band saw within the horizon, on whichever worker they arrived."""

    def __init__(self, horizon_seconds: float):
        self.horizon_seconds = horizon_seconds

    def answer(self, band, question, members, at):
        article_id, sig = question
        members, answer = stories.join_band(members or [], article_id, sig, at,
                                            self.horizon_seconds)
        return members, max(m[4] for m in members) + self.horizon_seconds, (article_id, answer)


class SetStoryFn(MeetAnswersFn):
    """Streaming, keyed by article id: the row, once all its bands have answered, with
    the story that started first."""

    def __init__(self):
        self.syndicated = metrics.counter("syndicated_copies")

    def expected(self, article) -> int:
        return stories.BANDS

    def complete(self, article, answers):
        story = stories.earliest_story(answers)
        if story != article["article_id"]:
            self.syndicated.inc()
        return dict(article, story_id=story)


def _band_questions(article):
    return _bands(_keyed_signature(article))


def _article_id(article):
    return article["article_id"]


class GroupStories(beam.PTransform):
    """Article rows -> the same rows, story_id set: syndicated copies of one story (their
    5-word shingles alike by MinHash LSH) share the smallest article_id among them.

    In streaming, a new article takes the story of a copy seen within
    ``horizon_seconds``, else starts its own: from an index per worker process, or
    with ``keyed_state`` (distributed runners) from keyed state per band, so that copies
    reaching different workers share a story.
    """

    def __init__(self, horizon_seconds: float = DEFAULT_HORIZON_SECONDS,
                 keyed_state: bool = False):
        super().__init__()
        self.horizon_seconds = horizon_seconds
        self.keyed_state = keyed_state

    def expand(self, articles):
        if not articles.is_bounded:
            return self._streaming(articles)
        groups = (articles
                  | "Signatures" >> beam.Map(_keyed_signature)
                  | "Bands" >> beam.FlatMap(_bands)
                  | "GroupByBand" >> beam.GroupByKey()
                  | "SimilarPairs" >> beam.FlatMap(_pairs)
                  | "Distinct" >> beam.Distinct()
                  | "AllPairs" >> beam.combiners.ToList()
                  | "ConnectedStories" >> beam.Map(stories.stories))
        return articles | "SetStory" >> beam.Map(_with_story,
                                                 groups=beam.pvalue.AsSingleton(groups))

    def _streaming(self, articles):
        if not self.keyed_state:
            return articles | "StoryOf" >> beam.ParDo(StoryOfFn(self.horizon_seconds,
                                                                Shared()))
        return articles | "StoryInBands" >> AskKeyedState(
            _article_id, _band_questions,
            StoryInBandFn(self.horizon_seconds), SetStoryFn())
