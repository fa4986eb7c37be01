"""WritePartitionedParquet: table rows -> Hive-partitioned Parquet files (paths written).

Every file has a deterministic name carrying the run id, the window and the firing:
in batch, rows are grouped by (partition, shard) per window and pane and each group is
one file; in streaming, each bundle's rows per partition and window are one file named
by a digest of the rows' ids. A retried bundle rewrites the same file, and several
firings of one window write several files instead of overwriting each other. Each file
is written under a hidden temporary name and renamed into place, so readers never see
half a file. (Beam's WriteToFiles loses rows in exactly these cases; see
docs/architecture.md.)
"""
from __future__ import annotations

import collections
import hashlib
import uuid
import zlib

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow

from newsbeam.core import partitions
from newsbeam.schemas import TABLES, Table

from .names import METRICS

def window_tag(window) -> str:
    if isinstance(window, GlobalWindow):
        return "all"
    return window.start.to_utc_datetime().strftime("%Y%m%dT%H%M%SZ")


def write_table_file(path: str, table, attempts: int = 3) -> None:
    """Write an Arrow table to ``path`` on any Beam filesystem, atomically."""
    directory, name = path.rsplit("/", 1)
    for attempt in range(attempts):
        temporary = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
        with FileSystems.create(temporary,
                                compression_type=CompressionTypes.UNCOMPRESSED) as out:
            pq.write_table(table, out, **partitions.PARQUET_OPTIONS)
        try:
            FileSystems.rename([temporary], [path])
            return
        except Exception:
            if FileSystems.exists(temporary):  # a rename that does not replace a file
                FileSystems.delete([path])
                FileSystems.rename([temporary], [path])
                return
            if attempt == attempts - 1:
                raise
            # `newsbeam compact` swapped the partition folder under the temporary
            # file (core/compaction.py): write it again into the live folder.


class WriteGroupFn(beam.DoFn):
    def __init__(self, table: Table, output: str, run_id: str):
        self.table = table
        self.output = output.rstrip("/")
        self.run_id = run_id
        self.rows = beam.metrics.Metrics.counter(METRICS, f"rows.{table.name}")
        self.files = beam.metrics.Metrics.counter(METRICS, f"files.{table.name}")

    def process(self, group, window=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        (partition, shard), rows = group
        rows = partitions.sort_rows(self.table, list(rows))
        name = partitions.file_name(self.run_id, window_tag(window), pane.index, shard)
        path = f"{self.output}/{self.table.name}/{partition}/{name}"
        write_table_file(path, self.table.to_arrow(rows))
        self.rows.inc(len(rows))
        self.files.inc()
        yield path


class WriteBundleFn(beam.DoFn):
    """Streaming: each bundle's rows, per partition and window, as one file named by the
    rows it holds, so a retried bundle rewrites its file instead of adding one."""

    def __init__(self, table: Table, output: str, run_id: str):
        self.table = table
        self.output = output.rstrip("/")
        self.run_id = run_id
        self.rows = beam.metrics.Metrics.counter(METRICS, f"rows.{table.name}")
        self.files = beam.metrics.Metrics.counter(METRICS, f"files.{table.name}")

    def start_bundle(self):
        self.groups = collections.defaultdict(list)

    def process(self, row, window=beam.DoFn.WindowParam):
        self.groups[(partitions.partition_path(self.table, row), window_tag(window))].append(row)

    def finish_bundle(self):
        for (partition, window), rows in self.groups.items():
            rows = partitions.sort_rows(self.table, rows)
            ids = "\n".join(sorted(str(r[self.table.columns[0]]) for r in rows))
            firing = int(hashlib.sha256(ids.encode()).hexdigest()[:15], 16)
            name = partitions.file_name(self.run_id, window, firing, 0)
            write_table_file(f"{self.output}/{self.table.name}/{partition}/{name}",
                             self.table.to_arrow(rows))
            self.rows.inc(len(rows))
            self.files.inc()
        self.groups.clear()


class WritePartitionedParquet(beam.PTransform):
    """Rows of one table -> Parquet files under OUTPUT/table/date=/region=/ (their paths).

    In batch, one file per partition (and shard), written after a GroupByKey. In
    streaming, files are written from each bundle as it ends (``WriteBundleFn``): a
    GroupByKey would only fire when the local runners' watermark, held back by the
    polling source, reaches the end of time.
    """

    def __init__(self, table: Table, output: str, run_id: str, shards: int = 1):
        super().__init__()
        if not partitions.valid_run_id(run_id):
            raise ValueError(f"invalid run id {run_id!r}")
        self.table = table
        self.output = output
        self.run_id = run_id
        self.shards = shards

    def expand(self, rows):
        table, shards = self.table, self.shards
        if not rows.is_bounded:
            return rows | "WriteBundles" >> beam.ParDo(WriteBundleFn(table, self.output,
                                                                     self.run_id))

        def key(row):
            # A stable shard of the row's id column (not Python's salted hash), so a
            # retry puts the row in the same file.
            shard = zlib.crc32(str(row[table.columns[0]]).encode()) % shards
            return (partitions.partition_path(table, row), shard), row

        return (rows
                | "KeyByPartition" >> beam.Map(key)
                | "GroupByPartition" >> beam.GroupByKey()
                | "WriteFiles" >> beam.ParDo(WriteGroupFn(table, self.output, self.run_id)))


class RemoveFilesFn(beam.DoFn):
    def __init__(self, output: str, run_id: str):
        self.output = output.rstrip("/")
        self.run_id = run_id
        self.removed = beam.metrics.Metrics.counter(METRICS, "stale_files_removed")

    def process(self, written):
        patterns = [f"{self.output}/{t.name}/" + "/".join(["*"] * len(t.partitions))
                    + f"/part-{self.run_id}_*.parquet" for t in TABLES.values()]
        existing = [m.path for result in FileSystems.match(patterns, limits=None)
                    for m in result.metadata_list]
        stale = partitions.stale_files(existing, written, self.run_id)
        if stale:
            FileSystems.delete(stale)
            self.removed.inc(len(stale))
        yield from stale


class RemoveStaleFiles(beam.PTransform):
    """Paths this batch run wrote -> paths of the run's older files it removed.

    Rerunning with the same run id then replaces that run's output instead of adding
    to it, even where the new run writes fewer partitions.
    """

    def __init__(self, output: str, run_id: str):
        super().__init__()
        self.output = output
        self.run_id = run_id

    def expand(self, paths):
        return (paths
                | "AllPaths" >> beam.combiners.ToList()
                | "Remove" >> beam.ParDo(RemoveFilesFn(self.output, self.run_id)))
