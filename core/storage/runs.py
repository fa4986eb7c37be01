"""Which runs wrote an output and which of them finished: commit markers, the output
lock, and the recovery of interrupted runs.

A batch run's files become part of the output in two steps: its data files (each
written under a temporary name and renamed), then its commit marker
``OUTPUT/_newsbeam/commits/<run id>.json``. A streaming run commits bundle by bundle:
after a bundle's files it writes a manifest ``OUTPUT/_newsbeam/commits/<run id>/<bundle>.json``
naming them, and its marker when it drains. Deduplication reads only committed files,
so a run that dies half way never makes the next run skip articles it did not finish.

One run writes to an output at a time (``OutputLock``). Holding the lock, a run first
recovers the output (``recover``): the files of interrupted runs that no commit covers
are removed (their articles were never committed, so this run writes them again), the
bundles a streaming run committed before it died are kept and that run is committed,
and temporary files left by killed writers are removed.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import fcntl
import json
import os
import socket
import threading
import time
import uuid
from typing import Iterable, Optional

import pyarrow.parquet as pq
from apache_beam.io.filesystem import BeamIOError, CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas import TABLES

from . import partitions

CONTROL_DIR = "_newsbeam"  # beside the table folders; table globs and Spark skip it
_FORMAT_FILE = "output.json"  # written once: the output follows this commit protocol
# Object stores have no locks: a lease renewed this often, taken over once this old.
LEASE_RENEW_SECONDS = 30.0
LEASE_EXPIRY_SECONDS = 180.0


class OutputBusy(Exception):
    """Another run holds the output; the message says which."""


def control_path(output: str, *parts: str) -> str:
    return "/".join([output.rstrip("/"), CONTROL_DIR, *parts])


def marker_path(output: str, run_id: str) -> str:
    return control_path(output, "commits", f"{run_id}.json")


def manifest_path(output: str, run_id: str, bundle: str) -> str:
    return control_path(output, "commits", run_id, f"{bundle}.json")


def committed_runs(output: str) -> set[str]:
    """The run ids with a commit marker."""
    return {path.rsplit("/", 1)[-1][: -len(".json")]
            for path in matching([marker_path(output, "*")])}


def uses_commits(output: str) -> bool:
    """Whether runs commit in this output (those before commit markers did not: there
    every run's files count as finished)."""
    return bool(matching([control_path(output, _FORMAT_FILE)]))


def commit(output: str, run_id: str, **details) -> str:
    """Mark a run committed: from now on its files count as written (its bundle
    manifests are no longer needed). The marker's path."""
    path = marker_path(output, run_id)
    write_json(path, {"run_id": run_id, "committed_at": _now(), **details})
    delete(bundle_manifests(output).get(run_id, []))
    folder = control_path(output, "commits", run_id)
    if "://" not in output and os.path.isdir(folder):  # object stores have no folders
        os.rmdir(folder)
    return path


def save_summary(output: str, run_id: str, summary: dict) -> str:
    """What a finished run counted (items read, duplicates, rejects by reason...), kept
    beside its commit marker for reports: the tables hold no duplicates."""
    path = control_path(output, "summaries", f"{run_id}.json")
    write_json(path, {"run_id": run_id, **summary})
    return path


def runs_written(output: str) -> list[dict]:
    """Every committed run's marker, with its summary where the run saved one, oldest
    first."""
    found = []
    for path in matching([marker_path(output, "*")]):
        marker = read_json(path)
        summary = control_path(output, "summaries", path.rsplit("/", 1)[-1])
        if matching([summary]):
            marker = {**read_json(summary), **marker}
        found.append(marker)
    return sorted(found, key=lambda run: run.get("committed_at") or "")


def uncommit(output: str, run_id: str) -> None:
    """A batch run that reuses a run id replaces its files: until it commits again,
    they are not a finished run's."""
    delete([marker_path(output, run_id)])


def commit_bundle(output: str, run_id: str, files: list[str]) -> str:
    """A streaming bundle's files are complete: a manifest names them."""
    bundle = uuid.uuid5(uuid.NAMESPACE_URL, "\n".join(sorted(files))).hex
    path = manifest_path(output, run_id, bundle)
    write_json(path, {"run_id": run_id, "files": sorted(files)})
    return path


def bundle_manifests(output: str) -> dict[str, list[str]]:
    """Run id -> the paths of its bundle manifests."""
    found: dict[str, list[str]] = collections.defaultdict(list)
    for path in matching([manifest_path(output, "*", "*")]):
        found[path.rsplit("/", 2)[-2]].append(path)
    return found


def data_files(output: str) -> dict[str, list[str]]:
    """Run id -> its data files in every table."""
    found: dict[str, list[str]] = collections.defaultdict(list)
    for path in matching([t.files_glob(output, "part-*.parquet") for t in TABLES.values()]):
        run = partitions.run_of(path)
        if run is not None:
            found[run].append(path)
    return found


def committed_files(output: str, table, also_run: Optional[str] = None) -> list:
    """Metadata (path, size, last modified) of a table's data files that belong to
    committed runs (and to ``also_run``)."""
    visible = committed_runs(output) | ({also_run} if also_run else set())
    return [m for m in file_metadata([table.files_glob(output)])
            if partitions.run_of(m.path) in visible]


def rows_written(output: str, run_id: str) -> dict[str, tuple[int, int]]:
    """Table -> (files, rows) a run has written so far: what a failed run leaves."""
    written = {}
    for table in TABLES.values():
        files = matching([table.files_glob(output, f"part-{run_id}_*.parquet")])
        rows = 0
        for path in files:
            try:
                with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) \
                        as handle:
                    rows += pq.ParquetFile(handle).metadata.num_rows
            except Exception:  # noqa: BLE001 (a file cut short: counted, rows unknown)
                pass
        if files:
            written[table.name] = (len(files), rows)
    return written


@dataclasses.dataclass
class Recovery:
    """What ``recover`` did."""

    redone: dict = dataclasses.field(default_factory=dict)  # run id -> files removed
    kept: dict = dataclasses.field(default_factory=dict)  # run id -> committed bundles' files
    temporary_removed: int = 0
    adopted: int = 0  # runs found in an output written before commit markers existed

    def lines(self) -> list[str]:
        said = [f"removed {n} file(s) of interrupted run {run}: its articles are written "
                "again" for run, n in sorted(self.redone.items())]
        said += [f"kept {n} file(s) of interrupted streaming run {run} (its committed "
                 "bundles)" for run, n in sorted(self.kept.items())]
        if self.temporary_removed:
            said.append(f"removed {self.temporary_removed} temporary file(s) of killed writers")
        return said


def recover(output: str, run_id: str, streaming: bool = False) -> Recovery:
    """Make the output hold only committed work; call with the output lock held.

    ``run_id`` is the run about to start: a batch run reusing an id is uncommitted (it
    replaces those files); a streaming run reusing one keeps its committed bundles.
    """
    done = Recovery()
    files = data_files(output)
    if not uses_commits(output):
        # Written before runs were committed: every run there counts as finished.
        earlier = [run for run in files if run != run_id]
        for run in earlier:
            commit(output, run, adopted=True)
        done.adopted = len(earlier)
        write_json(control_path(output, _FORMAT_FILE), {"commit_protocol": 1,
                                                         "since": _now()})
    committed = committed_runs(output)
    manifests = bundle_manifests(output)
    if not streaming:
        uncommit(output, run_id)
        committed.discard(run_id)
    for run in sorted(set(files) | set(manifests)):
        if run in committed and run != run_id:
            continue
        if run == run_id and not streaming:
            continue  # replaced by this run, its stale files removed when it commits
        listed = {path for manifest in manifests.get(run, []) for path in read_json(manifest)
                  ["files"]}
        unlisted = [p for p in files.get(run, []) if p not in listed]
        delete(unlisted)
        kept = len(files.get(run, [])) - len(unlisted)
        if run == run_id:
            continue  # a streaming run resuming under its own id keeps its bundles
        if kept:
            done.kept[run] = kept
            commit(output, run, recovered_bundles=len(manifests[run]))
        else:
            done.redone[run] = len(unlisted)
            delete(manifests.get(run, []))
    temporary = matching([t.files_glob(output, ".*.tmp") for t in TABLES.values()]
                          + [control_path(output, "commits", ".*.tmp"),
                             control_path(output, "commits", "*", ".*.tmp")])
    delete(temporary)
    done.temporary_removed = len(temporary)
    return done


class OutputLock:
    """Only one run writes to an output at a time.

    A local output is locked with flock on OUTPUT/_newsbeam/lock: the kernel releases
    it when the holder dies, even by kill -9. Other filesystems have no locks: the
    holder writes a lease (OUTPUT/_newsbeam/lease.json) and renews it every
    ``LEASE_RENEW_SECONDS``; a lease not renewed for ``LEASE_EXPIRY_SECONDS``, or held
    by a process of this machine that has died (killed -9), is taken over
    (``lease=True`` takes a lease whatever the filesystem). Raises OutputBusy when
    another run holds it.
    """

    def __init__(self, output: str, run_id: str, lease: Optional[bool] = None,
                 lease_name: str = "lease.json"):
        self.output = output
        self.lease_name = lease_name
        self.holder = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
                       "processes": _process_namespace(), "since": _now()}
        self._local = "://" not in output if lease is None else not lease
        self._file = None
        self._renewing: Optional[threading.Event] = None

    def __enter__(self) -> "OutputLock":
        if self._local:
            self._lock_file()
        else:
            self._take_lease()
        return self

    def __exit__(self, *exc) -> None:
        if self._local:
            self._file.close()  # releases the flock
        else:
            self._renewing.set()
            if self._lease_holder() == self.holder:
                delete([control_path(self.output, self.lease_name)])

    def _lock_file(self) -> None:
        path = control_path(self.output, "lock")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self._file = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            try:
                other = json.loads(self._file.read() or "{}")
            except ValueError:
                other = {}
            self._file.close()
            raise OutputBusy(_busy(self.output, other)) from None
        self._file.seek(0)
        self._file.truncate()
        self._file.write(json.dumps(self.holder))
        self._file.flush()

    def _take_lease(self) -> None:
        other = self._lease_holder(with_age=True)
        if other and other.pop("age") < LEASE_EXPIRY_SECONDS and \
                other.get("run_id") != self.holder["run_id"] and not _died(other):
            raise OutputBusy(_busy(self.output, other))
        self._write_lease()
        time.sleep(1.0)  # two runs starting together: the last lease written wins
        if self._lease_holder() != self.holder:
            raise OutputBusy(_busy(self.output, self._lease_holder() or {}))
        self._renewing = threading.Event()
        threading.Thread(target=self._renew, daemon=True, name="newsbeam-lease").start()

    def _renew(self) -> None:
        while not self._renewing.wait(LEASE_RENEW_SECONDS):
            self._write_lease()

    def _write_lease(self) -> None:
        write_json(control_path(self.output, self.lease_name),
                    {**self.holder, "renewed": time.time()})

    def _lease_holder(self, with_age: bool = False) -> Optional[dict]:
        path = control_path(self.output, self.lease_name)
        try:
            lease = read_json(path)
        except (BeamIOError, OSError, ValueError):
            return None
        renewed = lease.pop("renewed", 0.0)
        return {**lease, "age": time.time() - renewed} if with_age else lease


def _process_namespace() -> Optional[str]:
    """Where a pid names one process: this boot of this machine and this pid namespace
    (containers on one machine share the boot but not the pids); None off Linux."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            boot = handle.read().strip()
        return f"{boot}/{os.readlink('/proc/self/ns/pid')}"
    except OSError:
        return None


def _died(holder: dict) -> bool:
    """Whether a lease's holder was a process here that no longer runs."""
    here = _process_namespace()
    if here is None or holder.get("processes") != here or not holder.get("pid"):
        return False
    try:
        os.kill(int(holder["pid"]), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def _busy(output: str, holder: dict) -> str:
    who = (f"run {holder.get('run_id', '?')} (pid {holder.get('pid', '?')} on "
           f"{holder.get('host', '?')}, since {holder.get('since', '?')})")
    return (f"--output {output} is being written by {who}; two runs into one output "
            "would write articles twice: wait for it to finish, or use another --output")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def file_metadata(patterns: Iterable[str]) -> list:
    """Beam FileMetadata (path, size, last modified) of every file the globs match."""
    try:
        results = FileSystems.match(list(patterns))
    except BeamIOError:  # some filesystems raise when a pattern matches nothing
        return []
    return [m for result in results for m in result.metadata_list]


def matching(patterns: Iterable[str]) -> list[str]:
    """The paths the globs match, on any Beam filesystem."""
    return [m.path for m in file_metadata(patterns)]


def write_json(path: str, value: dict) -> None:
    """Never half a file."""
    with partitions.whole_file(path) as handle:
        handle.write(json.dumps(value, indent=1).encode())


def read_json(path: str) -> dict:
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        return json.loads(handle.read())


def delete(paths: list[str]) -> None:
    """Delete the paths that exist."""
    present = [p for p in paths if FileSystems.exists(p)]
    if present:
        FileSystems.delete(present)
