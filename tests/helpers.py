"""Running the installed ``newsbeam`` command and reading its tables with DuckDB."""
import os
import subprocess
import sysconfig
from importlib import resources

import duckdb

from newsbeam.schemas import TABLES

NEWSBEAM = os.path.join(sysconfig.get_path("scripts"), "newsbeam")
# One sample export (five articles): few files, short runs.
SAMPLE_EXPORT = str(resources.files("newsbeam.samples") / "articles" / "wire-roundup.jsonl")


def newsbeam(*args, check=True):
    done = subprocess.run([NEWSBEAM, *args], capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def newsbeam_here(capfd, *args):
    """newsbeam's entry point called in this process, as the installed command calls it:
    for what runs no pipeline (the DDL it prints, refusals of a command line), without
    the seconds a new interpreter takes to import Beam and spaCy."""
    from newsbeam.pipeline import cli
    try:
        code = cli.main(list(args))
    except SystemExit as exit:  # argparse's own refusals
        code = exit.code
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def table(output, name):
    """A DuckDB table expression over one output table, partitions as columns."""
    return f"read_parquet('{TABLES[name].files_glob(str(output))}', hive_partitioning=true)"


def scalar(sql):
    return duckdb.connect().execute(sql).fetchone()[0]


def rows(output, name, where="true"):
    cursor = duckdb.connect().execute(f"SELECT * FROM {table(output, name)} WHERE {where}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
