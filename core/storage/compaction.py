"""Compaction: the small files of each partition merged into few large ones, in place.

Files are merged per partition and run id, so a rerun with the same run id still
replaces exactly its own rows: a merged file carries the run id in its name.

A partition changes in one atomic step. Its new content (hard links to the files that
stay, plus the merged files) is built in a staging folder under OUTPUT/_compaction and
exchanged with the live folder by one ``renameat2(RENAME_EXCHANGE)``: a reader that reads
a folder's names once lists either the old or the new folder, never both sets of rows and
never half of them (DuckDB's glob is not one: it stats each name again by its path and
drops those gone, see docs/architecture.md). A
journal written before the exchange lets the next compaction finish an interrupted one
(its merged files are live) or undo it (they are not). Files a writer adds while the
new folder is built are moved into it after the exchange; a writer whose temporary
file was swapped away writes it again (``transforms.write.write_table_file``), and a
partition with a temporary file younger than ``IN_FLIGHT_SECONDS`` is left for the
next compaction. Local (POSIX) outputs; object stores have no atomic step over several
files and are compacted by ``store_compaction`` instead.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import dataclasses
import errno
import fcntl
import glob
import hashlib
import json
import os
import shutil
import time
import uuid
from typing import Callable, Iterable, Iterator, Optional

import pyarrow as pa
import pyarrow.parquet as pq

from newsbeam.schemas import TABLES, Table

from . import partitions, runs

WORK_DIR = "_compaction"  # beside the table folders; no table glob reaches it
IN_FLIGHT_SECONDS = 600.0  # a younger temporary file is a write in progress
DEFAULT_TARGET_BYTES = 256 * 2**20
THREADS = 8

Hook = Callable[[str], None]  # called with each step's name; tests stop a run there


class CompactionError(Exception):
    """Compaction cannot run on this output; reported as one line."""


@dataclasses.dataclass
class Result:
    partitions: int = 0  # partitions rewritten
    files_before: int = 0  # their files before
    files_after: int = 0  # and after
    rows: int = 0  # rows in the merged files
    skipped: list = dataclasses.field(default_factory=list)  # partitions with writes in flight
    unreadable: list = dataclasses.field(default_factory=list)  # partitions left as they are
    recovered: int = 0  # interrupted compactions finished or undone first

    def add(self, other: Optional["Result"]) -> None:
        if other is not None:
            self.partitions += other.partitions
            self.files_before += other.files_before
            self.files_after += other.files_after
            self.rows += other.rows
            self.skipped += other.skipped
            self.unreadable += other.unreadable


def merge_groups(files: Iterable[tuple[str, int]], target_bytes: int,
                 committed: Optional[set] = None) -> list[list[str]]:
    """Which file names to merge: (name, size) -> groups of two or more names.

    Only data files of one run id merge together, and only of ``committed`` runs when
    given (a run still writing replaces its own files when it commits); files of at
    least half the target size stay as they are; the rest are packed, in name order,
    into groups of at most ``target_bytes``.
    """
    by_run: dict[str, list[tuple[str, int]]] = {}
    for name, size in sorted(files):
        run = partitions.run_of(name)
        if run is not None and size < target_bytes / 2 and \
                (committed is None or run in committed):
            by_run.setdefault(run, []).append((name, size))
    groups = []
    for small in by_run.values():
        group, total = [], 0
        for name, size in small:
            if group and total + size > target_bytes:
                groups.append(group)
                group, total = [], 0
            group.append(name)
            total += size
        groups.append(group)
    return [g for g in groups if len(g) > 1]


def merged_name(sources: list[str]) -> str:
    """``part-<run>_c<digest>_0_0.parquet``: named by its sources, so never reused."""
    digest = hashlib.sha256("\n".join(sorted(sources)).encode()).hexdigest()[:20]
    return partitions.file_name(partitions.run_of(sources[0]), f"c{digest}", 0, 0)


def merge_files(table: Table, parts: list[pa.Table]) -> pa.Table:
    """The rows of several files of one table, as one table in its sort order."""
    merged = pa.concat_tables(parts, promote_options="default")
    if set(merged.column_names) == set(table.schema.names):  # files of this version
        merged = merged.select(table.schema.names).cast(table.schema)
    return merged.sort_by([(c, "ascending", "at_start") for c in table.sort_by])


def compact(output: str, target_bytes: int = DEFAULT_TARGET_BYTES,
            hook: Optional[Hook] = None, since: Optional[str] = None) -> Result:
    """Compact every partition of every table under a local ``output`` (those of day
    ``since`` and later only, when given)."""
    if "://" in output and not output.startswith("file://"):
        raise CompactionError(
            f"{output}: compaction works on local (POSIX) outputs only; object stores "
            "have no atomic step over several files (see docs/architecture.md)")
    output = os.path.abspath(output.removeprefix("file://"))
    if not os.path.isdir(output):
        raise CompactionError(f"{output}: no such folder")
    hook = hook or (lambda step: None)
    work = os.path.join(output, WORK_DIR)
    os.makedirs(work, exist_ok=True)
    result = Result()
    with _exclusive(work):
        result.recovered = recover(output)
        committed = runs.committed_runs(output) if os.path.isdir(
            runs.control_path(output)) else None  # an output from before commit markers
        # Partitions are independent; threads overlap their fsyncs and reads.
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            done = [pool.submit(_compact_partition, output, table, folder, target_bytes,
                                committed, hook)
                    for table in TABLES.values() for folder in _partition_folders(output, table)
                    if partitions.on_or_after(os.path.relpath(folder, output), since)]
            for future in done:
                result.add(future.result())
    return result


def recover(output: str) -> int:
    """Finish or undo the compactions a crash interrupted; how many there were."""
    work = os.path.join(output, WORK_DIR)
    jobs = sorted(p for p in glob.glob(os.path.join(work, "*")) if os.path.isdir(p))
    for job in jobs:
        try:
            with open(os.path.join(job, "journal.json"), encoding="utf-8") as handle:
                journal = json.load(handle)
        except FileNotFoundError:  # stopped before its journal: nothing was exchanged
            shutil.rmtree(job)
            continue
        live = os.path.join(output, journal["partition"])
        if all(os.path.exists(os.path.join(live, name)) for name in journal["merged"]):
            _finish(job, live, journal)
        else:
            shutil.rmtree(job)
    return len(jobs)


def _compact_partition(output: str, table: Table, live: str, target_bytes: int,
                       committed: Optional[set], hook: Hook) -> Optional[Result]:
    stats = {e.name: _stat(e) for e in os.scandir(live) if e.is_file()}
    relative = os.path.relpath(live, output)
    now = time.time()
    # A temporary file gone since the listing was a write finishing just then.
    if any(name.startswith(".") and name.endswith(".tmp")
           and (stat is None or now - stat.st_mtime < IN_FLIGHT_SECONDS)
           for name, stat in stats.items()):
        return Result(skipped=[relative])
    sizes = {name: stat.st_size for name, stat in stats.items() if stat is not None}
    groups = merge_groups(sizes.items(), target_bytes, committed)
    if not groups:
        return None
    sources = sorted(n for g in groups for n in g)
    journal = {"partition": relative, "table": table.name, "sources": sources,
               "merged": [merged_name(g) for g in groups]}
    job = os.path.join(output, WORK_DIR, uuid.uuid4().hex)
    staged = os.path.join(job, "partition")
    os.makedirs(job)
    _write_json(os.path.join(job, "journal.json"), journal)
    hook("journal")
    os.makedirs(staged)
    kept = [n for n in sizes if n not in set(sources) and not n.startswith(".")]
    for name in kept:
        os.link(os.path.join(live, name), os.path.join(staged, name))
    rows = 0
    try:
        for group, name in zip(groups, journal["merged"]):
            rows += _write_merged(table, [os.path.join(live, n) for n in group],
                                  os.path.join(staged, name))
    except (OSError, pa.ArrowException) as err:  # e.g. a truncated file: leave it all be
        shutil.rmtree(job)
        return Result(unreadable=[f"{relative} ({err})"])
    _fsync_dir(staged)
    hook("staged")
    _exchange(staged, live)
    hook("exchanged")
    _finish(job, live, journal)
    return Result(partitions=1, files_before=len(sources) + len(kept),
                  files_after=len(groups) + len(kept), rows=rows)


def _stat(entry: os.DirEntry) -> Optional[os.stat_result]:
    try:
        return entry.stat()
    except FileNotFoundError:  # renamed or removed since the folder was listed
        return None


def _write_merged(table: Table, sources: list[str], path: str) -> int:
    expected = sum(pq.ParquetFile(p).metadata.num_rows for p in sources)
    merged = merge_files(table, [pq.read_table(source) for source in sources])
    if merged.num_rows != expected:  # cannot happen; refuse rather than lose rows
        raise CompactionError(f"{path}: merged {merged.num_rows} rows of {expected}")
    temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
    pq.write_table(merged, temporary, **partitions.PARQUET_OPTIONS)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.rename(temporary, path)
    return merged.num_rows


def _finish(job: str, live: str, journal: dict) -> None:
    """After the exchange: move files written meanwhile into the live folder, then
    delete the old one. ``job/partition`` holds the old content now."""
    old = os.path.join(job, "partition")
    replaced = set(journal["sources"])
    if os.path.isdir(old):
        for name in os.listdir(old):
            if name in replaced or name.startswith("."):
                continue
            target = os.path.join(live, name)
            if not os.path.exists(target):
                os.rename(os.path.join(old, name), target)
    _fsync_dir(live)
    shutil.rmtree(job)


def _partition_folders(output: str, table: Table) -> list[str]:
    pattern = os.path.join(output, table.name, *(f"{f.name}=*" for f in table.partitions))
    return sorted(p for p in glob.glob(pattern) if os.path.isdir(p))


def _write_json(path: str, value: dict) -> None:
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, path)
    _fsync_dir(os.path.dirname(path))


def _fsync_dir(path: str) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: str, b: str) -> None:
    """Swap two folders atomically (Linux renameat2)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise CompactionError("compaction needs renameat2 (Linux 3.15+, glibc 2.28+)")
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                 _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS):
            raise CompactionError(f"{b}: this filesystem cannot swap folders atomically")
        raise OSError(code, os.strerror(code), b)


def held_off(output: str):
    """No compaction runs on a local output while this is held (it waits for one that
    does): a run recovering the output removes files a compaction would link."""
    work = os.path.join(output, WORK_DIR)
    os.makedirs(work, exist_ok=True)
    return _exclusive(work, wait=True)


@contextlib.contextmanager
def _exclusive(work: str, wait: bool = False) -> Iterator[None]:
    with open(os.path.join(work, ".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise CompactionError(f"{work}: another compaction is running") from None
        yield
