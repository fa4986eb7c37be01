"""Thousands of odd, old and malformed feeds (feedparser's own test suite, from its
source package on PyPI) run through --no-fetch to the end, everything accounted for."""
import contextlib
import io
import re
import subprocess
import sys
import tarfile

import pytest

from newsbeam.pipeline import cli


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feedparser-sdist")
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                           ":all:", "feedparser==6.0.11", "-d", str(folder)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"feedparser's source package could not be downloaded: {done.stderr[-300:]}")
    (archive,) = folder.glob("feedparser-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, members=[m for m in tar.getmembers() if "/tests/" in m.name],
                       filter="data")
    (tests,) = folder.glob("feedparser-*/tests")
    return tests


def test_every_feed_of_a_parser_test_suite_is_read_or_rejected(corpus, tmp_path):
    summary = io.StringIO()
    with contextlib.redirect_stdout(summary):
        status = cli.main(["run", "--input", str(corpus), "--output", str(tmp_path),
                           "--no-fetch"])
    assert status == 0
    text = summary.getvalue()
    files = int(re.search(r": (\d+) files, ", text).group(1))
    read = int(re.search(r"items read\s+(\d+)", text).group(1))
    assert files > 2000 and read >= files
    assert "WARNING" not in text, text  # articles + duplicates + rejects = items read
