"""Object stores: runs writing to s3:// on a local S3-compatible server (moto's server, a
real HTTP service speaking the S3 API, started here on 127.0.0.1) give the tables a local
run gives, and a second run finds what the first committed there."""
import os
from pathlib import Path

import re
from importlib import resources

import boto3
import pytest

from tests.helpers import newsbeam, rows
from tests.servers import S3_CREDENTIALS, S3Server

# One sample export (five articles): few files, short runs.
EXPORT = str(resources.files("newsbeam.samples") / "articles" / "wire-roundup.jsonl")

BUCKET = "news"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A fresh S3-compatible server with one bucket; the run's credentials in the
    environment, as a user's would be."""
    saved = {name: os.environ.get(name) for name in S3_CREDENTIALS}
    os.environ.update(S3_CREDENTIALS)
    try:
        with S3Server(tmp_path_factory.mktemp("s3"), BUCKET) as server:
            yield server.endpoint
    finally:
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


def test_beam_s3_operations_share_one_client(s3_endpoint):
    """Stock Beam builds a boto3 client per S3 operation (0.14 s of CPU each); once
    shared, every operation with the same settings uses one."""
    from apache_beam.io.aws import s3io
    from apache_beam.options.pipeline_options import PipelineOptions

    from newsbeam.core.storage import s3_clients
    options = PipelineOptions(["--s3_endpoint_url", s3_endpoint])
    s3_clients.share()
    first, second = s3io.S3IO(options=options), s3io.S3IO(options=options)
    assert first.client is not second.client  # Beam's wrapper keeps per-download state
    assert first.client.client is second.client.client
    assert first.exists(f"s3://{BUCKET}/nothing-here") is False
