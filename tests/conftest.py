"""Shared fixtures: the real models and gazetteer, loaded once per test session, one run
of the samples that every test reading its tables shares, and one S3-compatible server
with one run of a sample export written to it."""
from __future__ import annotations

import os
import shutil
from typing import NamedTuple
from pathlib import Path

import pytest

from newsbeam.core.language import nlp
from newsbeam.core.events.coder import EventCoder
from newsbeam.core.language.gazetteer import Gazetteer
from tests import devsets
from tests.helpers import SAMPLE_EXPORT, newsbeam
from tests.servers import S3_BUCKET, S3_CREDENTIALS, S3Server


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


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """A fresh S3-compatible server with one bucket, S3_BUCKET; the runs' credentials in
    the environment, as a user's would be."""
    saved = {name: os.environ.get(name) for name in S3_CREDENTIALS}
    os.environ.update(S3_CREDENTIALS)
    try:
        with S3Server(tmp_path_factory.mktemp("s3"), S3_BUCKET) as server:
            yield server.endpoint
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class StoreRun(NamedTuple):
    prefix: str  # the output is s3://S3_BUCKET/prefix
    stdout: str


@pytest.fixture(scope="session")
def export_on_s3(s3_endpoint):
    """The sample export (five articles) as ``newsbeam run --run-id daily`` writes it to
    s3://S3_BUCKET/daily."""
    done = newsbeam("run", "--input", SAMPLE_EXPORT, "--output", f"s3://{S3_BUCKET}/daily",
                    "--run-id", "daily", "--s3_endpoint_url", s3_endpoint)
    return StoreRun("daily", done.stdout)
