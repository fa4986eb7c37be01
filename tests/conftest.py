"""Shared fixtures: the real models and gazetteer, loaded once per test session."""
from __future__ import annotations

import datetime as dt

import pytest

from newsbeam.core import cleaning, entities, nlp
from newsbeam.core.events import EventCoder
from newsbeam.core.gazetteer import Gazetteer
from newsbeam.core.records import RawItem

UTC = dt.timezone.utc
INGESTED = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def gazetteer():
    return Gazetteer()


@pytest.fixture(scope="session")
def ner():
    return nlp.load(nlp.DEFAULT_MODEL, "ner")


@pytest.fixture(scope="session")
def coder():
    return EventCoder(nlp.load(nlp.DEFAULT_MODEL, "parse"))


@pytest.fixture(scope="session")
def annotate(ner, gazetteer):
    """Text -> AnnotatedArticle through the real cleaning, NER and gazetteer."""

    def run(text: str, published: dt.datetime | None = None, ref: str = "test.txt"):
        item = RawItem(input_ref=ref, kind="text", body=text, ingested_at=INGESTED,
                       published_at=published, date_source="input" if published else None)
        article = cleaning.clean(item, cleaning.CleaningSettings(min_words=1))
        spans = next(nlp.entity_spans(ner, [article["text"]]))
        return entities.annotate(article, spans, gazetteer)

    return run
