"""WritePartitionedParquet: table rows -> Hive-partitioned Parquet files (paths written).

Rows are grouped by (partition, shard) within each window and pane, and each group
is written as one Parquet file under a deterministic name carrying the run id,
window and pane: a retried bundle rewrites the same file, and several firings of one
window write several files instead of overwriting each other. Each file is written
under a hidden temporary name and renamed into place, so readers never see half a
file. (Beam's WriteToFiles loses rows in exactly these cases; see docs/architecture.md.)
"""
from __future__ import annotations

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

PARQUET_OPTIONS = dict(compression="zstd", coerce_timestamps="us",
                       allow_truncated_timestamps=False, write_statistics=True)


def window_tag(window) -> str:
    if isinstance(window, GlobalWindow):
        return "all"
    return window.start.to_utc_datetime().strftime("%Y%m%dT%H%M%SZ")


def write_table_file(path: str, table) -> None:
    """Write an Arrow table to ``path`` on any Beam filesystem, atomically."""
    directory, name = path.rsplit("/", 1)
    temporary = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
    with FileSystems.create(temporary, compression_type=CompressionTypes.UNCOMPRESSED) as out:
        pq.write_table(table, out, **PARQUET_OPTIONS)
    try:
        FileSystems.rename([temporary], [path])
    except Exception:  # filesystems whose rename does not replace an existing file
        FileSystems.delete([path])
        FileSystems.rename([temporary], [path])


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


class WritePartitionedParquet(beam.PTransform):
    """Rows of one table -> Parquet files under OUTPUT/table/date=/region=/ (their paths)."""

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
