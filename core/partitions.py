"""Where rows land: partition folders, file names and which old files a rerun replaces."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Optional

from newsbeam.schemas import UNKNOWN_REGION, Table

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,79}$")
_REGION = re.compile(r"^[A-Z]{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# How every data file is written (pyarrow.parquet.write_table keywords).
PARQUET_OPTIONS = dict(compression="zstd", coerce_timestamps="us",
                       allow_truncated_timestamps=False, write_statistics=True)


def valid_run_id(run_id: str) -> bool:
    """Letters, digits, dots and dashes: safe in file names and in globs."""
    return bool(RUN_ID.match(run_id))


def partition_path(table: Table, row: dict) -> str:
    """``date=YYYY-MM-DD/region=CC`` for a row; only validated values reach the path."""
    parts = []
    for name in table.partition_names:
        value = row.get(name)
        if name == "date":
            value = value.isoformat() if isinstance(value, dt.date) else str(value)
            if not _DATE.match(value):
                raise ValueError(f"{table.name}: invalid partition date {value!r}")
            dt.date.fromisoformat(value)
        elif name == "region":
            value = value if isinstance(value, str) and _REGION.match(value) else UNKNOWN_REGION
        parts.append(f"{name}={value}")
    return "/".join(parts)


def file_name(run_id: str, window: str, pane: int, shard: int) -> str:
    """``part-<run>_<window>_<pane>_<shard>.parquet``: deterministic, glob-safe."""
    return f"part-{run_id}_{window}_{pane}_{shard}.parquet"


_FILE = re.compile(r"^part-(?P<run>[A-Za-z0-9.-]+)_[A-Za-z0-9]+_\d+_\d+\.parquet$")


def run_of(path: str) -> Optional[str]:
    """The run id in a data file's name, or None for other files."""
    match = _FILE.match(path.rstrip("/").rsplit("/", 1)[-1])
    return match.group("run") if match else None


def stale_files(existing: Iterable[str], written: Iterable[str], run_id: str) -> list[str]:
    """Files of this run id that this run did not write (a rerun replaces them)."""
    keep = set(written)
    return sorted(p for p in existing if run_of(p) == run_id and p not in keep)


def sort_rows(table: Table, rows: list[dict]) -> list[dict]:
    """Rows in the table's natural order; nulls first."""
    return sorted(rows, key=lambda r: tuple((r[c] is not None, r[c]) for c in table.sort_by))
