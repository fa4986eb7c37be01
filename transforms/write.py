"""WritePartitionedParquet: table rows -> Hive-partitioned Parquet files; CommitRun: the
files of a batch run -> its commit marker.

Every file has a deterministic name carrying the run id, the window and the firing:
in batch, rows are grouped by (table, partition, shard) per window and pane and each
group is one file; in streaming, each bundle's rows per table, partition and window
are one file named by a digest of the rows' ids. A retried bundle rewrites the same
file, and several firings of one window write several files instead of overwriting
each other. Each file is written under a hidden temporary name and renamed into place
(on object stores, where an object appears once complete, under its own name), so
readers never see half a file. (Beam's WriteToFiles loses rows in exactly these
cases; see docs/architecture.md.)
"""
from __future__ import annotations

import collections
import hashlib
import zlib

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow

from newsbeam.core.storage import partitions, runs, s3_clients
from newsbeam.schemas import TABLES, Table

from . import metrics

def window_tag(window) -> str:
    if isinstance(window, GlobalWindow):
        return "all"
    return window.start.to_utc_datetime().strftime("%Y%m%dT%H%M%SZ")


def write_table_file(path: str, table, attempts: int = 3) -> None:
    """Write an Arrow table to ``path`` on any Beam filesystem, atomically."""
    for attempt in range(attempts):
        try:
            with partitions.whole_file(path) as out:
                pq.write_table(table, out, **partitions.PARQUET_OPTIONS)
            return
        except Exception:
            if attempt == attempts - 1:
                raise
            # `newsbeam compact` swapped the partition folder under the temporary
            # file (core/storage/compaction.py): write it again into the live folder.


class _WriteFilesFn(beam.DoFn):
    """Writes a partition's rows of one table as one file; counts rows and files."""

    def __init__(self, output: str, run_id: str):
        self.output = output.rstrip("/")
        self.run_id = run_id
        self.rows = {name: metrics.counter(metrics.ROWS + name) for name in TABLES}
        self.files = {name: metrics.counter(metrics.FILES + name) for name in TABLES}

    def setup(self):
        s3_clients.share()

    def write(self, table: Table, partition: str, name: str, rows: list) -> str:
        path = f"{self.output}/{table.name}/{partition}/{name}"
        write_table_file(path, table.to_arrow(partitions.sort_rows(table, rows)))
        self.rows[table.name].inc(len(rows))
        self.files[table.name].inc()
        return path


class WriteGroupFn(_WriteFilesFn):
    """Batch: one file per (table, partition, shard) group, per window and pane."""

    def process(self, group, window=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        (table_name, partition, shard), rows = group
        name = partitions.file_name(self.run_id, window_tag(window), pane.index, shard)
        yield self.write(TABLES[table_name], partition, name, list(rows))


class WriteBundleFn(_WriteFilesFn):
    """Streaming: each bundle's rows, per table, partition and window, as one file named
    by the rows it holds (a retried bundle rewrites its file instead of adding one);
    then a manifest commits the bundle's files together."""

    def start_bundle(self):
        self.groups = collections.defaultdict(list)

    def process(self, tagged, window=beam.DoFn.WindowParam):
        table_name, row = tagged
        table = TABLES[table_name]
        self.groups[(table_name, partitions.partition_path(table, row),
                     window_tag(window))].append(row)

    def finish_bundle(self):
        written = []
        for (table_name, partition, window), rows in self.groups.items():
            table = TABLES[table_name]
            ids = "\n".join(sorted(str(r[table.columns[0]]) for r in rows))
            firing = int(hashlib.sha256(ids.encode()).hexdigest()[:15], 16)
            name = partitions.file_name(self.run_id, window, firing, 0)
            written.append(self.write(table, partition, name, rows))
        if written:
            runs.commit_bundle(self.output, self.run_id, written)
        self.groups.clear()


class WritePartitionedParquet(beam.PTransform):
    """PCollections of (table name, row) -> Parquet files under
    OUTPUT/<table>/date=/region=/ (their paths, in batch).

    In batch, one file per table, partition (and shard) after a GroupByKey; the run
    commits once all are written (``CommitRun``). In streaming, each input is written
    from each bundle as it ends, all the tables of its rows together, and the bundle
    committed by a manifest: an article's rows in the articles, entities and events
    tables land together or not at all. Streaming inputs are not flattened nor
    grouped: on the local runners both hold their output until the polling source
    ends.
    """

    def __init__(self, output: str, run_id: str, shards: int = 1):
        super().__init__()
        if not partitions.valid_run_id(run_id):
            raise ValueError(f"invalid run id {run_id!r}")
        self.output = output
        self.run_id = run_id
        self.shards = shards

    def expand(self, inputs):
        if not all(rows.is_bounded for rows in inputs):
            for index, rows in enumerate(inputs):
                rows | f"WriteBundles{index}" >> beam.ParDo(
                    WriteBundleFn(self.output, self.run_id))
            return beam.pvalue.PDone(inputs[0].pipeline)
        shards = self.shards

        def key(tagged):
            # A stable shard of the row's id column (not Python's salted hash), so a
            # retry puts the row in the same file.
            table_name, row = tagged
            table = TABLES[table_name]
            shard = zlib.crc32(str(row[table.columns[0]]).encode()) % shards
            return (table_name, partitions.partition_path(table, row), shard), row

        return (inputs
                | "AllRows" >> beam.Flatten()
                | "KeyByPartition" >> beam.Map(key)
                | "GroupByPartition" >> beam.GroupByKey()
                | "WriteFiles" >> beam.ParDo(WriteGroupFn(self.output, self.run_id)))


class CommitRunFn(beam.DoFn):
    def __init__(self, output: str, run_id: str):
        self.output = output.rstrip("/")
        self.run_id = run_id
        self.removed = metrics.counter("stale_files_removed")

    def setup(self):
        s3_clients.share()

    def process(self, written):
        existing = runs.data_files(self.output).get(self.run_id, [])
        stale = partitions.stale_files(existing, written, self.run_id)
        if stale:
            FileSystems.delete(stale)
            self.removed.inc(len(stale))
        yield runs.commit(self.output, self.run_id, files=len(written),
                          stale_files_removed=len(stale))


class CommitRun(beam.PTransform):
    """Paths a batch run wrote -> its commit marker's path, once every file is written.

    The run id's older files that this run did not write are removed first, so
    rerunning with the same run id replaces that run's output, also in partitions the
    new run no longer writes. Until the marker exists, deduplication ignores the run's
    files and the next run removes them (core/storage/runs.py).
    """

    def __init__(self, output: str, run_id: str):
        super().__init__()
        self.output = output
        self.run_id = run_id

    def expand(self, paths):
        return (paths
                | "AllPaths" >> beam.combiners.ToList()
                | "Commit" >> beam.ParDo(CommitRunFn(self.output, self.run_id)))
