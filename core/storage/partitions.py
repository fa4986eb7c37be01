"""Where rows land: partition folders, file names and which old files a rerun replaces."""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from typing import Iterable, Optional

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.schemas import UNKNOWN_REGION, Table

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,79}$")  # anchored for Flex Template metadata too
_REGION = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# How every data file is written (pyarrow.parquet.write_table keywords).
PARQUET_OPTIONS = dict(compression="zstd", coerce_timestamps="us",
                       allow_truncated_timestamps=False, write_statistics=True)


def valid_run_id(run_id: str) -> bool:
    """Letters, digits, dots and dashes: safe in file names and in globs."""
    return isinstance(run_id, str) and bool(RUN_ID.fullmatch(run_id))


def partition_path(table: Table, row: dict) -> str:
    """``date=YYYY-MM-DD/region=CC`` for a row; only validated values reach the path."""
    parts = []
    for name in table.partition_names:
        value = row.get(name)
        if name == "date":
            value = value.isoformat() if isinstance(value, dt.date) else str(value)
            if not _DATE.fullmatch(value):
                raise ValueError(f"{table.name}: invalid partition date {value!r}")
            dt.date.fromisoformat(value)
        elif name == "region":
            value = value if isinstance(value, str) and _REGION.fullmatch(value) else UNKNOWN_REGION
        parts.append(f"{name}={value}")
    return "/".join(parts)


def on_or_after(path: str, since: Optional[str]) -> bool:
    """Whether a path's ``date=`` partition is ``since`` (YYYY-MM-DD) or later; every
    path is when ``since`` is None."""
    found = re.search(r"(?:^|/)date=(\d{4}-\d{2}-\d{2})(?:/|$)", path)
    return since is None or (found is not None and found.group(1) >= since)


def file_name(run_id: str, window: str, pane: int, shard: int) -> str:
    """``part-<run>_<window>_<pane>_<shard>.parquet``: deterministic, glob-safe."""
    return f"part-{run_id}_{window}_{pane}_{shard}.parquet"


_FILE = re.compile(r"part-(?P<run>[A-Za-z0-9.-]+)_[A-Za-z0-9]+_\d+_\d+\.parquet")


def run_of(path: str) -> Optional[str]:
    """The run id in a data file's name, or None for other files."""
    match = _FILE.fullmatch(path.rstrip("/").rsplit("/", 1)[-1])
    return match.group("run") if match else None


def stale_files(existing: Iterable[str], written: Iterable[str], run_id: str) -> list[str]:
    """Files of this run id that this run did not write (a rerun replaces them)."""
    keep = set(written)
    return sorted(p for p in existing if run_of(p) == run_id and p not in keep)


# Object stores show an object only once its upload completes, and have no rename (Beam
# copies, then deletes): there a file is written under its own name.
OBJECT_STORES = ("gs://", "s3://", "azfs://")


@contextlib.contextmanager
def whole_file(path: str):
    """A file to write that readers see whole or not at all, on any Beam filesystem:
    under a temporary name renamed into place, or directly on an object store."""
    if path.startswith(OBJECT_STORES):
        out = FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED)
        try:
            yield out
        except BaseException:
            out.close()  # Beam cannot abandon an upload: it completes, and is deleted
            FileSystems.delete([path])
            raise
        out.close()
        return
    directory, name = path.rsplit("/", 1)
    temporary = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
    with FileSystems.create(temporary, compression_type=CompressionTypes.UNCOMPRESSED) \
            as out:
        yield out
    move_into_place(temporary, path)


def move_into_place(temporary: str, path: str) -> None:
    """Rename a finished temporary file to its path on any Beam filesystem, replacing
    what is there: readers see the old file or the new one, never half of one."""
    try:
        FileSystems.rename([temporary], [path])
    except Exception:
        if not FileSystems.exists(temporary):
            raise
        # Some filesystems refuse to rename onto an existing file.
        FileSystems.delete([path])
        FileSystems.rename([temporary], [path])


def sort_rows(table: Table, rows: list[dict]) -> list[dict]:
    """Rows in the table's natural order; nulls first."""
    return sorted(rows, key=lambda r: tuple((r[c] is not None, r[c]) for c in table.sort_by))
