"""What `newsbeam compact` costs, and what a reader querying meanwhile sees.

    python -m benchmarks.compaction [--days 30] [--rows-per-file 2]

Runs the pipeline once on the bundled samples, then builds an output shaped like a
month of streaming: the run's files copied to ``--days`` dates and cut into files of
``--rows-per-file`` rows. Compacts it while a DuckDB reader counts the entities table
in a loop, and prints files before and after, time, rows and MB per second, peak
memory, and the reader's counts (each should be the exact total) and failed reads.
"""
from __future__ import annotations

import argparse
import datetime as dt
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
import pyarrow.parquet as pq

from newsbeam.core.storage import compaction, partitions
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--rows-per-file", type=int, default=2)
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="newsbeam-compact-"))
    try:
        build(root, args.days, args.rows_per_file)
        out = root / "out"
        files = [p for p in out.glob("*/**/*.parquet")]
        size = sum(p.stat().st_size for p in files)
        glob = ENTITIES.files_glob(str(out))
        db = duckdb.connect()
        expected = db.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()[0]
        counts, failures, stop = [], [], threading.Event()

        def read():
            reader = duckdb.connect()
            while not stop.is_set():
                try:
                    counts.append(reader.execute(
                        f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()[0])
                except duckdb.Error as err:
                    failures.append(str(err).splitlines()[0])

        reader = threading.Thread(target=read)
        reader.start()
        started = time.perf_counter()
        done = compaction.compact(str(out))
        seconds = time.perf_counter() - started
        stop.set()
        reader.join()
        after = len([p for p in out.glob("*/**/*.parquet")
                     if compaction.WORK_DIR not in p.parts])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{len(files):,} files ({size / 2**20:.1f} MB) in {done.partitions:,} partitions "
              f"-> {after:,} files in {seconds:.1f} s: {len(files) / seconds:,.0f} files/s, "
              f"{done.rows / seconds:,.0f} rows/s, {size / 2**20 / seconds:.1f} MB/s; "
              f"peak RSS {peak:.0f} MB")
        exact = sum(c == expected for c in counts)
        print(f"reader during compaction: {len(counts)} counts, {exact} exact "
              f"({expected} rows), {len(counts) - exact} wrong, {len(failures)} failed reads"
              + (f" (e.g. {failures[0]})" if failures else ""))
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
