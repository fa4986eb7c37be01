"""docs/tables.md, generated from the schemas: ``python -m newsbeam.schemas.docs``."""
from __future__ import annotations

import pyarrow as pa

from .tables import TABLES, UNKNOWN_REGION

def type_name(type_: pa.DataType) -> str:
    if pa.types.is_list(type_):
        return f"list<{type_name(type_.value_type)}>"
    if pa.types.is_timestamp(type_):
        return "timestamp (µs, UTC)"
    return {"date32[day]": "date", "float": "float32", "double": "float64"}.get(
        str(type_), str(type_))


def markdown() -> str:
    lines = [
        "# Output tables",
        "",
        "Generated from `schemas/tables.py` by `python -m newsbeam.schemas.docs`; do not edit.",
        "",
        "Every table is Hive-partitioned Parquet under the output folder: "
        "`<table>/date=YYYY-MM-DD/region=CC/part-<run id>_<window>_<pane>_<shard>.parquet` "
        "(rejects: `rejects/date=YYYY-MM-DD/...`). The partition columns live in the path, "
        f"not in the files; `region` is an ISO 3166-1 alpha-2 code, `{UNKNOWN_REGION}` when "
        "unknown. Timestamps are microseconds in UTC, lists are Parquet LISTs, no column is "
        "unsigned; files are zstd-compressed. Rows in a file are sorted by the columns "
        "listed under each table. Offsets count Unicode code points, as Python and DuckDB's "
        "`substring` do.",
        "",
    ]
    for table in TABLES.values():
        lines += [f"## {table.name}", "", table.description,
                  f"Sorted by {', '.join(table.sort_by)}.", "",
                  "| column | type | null | meaning |", "|---|---|---|---|"]
        for field in (*table.schema, *table.partitions):
            partition = " (partition, in the path)" if field in table.partitions else ""
            doc = (field.metadata or {}).get(b"doc", b"").decode()
            lines.append(f"| `{field.name}` | `{type_name(field.type)}` | "
                         f"{'yes' if field.nullable else 'no'} | {doc}{partition} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
