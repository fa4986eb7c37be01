"""`newsbeam compact` on an object store (s3:// on a local S3-compatible server, moto's):
fewer files and the same rows; per-partition manifests that a reader follows, so that a
reader counting while a compaction runs never counts a row twice nor misses one; and a
compaction that dies at any step is finished by the next compaction or the next run."""
import io
import itertools
import re
import threading
import time

import duckdb
import pyarrow.parquet as pq
import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from newsbeam.core.storage import partitions, runs, store_compaction
from newsbeam.pipeline import runner_fixes
from newsbeam.schemas import TABLES, ddl
from newsbeam.schemas.tables import MANIFEST_DIR
from tests.helpers import SAMPLE_EXPORT, newsbeam, newsbeam_here
from tests.servers import S3_BUCKET as BUCKET
from tests.test_object_store import client, download

pytestmark = [pytest.mark.timeout(600), pytest.mark.xdist_group("timed")]
_fresh = itertools.count()


@pytest.fixture(scope="module")
def daily(export_on_s3, s3_endpoint):
    """The sample export run once to s3://news/daily; Beam's filesystems in this process
    pointed at the same server."""
    FileSystems.set_options(PipelineOptions(["--s3_endpoint_url", s3_endpoint]))
    runner_fixes.apply()  # one S3 client for the whole module, as the command does
    return export_on_s3.prefix


@pytest.fixture
def output(s3_endpoint, daily):
    """A copy of the daily run whose files are split as a streaming run leaves them: a
    few rows per file, several files per partition."""
    prefix = f"small{next(_fresh)}"
    s3 = client(s3_endpoint)
    for key in keys(s3, daily):
        rest = key[len(daily) + 1:]
        if f"/{MANIFEST_DIR}/" in key:
            continue
        if not key.endswith(".parquet"):
            s3.copy_object(Bucket=BUCKET, Key=f"{prefix}/{rest}",
                           CopySource={"Bucket": BUCKET, "Key": key})
            continue
        data = pq.read_table(io.BytesIO(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()))
        folder = rest.rsplit("/", 1)[0]
        for n, start in enumerate(range(0, data.num_rows, 8)):
            name = partitions.file_name("daily", f"20261127T1200{n:02d}Z", 1000 + n, 0)
            buffer = io.BytesIO()
            pq.write_table(data.slice(start, 8), buffer, **partitions.PARQUET_OPTIONS)
            s3.put_object(Bucket=BUCKET, Key=f"{prefix}/{folder}/{name}",
                          Body=buffer.getvalue())
    store_compaction.publish(f"s3://{BUCKET}/{prefix}", "daily")
    return prefix


def keys(s3, prefix):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
    return [entry["Key"] for page in pages for entry in page.get("Contents", [])]


def rows_in(s3, key) -> int:
    body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return pq.ParquetFile(io.BytesIO(body)).metadata.num_rows


def data_keys(s3, prefix, table):
    return [k for k in keys(s3, f"{prefix}/{table}") if k.endswith(".parquet")]


def listed_rows(s3, prefix) -> dict:
    """Rows per table counted by listing the folders, as a glob reader does."""
    return {t: sum(rows_in(s3, k) for k in data_keys(s3, prefix, t)) for t in TABLES}


def manifest_rows(s3, prefix, table) -> int:
    """Rows of a table counted through its manifests, as Athena or BigQuery do."""
    listed = []
    for key in keys(s3, f"{prefix}/{table}/{MANIFEST_DIR}"):
        listed += s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode().split()
    assert len(listed) == len(set(listed))
    return sum(rows_in(s3, uri[len(f"s3://{BUCKET}/"):]) for uri in listed)


def no_plan_left(s3, prefix) -> bool:
    return f"{prefix}/_newsbeam/{store_compaction.PLAN_NAME}" not in keys(s3, prefix)


def test_compact_merges_small_files_and_manifests_and_ddl_follow(s3_endpoint, output,
                                                                 tmp_path, capfd):
    s3 = client(s3_endpoint)
    before = listed_rows(s3, output)
    files_before = len(data_keys(s3, output, "entities"))
    done = newsbeam("compact", f"s3://{BUCKET}/{output}", "--s3_endpoint_url", s3_endpoint)
    assert "partition(s) rewritten" in done.stdout and done.stderr == ""
    assert len(data_keys(s3, output, "entities")) < files_before
    assert listed_rows(s3, output) == before  # the replaced files are gone
    assert {t: manifest_rows(s3, output, t) for t in TABLES} == before
    assert no_plan_left(s3, output)
    again = newsbeam("compact", f"s3://{BUCKET}/{output}", "--s3_endpoint_url", s3_endpoint)
    assert again.stdout.startswith(f"newsbeam compact s3://{BUCKET}/{output}: 0 partition(s)")

    # DuckDB over the manifests: a local copy stands for the bucket (no S3 extension
    # here), its manifests naming the copy's files as they name the bucket's.
    copy = tmp_path / "copy"
    download(s3_endpoint, output, copy)
    for manifest in copy.glob(f"*/{MANIFEST_DIR}/**/manifest"):
        manifest.write_text(manifest.read_text().replace(f"s3://{BUCKET}/{output}", str(copy)))
    script = newsbeam_here(capfd, "ddl", "--dialect", "duckdb", "--output-uri", str(copy),
                           "--read", "manifests").stdout
    assert "SET VARIABLE" in script
    db = duckdb.connect()
    db.execute(script)
    assert {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in TABLES} == before


def test_since_compacts_only_the_days_from_it_and_leaves_older_ones_untouched(
        s3_endpoint, output):
    s3 = client(s3_endpoint)
    before = set(keys(s3, output))
    days = sorted({re.search(r"/date=([\d-]+)/", k).group(1) for k in before if "/date=" in k})
    assert len(days) >= 2
    uri = f"s3://{BUCKET}/{output}"
    assert store_compaction.compact(uri, 2**28, since="2999-01-01").partitions == 0
    assert set(keys(s3, output)) == before  # nothing read into a manifest, none removed
    done = store_compaction.compact(uri, 2**28, since=days[-1])
    after = set(keys(s3, output))
    assert done.partitions > 0
    assert {k for k in before if f"/date={days[-1]}/" not in k} <= after  # older: as they were
    assert {k for k in before - after if f"/date={days[-1]}/" not in k} == set()
    assert {t: manifest_rows(s3, output, t) for t in TABLES} == listed_rows(s3, output)


def test_cloud_ddl_reads_manifests_on_object_stores(capfd):
    athena = ddl.render(ddl.Target("athena", "s3://b/n", manifests=True))
    assert athena.count("SymlinkTextInputFormat") == 4
    assert "'s3://b/n/articles/_manifest/date=${date}/region=${region}/'" in athena
    bigquery = ddl.render(ddl.Target("bigquery", "gs://b/n", manifests=True))
    assert bigquery.count("NEW_LINE_DELIMITED_MANIFEST") == 4
    assert "uris = ['gs://b/n/events/_manifest/*']" in bigquery
    files = ddl.render(ddl.Target("athena", "s3://b/n"))
    assert "SymlinkTextInputFormat" not in files and "STORED AS PARQUET" in files
    # The command reads manifests on object stores unless told otherwise, and says
    # which dialects cannot.
    assert newsbeam_here(capfd, "ddl", "--dialect", "athena", "--output-uri", "s3://b/n"
                         ).stdout.count("SymlinkTextInputFormat") == 4
    refused = newsbeam_here(capfd, "ddl", "--dialect", "spark", "--output-uri", "s3a://b/n",
                            "--read", "manifests")
    assert refused.returncode == 2 and "--read files" in refused.stderr


def test_a_reader_counting_during_compaction_sees_every_row_once(s3_endpoint, output):
    s3 = client(s3_endpoint)
    expected = manifest_rows(s3, output, "entities")
    stop, seen, missed = threading.Event(), [], []

    def read():
        reader = client(s3_endpoint)
        while not stop.is_set():
            try:
                seen.append(manifest_rows(reader, output, "entities"))
            except s3.exceptions.NoSuchKey:  # a file replaced after its manifest was read
                missed.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:  # slowed at each step so that reads fall between them
        done = store_compaction.compact(f"s3://{BUCKET}/{output}", 2**28,
                                        hook=lambda step: time.sleep(0.3))
    finally:
        stop.set()
        reader.join()
    assert done.partitions >= 5
    assert len(seen) >= 5 and set(seen) == {expected}, (seen, len(missed))
    assert manifest_rows(s3, output, "entities") == listed_rows(s3, output)["entities"]


class Died(Exception):
    """A compaction stopped at a step, as a killed process stops."""


def die_at(step):
    dead = threading.Event()  # the whole process dies: every thread stops at its next step

    def hook(reached):
        if reached == step or dead.is_set():
            dead.set()
            raise Died(reached)
    return hook


@pytest.mark.parametrize("step", ["planned", "merged", "committed", "published"])
def test_a_compaction_that_dies_at_any_step_is_finished_by_the_next(s3_endpoint, output,
                                                                    step):
    s3 = client(s3_endpoint)
    before = listed_rows(s3, output)
    with pytest.raises(Died):
        store_compaction.compact(f"s3://{BUCKET}/{output}", 2**28, hook=die_at(step))
    # Readers of the manifests never see the dead compaction's half.
    assert {t: manifest_rows(s3, output, t) for t in TABLES} == before
    done = newsbeam("compact", f"s3://{BUCKET}/{output}", "--s3_endpoint_url", s3_endpoint)
    assert "finished or undone first" in done.stdout
    assert listed_rows(s3, output) == before  # no merged file left over, none lost
    assert {t: manifest_rows(s3, output, t) for t in TABLES} == before
    assert no_plan_left(s3, output)


def test_the_next_run_finishes_a_dead_compaction_and_keeps_a_live_streams_merged_files(
        s3_endpoint, output, monkeypatch):
    """A streaming run's settled bundles are compacted while it runs; when it dies, the
    next run keeps the merged files as the committed bundles they are."""
    s3 = client(s3_endpoint)
    uri = f"s3://{BUCKET}/{output}"
    before = listed_rows(s3, output)
    # The daily run as a live streaming run leaves it: no commit marker yet, its
    # files committed bundle by bundle.
    s3.delete_object(Bucket=BUCKET, Key=f"{output}/_newsbeam/commits/daily.json")
    files = [f"s3://{BUCKET}/{k}" for t in TABLES for k in data_keys(s3, output, t)]
    for n, start in enumerate(range(0, len(files), 10)):
        runs.commit_bundle(uri, "daily", files[start:start + 10])
    # Bundles written within ten minutes may still be rewritten by a retry: left alone.
    assert store_compaction.compact(uri, 2**28).partitions == 0
    monkeypatch.setattr(store_compaction, "SETTLED_SECONDS", 0.0)
    with pytest.raises(Died):
        store_compaction.compact(uri, 2**28, hook=die_at("published"))
    assert {t: manifest_rows(s3, output, t) for t in TABLES} == before

    newsbeam("run", "--input", SAMPLE_EXPORT, "--output", uri, "--run-id", "next",
             "--s3_endpoint_url", s3_endpoint)
    assert "daily" in runs.committed_runs(uri)  # its committed bundles kept
    assert listed_rows(s3, output) == before
    assert {t: manifest_rows(s3, output, t) for t in TABLES} == before
    assert no_plan_left(s3, output)
    assert any("_c" in k for k in data_keys(s3, output, "entities"))  # merged, kept


def test_a_partition_with_an_unreadable_file_is_left_as_it_is(s3_endpoint, output):
    """A file cut short (an upload a crashed tool left) stops its partition only: the
    others are compacted, and a warning names it."""
    s3 = client(s3_endpoint)
    victim = sorted(data_keys(s3, output, "entities"))[0]
    body = s3.get_object(Bucket=BUCKET, Key=victim)["Body"].read()
    s3.put_object(Bucket=BUCKET, Key=victim, Body=body[: len(body) // 2])
    folder = victim.rsplit("/", 1)[0]
    before = sorted(k for k in keys(s3, folder))
    done = newsbeam("compact", f"s3://{BUCKET}/{output}", "--s3_endpoint_url", s3_endpoint)
    assert "WARNING: left as it is, a file cannot be read" in done.stdout
    assert folder.split("/", 1)[1] in done.stdout
    assert sorted(k for k in keys(s3, folder)) == before
    assert any(" partition(s) rewritten" in line and not line.split(": ")[1].startswith("0 ")
               for line in done.stdout.splitlines())
    assert no_plan_left(s3, output)
