"""Object stores: runs writing to s3:// on a local S3-compatible server (moto's server, a
real HTTP service speaking the S3 API, started here on 127.0.0.1) give the tables a local
run gives, and a second run finds what the first committed there."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import re
from importlib import resources

import boto3
import pytest

from tests.helpers import newsbeam, rows

# One sample export (five articles): every S3 operation costs
# Beam a new client, so the test keeps the number of files small.
EXPORT = str(resources.files("newsbeam.samples") / "articles" / "wire-roundup.jsonl")

BUCKET = "news"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A fresh S3-compatible server with one bucket; the run's credentials in the
    environment, as a user's would be."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                               "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client(endpoint).create_bucket(Bucket=BUCKET)
                break
            except Exception:  # noqa: BLE001 (not listening yet)
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint)


def download(endpoint, prefix, into: Path) -> list[str]:
    """Every object under s3://BUCKET/prefix/ copied to a local folder; their keys."""
    keys = []
    pages = client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=BUCKET,
                                                                      Prefix=prefix + "/")
    for page in pages:
        for entry in page.get("Contents", []):
            key = entry["Key"]
            target = into / key[len(prefix) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            client(endpoint).download_file(BUCKET, key, str(target))
            keys.append(key)
    return keys


def content(output, table, key):
    """A table's rows without what differs between runs (ingestion times)."""
    return sorted((tuple((k, str(v)) for k, v in sorted(row.items())
                         if k not in ("ingested_at", "ingested_date"))
                   for row in rows(output, table)), key=lambda row: dict(row)[key])


def balance(summary: str) -> tuple[int, ...]:
    """articles + duplicates + rejects = items read, from a run's summary."""
    found = re.search(r"articles (\d+) \+ duplicates (\d+) \+ rejects (\d+) = items read (\d+)",
                      summary)
    return tuple(int(n) for n in found.groups())


def test_a_run_to_s3_gives_the_tables_a_local_run_gives(s3_endpoint, tmp_path):
    local = tmp_path / "local"
    here = newsbeam("run", "--input", EXPORT, "--output", str(local), "--run-id", "same")
    remote = newsbeam("run", "--input", EXPORT, "--output", f"s3://{BUCKET}/out",
                      "--run-id", "same", "--s3_endpoint_url", s3_endpoint)
    articles, duplicates, rejects, items = balance(remote.stdout)
    assert balance(here.stdout) == (articles, duplicates, rejects, items)
    assert articles >= 4

    copy = tmp_path / "copy"
    keys = download(s3_endpoint, "out", copy)
    assert any(key.startswith("out/_newsbeam/commits/") for key in keys)  # committed
    assert not [key for key in keys if "/." in key or key.endswith(".tmp")]  # no leftovers
    for table, key in (("articles", "article_id"), ("entities", "entity_id"),
                       ("events", "event_id")):
        assert content(copy, table, key) == content(local, table, key), table

    # The next run reads the committed articles back from the store: nothing new.
    again = newsbeam("run", "--input", EXPORT, "--output", f"s3://{BUCKET}/out",
                     "--s3_endpoint_url", s3_endpoint)
    assert balance(again.stdout) == (0, items, 0, items)
