"""Shared fixtures: the real models and gazetteer, loaded once per test session."""
from __future__ import annotations

import pytest

from newsbeam.core.language import nlp
from newsbeam.core.events.coder import EventCoder
from newsbeam.core.language.gazetteer import Gazetteer
from tests import devsets


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
    return devsets.annotator(ner, gazetteer)
