"""Shared fixtures: the real models and gazetteer, loaded once per test session, and one
run of the samples that every test reading its tables shares."""
from __future__ import annotations

import shutil
from typing import NamedTuple
from pathlib import Path

import pytest

from newsbeam.core.language import nlp
from newsbeam.core.events.coder import EventCoder
from newsbeam.core.language.gazetteer import Gazetteer
from tests import devsets
from tests.helpers import newsbeam


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


class SamplesRun(NamedTuple):
    output: Path
    stdout: str
    stderr: str

    def copy(self, folder: Path) -> Path:
        """The run's output copied into ``folder``/out, for a test that changes it."""
        copy = folder / "out"
        shutil.copytree(self.output, copy)
        return copy


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory):
    """The bundled samples as ``newsbeam run --run-id samples`` writes them: read, never
    changed, by the tests (a test that changes an output works on ``copy``)."""
    output = tmp_path_factory.mktemp("samples") / "out"
    done = newsbeam("run", "--output", str(output), "--run-id", "samples")
    return SamplesRun(output, done.stdout, done.stderr)
