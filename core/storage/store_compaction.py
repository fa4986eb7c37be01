"""Compaction on object stores (gs://, s3://): merged files, and per-partition manifests
that warehouses read instead of listing the folder.

An object store can neither swap a folder nor rename a file: a merged file appears
beside the files it replaces until they are deleted, and a warehouse listing the
partition meanwhile counts those rows twice. So what a partition holds is said by one
object written whole, its manifest ``OUTPUT/<table>/_manifest/<partition>/manifest``:
the URI of each data file, one per line (the symlink manifests Athena, Trino, BigQuery
and Redshift Spectrum read; ``newsbeam ddl`` defines the tables over them for gs:// and
s3://). A reader of the manifests sees a partition before or after its compaction,
never both and never half.

A compaction first writes its plan, ``OUTPUT/_newsbeam/compaction.json`` (each merged
file and the files it replaces), then per partition writes the merged files and the
manifest that names them: that write is the partition's commit. The replaced files are
deleted once every partition is done, the plan last. A compaction that died is
finished by the next one, or by the next run before it recovers the output: where the
manifest names a planned merged file the replaced files go, elsewhere the merged file.

Which files count: those of committed runs, and those a live streaming run committed
bundle by bundle ten minutes ago or more (a retried bundle rewrites its file within
that time), so a run that never ends is compacted too: the merged files of such a run
are committed as a bundle of it, which its recovery keeps. One compaction at a
time: a lease, ``OUTPUT/_newsbeam/compaction-lease.json``, which runs also take while they
recover the output and publish their manifests.
"""
from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import time
from typing import Iterator, Optional

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import BeamIOError, CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas import TABLES, Table

from . import partitions, runs
from .compaction import CompactionError, Hook, Result, merge_files, merge_groups, merged_name

PLAN_NAME = "compaction.json"
LEASE_NAME = "compaction-lease.json"
THREADS = 8  # partitions are independent; threads overlap the object store's latency
# A running stream's bundle file this recent may still be rewritten by a retried bundle.
SETTLED_SECONDS = 600.0

Files = dict[tuple[Table, str], list[str]]  # (table, partition) -> data file URIs


def compact(output: str, target_bytes: int, hook: Optional[Hook] = None,
            since: Optional[str] = None) -> Result:
    """Compact every partition of every table under an object-store ``output`` and
    bring every manifest up to date; with ``since`` (YYYY-MM-DD), only the partitions
    of that day and later: the others are neither read nor written, and their
    manifests, read once per partition otherwise, are left as they are."""
    hook = hook or (lambda step: None)
    output = output.rstrip("/")
    result = Result()
    with _lease(output, wait=False):
        result.recovered = int(finish_interrupted(output) > 0)
        files, sizes, live_runs = _live_files(output, since)
        plan = {key: [(f"{_folder(output, *key)}/{merged_name(group)}",
                       [f"{_folder(output, *key)}/{name}" for name in group])
                      for group in merge_groups(((p.rsplit("/", 1)[-1], sizes[p])
                                                 for p in found), target_bytes)]
                for key, found in files.items()}
        plan = {key: groups for key, groups in plan.items() if groups}
        if plan:
            runs.write_json(_plan_path(output), {"groups": [
                {"merged": merged, "sources": sources}
                for groups in plan.values() for merged, sources in groups]})
        hook("planned")
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            done = [pool.submit(_compact_partition, output, table, partition,
                                files[(table, partition)], plan.get((table, partition), []),
                                live_runs, hook)
                    for table, partition in sorted(files, key=lambda k: (k[0].name, k[1]))]
            replaced = []
            for future in done:
                partition_result, partition_replaced = future.result()
                result.add(partition_result)
                replaced += partition_replaced
        hook("published")
        if replaced:
            FileSystems.delete(replaced)
        if plan:
            runs.delete([_plan_path(output)])
        _remove_stale_manifests(output, files, since)
    return result


@contextlib.contextmanager
def held_off(output: str) -> Iterator[None]:
    """No compaction runs while this is held (it waits for one that does); a compaction
    that died is finished first."""
    with _lease(output, wait=True):
        finish_interrupted(output)
        yield


def publish(output: str, run_id: str) -> int:
    """After a run commits: the manifests of the partitions it wrote, so that tables
    over the manifests show its rows; how many were written."""
    output = output.rstrip("/")
    with held_off(output):
        files, _, _ = _live_files(output)
        return sum(_write_manifest(output, table, partition, found)
                   for (table, partition), found in files.items()
                   if any(partitions.run_of(path) == run_id for path in found))


def finish_interrupted(output: str) -> int:
    """Finish a compaction that died: where a partition's manifest names a planned
    merged file, the files it replaces are deleted; elsewhere the merged file. How
    many merged files were planned."""
    try:
        groups = runs.read_json(_plan_path(output))["groups"]
    except (BeamIOError, OSError, ValueError):
        return 0
    manifests: dict[str, set] = {}
    for group in groups:
        manifest = _manifest_of(output, group["merged"])
        if manifest not in manifests:
            manifests[manifest] = set(_read_manifest(manifest))
        committed = group["merged"] in manifests[manifest]
        runs.delete(group["sources"] if committed else [group["merged"]])
    runs.delete([_plan_path(output)])
    return len(groups)


def _compact_partition(output: str, table: Table, partition: str, found: list[str],
                       groups: list, live_runs: set,
                       hook: Hook) -> tuple[Optional[Result], list[str]]:
    """Merge a partition's planned groups and commit them by its manifest: what it did,
    and the files its manifest no longer names."""
    if not groups:
        _write_manifest(output, table, partition, found)
        return None, []
    rows = 0
    merged = [path for path, _ in groups]
    replaced = {source for _, sources in groups for source in sources}
    try:
        for path, sources in groups:
            rows += _write_merged(table, sources, path)
    except (OSError, BeamIOError, pa.ArrowException) as err:  # a file cut short: leave it
        runs.delete(merged)
        _write_manifest(output, table, partition, found)
        return Result(unreadable=[f"{table.name}/{partition} ({err})"]), []
    hook("merged")
    run = partitions.run_of(merged[0])
    if run in live_runs:  # a streaming run still going: its bundle now
        runs.commit_bundle(output, run, merged)
    kept = [path for path in found if path not in replaced]
    _write_manifest(output, table, partition, kept + merged, known_changed=True)
    hook("committed")
    return Result(partitions=1, files_before=len(found), files_after=len(kept) + len(merged),
                  rows=rows), sorted(replaced)


def _write_merged(table: Table, sources: list[str], path: str) -> int:
    parts = []
    for source in sources:
        with FileSystems.open(source, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            parts.append(pq.read_table(pa.BufferReader(handle.read())))
    expected = sum(part.num_rows for part in parts)
    merged = merge_files(table, parts)
    if merged.num_rows != expected:  # cannot happen; refuse rather than lose rows
        raise CompactionError(f"{path}: merged {merged.num_rows} rows of {expected}")
    with partitions.whole_file(path) as out:
        pq.write_table(merged, out, **partitions.PARQUET_OPTIONS)
    return merged.num_rows


def _write_manifest(output: str, table: Table, partition: str, found: list[str],
                    known_changed: bool = False) -> int:
    """Write a partition's manifest unless it already says this; 1 if written."""
    path = table.manifest_path(output, partition)
    found = sorted(found)
    if not known_changed and _read_manifest(path) == found:
        return 0
    with partitions.whole_file(path) as out:
        out.write("".join(f"{uri}\n" for uri in found).encode())
    return 1


def _read_manifest(path: str) -> list[str]:
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            return handle.read().decode().split()
    except (BeamIOError, OSError):
        return []


def _remove_stale_manifests(output: str, files: Files, since: Optional[str]) -> None:
    """Manifests of partitions that no longer hold a file (a rerun moved its rows)."""
    live = {table.manifest_path(output, partition) for table, partition in files}
    runs.delete([path for table in TABLES.values()
                 for path in runs.matching([table.manifests_glob(output)])
                 if path not in live and partitions.on_or_after(path[len(output):], since)])


def _live_files(output: str, since: Optional[str] = None
                ) -> tuple[Files, dict[str, int], set[str]]:
    """The data files that count, by partition (of day ``since`` and later): those of
    committed runs (every run's in an output from before commit markers) and of
    committed bundles at least ``SETTLED_SECONDS`` old; their sizes; the runs still
    writing whose bundles are among them."""
    committed = runs.committed_runs(output) if runs.uses_commits(output) else None
    bundled = {path for manifests in runs.bundle_manifests(output).values()
               for manifest in manifests for path in runs.read_json(manifest)["files"]}
    files: Files = collections.defaultdict(list)
    sizes, live_runs, now = {}, set(), time.time()
    for meta in runs.file_metadata([t.files_glob(output, "part-*.parquet")
                                    for t in TABLES.values()]):
        run = partitions.run_of(meta.path)
        if not partitions.on_or_after(meta.path[len(output):], since):
            continue
        if committed is not None and run not in committed:
            if meta.path not in bundled or \
                    now - (meta.last_updated_in_seconds or now) < SETTLED_SECONDS:
                continue
            live_runs.add(run)
        table_name, partition = _partition_of(output, meta.path)
        files[(TABLES[table_name], partition)].append(meta.path)
        sizes[meta.path] = meta.size_in_bytes
    return files, sizes, live_runs


def _partition_of(output: str, path: str) -> tuple[str, str]:
    """(table name, partition) of a data file under ``output``."""
    table_name, *folders, _ = path[len(output) + 1:].split("/")
    return table_name, "/".join(folders)


def _folder(output: str, table: Table, partition: str) -> str:
    return f"{output}/{table.name}/{partition}"


def _manifest_of(output: str, data_file: str) -> str:
    table_name, partition = _partition_of(output, data_file)
    return TABLES[table_name].manifest_path(output, partition)


def _plan_path(output: str) -> str:
    return runs.control_path(output, PLAN_NAME)


@contextlib.contextmanager
def _lease(output: str, wait: bool) -> Iterator[None]:
    deadline = time.monotonic() + runs.LEASE_EXPIRY_SECONDS + 60
    while True:
        lease = runs.OutputLock(output, f"compaction-{time.time_ns()}", lease=True,
                                lease_name=LEASE_NAME)
        try:
            lease.__enter__()
            break
        except runs.OutputBusy:
            if not wait or time.monotonic() > deadline:
                raise CompactionError(f"{output}: another compaction is running (its lease "
                                      f"{runs.control_path(output, LEASE_NAME)} is younger "
                                      f"than {runs.LEASE_EXPIRY_SECONDS:.0f} s)") from None
            time.sleep(2.0)
    try:
        yield
    finally:
        lease.__exit__(None, None, None)
