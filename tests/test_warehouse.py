"""`newsbeam ddl`: the generated DDL executed by a real DuckDB and a real Spark over
real pipeline output, giving the same rows as reading the files directly."""
import pathlib
import re

import duckdb
import pytest

from newsbeam import samples
from newsbeam.schemas import TABLES
from tests.helpers import newsbeam, newsbeam_here, scalar, table

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def output(samples_run, tmp_path_factory):
    """The samples, and a second run with an input that is rejected."""
    out = samples_run.copy(tmp_path_factory.mktemp("warehouse"))
    bad = tmp_path_factory.mktemp("bad") / "empty.html"
    bad.write_bytes(b"")
    newsbeam("run", "--input", str(bad), "--output", str(out), "--run-id", "bad")
    return out


def direct_counts(output):
    return {name: scalar(f"SELECT count(*) FROM {table(output, name)}") for name in TABLES}


def statements(script):
    """The script's statements, without comment-only chunks."""
    chunks = [c.strip() for c in script.split(";\n")]
    return [c for c in chunks if re.sub(r"(?m)^--.*$", "", c).strip()]


def test_duckdb_views_give_the_files_rows_with_the_schema_types(output, capfd):
    script = newsbeam_here(capfd, "ddl", "--dialect", "duckdb", "--output-uri",
                           str(output)).stdout
    db = duckdb.connect()
    db.execute(script)
    expected = direct_counts(output)
    assert expected["rejects"] == 1 and expected["events"] > 50
    assert {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in TABLES} == expected
    types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'events'").fetchall())
    assert types["date"] == "DATE" and types["region"] == "VARCHAR"
    assert types["event_date"] == "DATE" and types["confidence"] in ("FLOAT", "DOUBLE")
    comment = db.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'events' "
                         "AND column_name = 'cluster_id'").fetchone()[0]
    assert comment == TABLES["events"].doc("cluster_id")
    # the README's query through the view: ASSAULT events per region and day, once each
    per_day = db.execute("SELECT region, event_date, count(DISTINCT cluster_id) FROM events "
                         "WHERE event_type = 'ASSAULT' GROUP BY ALL").fetchall()
    assert per_day and all(re.fullmatch(r"[A-Z]{2}", r[0]) for r in per_day)


def test_duckdb_ddl_before_any_rejects_gives_an_empty_typed_view(tmp_path, capfd):
    newsbeam("run", "--output", str(tmp_path), "--run-id", "only",
             "--input", str(sorted(pathlib.Path(samples.path()).glob("articles/*.txt"))[0]))
    script = newsbeam_here(capfd, "ddl", "--dialect", "duckdb", "--output-uri",
                           str(tmp_path)).stdout
    db = duckdb.connect()
    db.execute(script)
    assert db.execute('SELECT count(*) FROM "rejects"').fetchone()[0] == 0
    assert db.execute('SELECT count(*) FROM "articles"').fetchone()[0] == 1
    assert [c[0] for c in db.execute('SELECT * FROM "rejects"').description] == \
        TABLES["rejects"].columns + list(TABLES["rejects"].partition_names)


def test_spark_tables_give_the_same_counts(output, tmp_path, capfd):
    pyspark_sql = pytest.importorskip("pyspark.sql")
    script = newsbeam_here(capfd, "ddl", "--dialect", "spark", "--output-uri",
                           str(output)).stdout
    spark = (pyspark_sql.SparkSession.builder.master("local[1]").appName("newsbeam-ddl")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.warehouse.dir", str(tmp_path / "warehouse"))
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    try:
        for statement in statements(script):
            spark.sql(statement)
        counts = {name: spark.sql(f"SELECT count(*) FROM newsbeam.{name}").collect()[0][0]
                  for name in TABLES}
        assert counts == direct_counts(output)
        per_partition = spark.sql("SELECT date, region, count(*) AS n FROM newsbeam.events "
                                  "GROUP BY date, region").collect()
        expected = dict(((str(d), r), n) for d, r, n in duckdb.connect().execute(
            f"SELECT date, region, count(*) FROM {table(output, 'events')} GROUP BY ALL")
            .fetchall())
        assert {(str(row["date"]), row["region"]): row["n"] for row in per_partition} == expected
        kinds = {f.name: f.dataType.simpleString()
                 for f in spark.table("newsbeam.events").schema.fields}
        assert kinds["event_date"] == "date" and kinds["date"] == "date"
    finally:
        spark.stop()


def test_cloud_dialects_name_every_column_and_check_the_location(output, capfd):
    for dialect, uri in (("bigquery", "gs://bucket/news"), ("athena", "s3://bucket/news"),
                         ("trino", "s3://bucket/news")):
        script = newsbeam_here(capfd, "ddl", "--dialect", dialect, "--output-uri", uri).stdout
        for t in TABLES.values():
            assert f"{uri}/{t.name}" in script
            for column in t.columns:
                assert re.search(rf"[`\"]{column}[`\"] ", script), (dialect, column)
    assert "'projection.region.values' = 'AD,AE," in newsbeam_here(
        capfd, "ddl", "--dialect", "athena", "--output-uri", "s3://b/n").stdout
    spark_s3a = newsbeam_here(capfd, "ddl", "--dialect", "spark", "--output-uri",
                              "s3a://b/n").stdout
    assert spark_s3a.count("MSCK REPAIR TABLE") == 4  # a location Beam cannot list
    refused = newsbeam_here(capfd, "ddl", "--dialect", "bigquery", "--output-uri",
                            str(output))
    assert refused.returncode == 2 and "gs://" in refused.stderr
