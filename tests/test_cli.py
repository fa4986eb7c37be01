"""The real ``newsbeam`` command, end to end, read back with DuckDB."""
import datetime as dt

import duckdb
import pytest

from newsbeam.schemas import TABLES
from tests.helpers import newsbeam, scalar, table


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("samples")
    done = newsbeam("run", "--output", str(output), "--run-id", "samples")
    return output, done.stdout


def test_samples_give_the_four_tables_duckdb_reads(samples_run):
    output, _ = samples_run
    assert scalar(f"SELECT count(*) FROM {table(output, 'articles')}") >= 12
    assert scalar(f"SELECT count(*) FROM {table(output, 'entities')}") >= 50
    assert scalar(f"SELECT count(*) FROM {table(output, 'events')}") >= 5
    assert scalar(f"SELECT count(DISTINCT region) FROM {table(output, 'articles')}") >= 3
    assert scalar(f"SELECT count(DISTINCT date) FROM {table(output, 'articles')}") >= 3
    assert scalar(f"SELECT count(DISTINCT region) FROM {table(output, 'events')}") >= 3
    assert scalar(f"SELECT typeof(date) FROM {table(output, 'articles')} LIMIT 1") == "DATE"


def test_files_match_the_contract_layout_and_schemas(samples_run):
    output, _ = samples_run
    files = sorted(output.rglob("*.parquet"))
    assert files
    for path in files:
        parts = path.relative_to(output).parts
        name = parts[0]
        assert name in TABLES
        assert parts[1].startswith("date=") and len(parts[1]) == len("date=2026-11-20")
        if name != "rejects":
            assert parts[2].startswith("region=") and len(parts[2]) == len("region=SY")
        assert path.name.startswith("part-samples_all_0_")
    for name in ("articles", "entities", "events"):
        columns = [r[0] for r in duckdb.connect().execute(
            f"DESCRIBE SELECT * FROM {table(output, name)}").fetchall()]
        assert columns == TABLES[name].columns + ["date", "region"]


def test_entity_and_event_offsets_point_into_article_text(samples_run):
    output, _ = samples_run
    mismatched = scalar(f"""
        SELECT count(*) FROM {table(output, 'entities')} e
        JOIN {table(output, 'articles')} a USING (article_id)
        WHERE substring(a.text, e.start_char + 1, e.end_char - e.start_char) <> e.text""")
    assert mismatched == 0
    mismatched = scalar(f"""
        SELECT count(*) FROM {table(output, 'events')} v
        JOIN {table(output, 'articles')} a USING (article_id)
        WHERE substring(a.text, v.start_char + 1, v.end_char - v.start_char) <> v.sentence""")
    assert mismatched == 0


def test_the_summary_adds_up_and_names_a_query(samples_run):
    output, stdout = samples_run
    articles = scalar(f"SELECT count(*) FROM {table(output, 'articles')}")
    assert f"articles {articles} + duplicates 1 + rejects 0 = items read {articles + 1}" \
        in stdout
    assert "hive_partitioning=true" in stdout and str(output) in stdout


def test_rerunning_a_run_id_replaces_its_files(samples_run, tmp_path):
    output, _ = samples_run
    before = sorted(p.relative_to(output) for p in output.rglob("*.parquet"))
    newsbeam("run", "--output", str(output), "--run-id", "samples")
    assert sorted(p.relative_to(output) for p in output.rglob("*.parquet")) == before
    # a rerun over fewer inputs leaves none of the run's earlier files behind
    small = tmp_path / "one.txt"
    small.write_text("KANO, Nigeria, Nov 21 (Wire) - Police arrested six men in Kano after a "
                     "fire destroyed hundreds of shops, a police spokesman said on Saturday.")
    rerun = tmp_path / "out"
    newsbeam("run", "--output", str(rerun), "--run-id", "r")
    newsbeam("run", "--input", str(small), "--output", str(rerun), "--run-id", "r")
    assert scalar(f"SELECT count(*) FROM {table(rerun, 'articles')}") == 1
    # a scheduled run (another run id) into the same output writes no article twice
    later = newsbeam("run", "--input", str(small), "--output", str(rerun), "--run-id", "r2")
    assert scalar(f"SELECT count(*) FROM {table(rerun, 'articles')}") == 1
    assert "duplicates        1  (seen_before 1)" in later.stdout


@pytest.mark.parametrize("args,message", [
    (["--input", "/no/such/path"], "no such file or directory"),
    (["--output", "/proc/version"], "--output"),
    (["--run-id", "../x"], "--run-id"),
    (["--runnr=DirectRunner"], "unknown option"),
    (["--runner=NoSuchRunner"], "NoSuchRunner"),
    (["--direct_running_mode=sideways"], "direct_running_mode"),
    (["--poll-interval", "soon"], "poll-interval"),
    (["--spacy-model", "xx_no_such_model"], "not installed"),
])
def test_configuration_errors_are_one_line_and_non_zero(args, message, tmp_path):
    done = newsbeam("run", "--output", str(tmp_path / "o"), *args, check=False)
    assert done.returncode != 0
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_published_on_dates_undated_text_and_anchors_its_relative_dates(tmp_path):
    story = tmp_path / "undated.txt"
    story.write_text(
        "Rebels take border town\n\n"
        "Rebel fighters seized the border town of Nasib on Saturday after government "
        "troops withdrew overnight, residents and a rebel commander said. The fighters "
        "detained dozens of soldiers who had stayed behind, the commander told reporters "
        "in the town, which lies on the main highway between Damascus and Amman.\n",
        encoding="utf-8")
    output = tmp_path / "out"
    newsbeam("run", "--input", str(story), "--output", str(output),
             "--published-on", "2024-12-07")
    assert duckdb.connect().execute(
        f"SELECT CAST(published_at AS DATE), date_source, date FROM {table(output, 'articles')}"
    ).fetchall() == [(dt.date(2024, 12, 7), "assumed", dt.date(2024, 12, 7))]
    seized = duckdb.connect().execute(
        f"SELECT event_date, date_source FROM {table(output, 'events')} "
        "WHERE trigger = 'seized'").fetchall()
    assert seized == [(dt.date(2024, 12, 7), "text")]  # Saturday = the publication day
