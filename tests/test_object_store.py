"""Object stores: runs writing to s3:// on a local S3-compatible server (moto's server, a
real HTTP service speaking the S3 API, started here on 127.0.0.1) give the tables a local
run gives, and a second run finds what the first committed there."""
import re
from pathlib import Path

import boto3

from tests.helpers import SAMPLE_EXPORT, newsbeam, rows
from tests.servers import S3_BUCKET as BUCKET


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


def test_a_run_to_s3_gives_the_tables_a_local_run_gives(s3_endpoint, export_on_s3,
                                                         tmp_path):
    local = tmp_path / "local"
    here = newsbeam("run", "--input", SAMPLE_EXPORT, "--output", str(local), "--run-id",
                    "daily")
    articles, duplicates, rejects, items = balance(export_on_s3.stdout)
    assert balance(here.stdout) == (articles, duplicates, rejects, items)
    assert articles >= 4

    copy = tmp_path / "copy"
    keys = download(s3_endpoint, export_on_s3.prefix, copy)
    assert any(key.startswith(f"{export_on_s3.prefix}/_newsbeam/commits/")
               for key in keys)  # committed
    assert not [key for key in keys if "/." in key or key.endswith(".tmp")]  # no leftovers
    for table, key in (("articles", "article_id"), ("entities", "entity_id"),
                       ("events", "event_id")):
        assert content(copy, table, key) == content(local, table, key), table

    # The next run reads the committed articles back from the store: nothing new.
    again = newsbeam("run", "--input", SAMPLE_EXPORT, "--output",
                     f"s3://{BUCKET}/{export_on_s3.prefix}", "--s3_endpoint_url", s3_endpoint)
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
