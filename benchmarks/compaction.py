"""What `newsbeam compact` costs, and what a reader querying meanwhile sees.

    python -m benchmarks.compaction [--days 30] [--rows-per-file 2] [--store s3]

Runs the pipeline once on the bundled samples, then builds an output shaped like a
month of streaming: the run's files copied to ``--days`` dates and cut into files of
``--rows-per-file`` rows. Compacts it while a reader counts the entities table in a
loop, and prints files before and after, time, rows and MB per second, peak memory,
and the reader's counts (each should be the exact total) and failed reads.

Locally the reader is DuckDB over the folders. With ``--store s3`` the output is
uploaded to a local S3-compatible server (moto's, from the test extra) and compacted
there; the reader follows the manifests, as Athena or BigQuery do; the S3 requests
the compaction made are printed (the server's log, one line per request).
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsbeam.core.storage import compaction, partitions, store_compaction
from newsbeam.schemas import ENTITIES


def build(root: pathlib.Path, days: int, rows_per_file: int) -> None:
    run = root / "run"
    subprocess.run([sys.executable, "-m", "newsbeam.pipeline.cli", "run", "--output", str(run),
                    "--run-id", "stream"], check=True, capture_output=True)
    out = root / "out"
    for path in run.glob("*/**/*.parquet"):
        data = pq.read_table(path)
        relative = path.parent.relative_to(run)
        for day in range(days):
            date = (dt.date(2026, 10, 1) + dt.timedelta(days=day)).isoformat()
            parts = [p if not p.startswith("date=") else f"date={date}" for p in relative.parts]
            folder = out.joinpath(*parts)
            folder.mkdir(parents=True, exist_ok=True)
            for n, start in enumerate(range(0, data.num_rows, rows_per_file)):
                name = partitions.file_name("stream", f"w{n}", n, 0)
                pq.write_table(data.slice(start, rows_per_file), folder / name,
                               **partitions.PARQUET_OPTIONS)


def local_reader(out: pathlib.Path):
    pattern = ENTITIES.files_glob(str(out))

    def count(connection=duckdb.connect()):
        # the files listed here, as the README says to query during a compaction: DuckDB's
        # own glob drops a name gone by the time it checks it, and a count can come short
        files = glob.glob(pattern)
        return connection.execute("SELECT count(*) FROM read_parquet($files)",
                                  {"files": files}).fetchone()[0]
    return count, duckdb.Error


def upload(out: pathlib.Path, server, prefix: str) -> str:
    """The local output copied to the bucket; its s3:// URI, Beam pointed at the server."""
    import boto3
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.options.pipeline_options import PipelineOptions

    from newsbeam.pipeline import runner_fixes
    from tests.servers import S3_CREDENTIALS
    os.environ.update(S3_CREDENTIALS)
    s3 = boto3.client("s3", endpoint_url=server.endpoint)
    for path in out.rglob("*"):
        if path.is_file():
            s3.upload_file(str(path), server.bucket, f"{prefix}/{path.relative_to(out)}")
    FileSystems.set_options(PipelineOptions(["--s3_endpoint_url", server.endpoint]))
    runner_fixes.apply()  # as the newsbeam command does
    uri = f"s3://{server.bucket}/{prefix}"
    store_compaction.publish(uri, "stream")
    return uri


def manifest_reader(server, prefix: str):
    import boto3
    s3 = boto3.client("s3", endpoint_url=server.endpoint)
    folder = f"{prefix}/{ENTITIES.name}/"

    def count():
        files = []
        pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=server.bucket,
                                                                  Prefix=folder))
        count.requests += len(pages)
        for entry in (e for page in pages for e in page.get("Contents", [])):
            if entry["Key"].endswith("/manifest"):
                count.requests += 1
                body = s3.get_object(Bucket=server.bucket, Key=entry["Key"])["Body"].read()
                files += body.decode().split()
        rows = 0
        for uri in files:
            count.requests += 1
            body = s3.get_object(Bucket=server.bucket,
                                 Key=uri[len(f"s3://{server.bucket}/"):])["Body"].read()
            rows += pq.ParquetFile(pa.BufferReader(body)).metadata.num_rows
        return rows
    count.requests = 0
    return count, s3.exceptions.NoSuchKey


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--rows-per-file", type=int, default=2)
    parser.add_argument("--store", choices=("local", "s3"), default="local")
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="newsbeam-compact-"))
    server = None
    try:
        build(root, args.days, args.rows_per_file)
        out = root / "out"
        files = [p for p in out.glob("*/**/*.parquet")]
        size = sum(p.stat().st_size for p in files)
        if args.store == "s3":
            from tests.servers import S3Server
            server = S3Server(root).__enter__()
            target = upload(out, server, "out")
            count, failure = manifest_reader(server, "out")
            expected = count()
            requests_before, count.requests = server.requests(), 0
        else:
            target = str(out)
            count, failure = local_reader(out)
            expected = count()
        counts, failures, stop = [], [], threading.Event()

        def read():
            while not stop.is_set():
                try:
                    counts.append(count())
                except failure as err:  # a file replaced after it was listed
                    failures.append(str(err).splitlines()[0])

        reader = threading.Thread(target=read)
        reader.start()
        started = time.perf_counter()
        if server:
            done = store_compaction.compact(target, compaction.DEFAULT_TARGET_BYTES)
        else:
            done = compaction.compact(target)
        seconds = time.perf_counter() - started
        stop.set()
        reader.join()
        after = len(files) - done.files_before + done.files_after
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.store}: {len(files):,} files ({size / 2**20:.1f} MB) in "
              f"{done.partitions:,} partitions -> {after:,} files in {seconds:.1f} s: "
              f"{len(files) / seconds:,.0f} files/s, {done.rows / seconds:,.0f} rows/s, "
              f"{size / 2**20 / seconds:.1f} MB/s; peak RSS {peak:.0f} MB")
        if server:
            made = server.requests() - requests_before - count.requests
            print(f"S3 requests of the compaction: {made:,} ({made / done.partitions:.1f} "
                  f"per partition rewritten)")
        exact = sum(c == expected for c in counts)
        print(f"reader during compaction: {len(counts)} counts, {exact} exact "
              f"({expected} rows), {len(counts) - exact} wrong, {len(failures)} failed reads"
              + (f" (e.g. {failures[0]})" if failures else ""))
    finally:
        if server:
            server.__exit__(None, None, None)
        shutil.rmtree(root)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
