import datetime as dt

import pytest

from newsbeam.core.storage import partitions
from newsbeam.schemas import ARTICLES, EVENTS, REJECTS


def test_partition_paths_use_only_validated_values():
    assert partitions.partition_path(ARTICLES, {"date": "2026-11-20", "region": "SY"}) == \
        "date=2026-11-20/region=SY"
    assert partitions.partition_path(EVENTS, {"date": dt.date(2026, 11, 20),
                                              "region": "../../etc"}) == \
        "date=2026-11-20/region=ZZ"
    assert partitions.partition_path(REJECTS, {"date": "2026-11-20"}) == "date=2026-11-20"
    for bad in ("2026-13-01", "20261120", "2026-11-20/../x"):
        with pytest.raises(ValueError):
            partitions.partition_path(ARTICLES, {"date": bad, "region": "SY"})


def test_run_ids_are_safe_in_names_and_globs():
    assert partitions.valid_run_id("20261127T141719Z-ab12cd")
    assert partitions.valid_run_id("nightly.2026-11-27")
    for bad in ("", "a/b", "a*", "a_b", "x" * 81, "-start", "a b"):
        assert not partitions.valid_run_id(bad)


def test_file_names_round_trip_their_run_id():
    name = partitions.file_name("run-1", "all", 0, 3)
    assert name == "part-run-1_all_0_3.parquet"
    assert partitions.run_of(f"/out/articles/date=2026-11-20/region=SY/{name}") == "run-1"
    assert partitions.run_of("/out/articles/date=2026-11-20/region=SY/notes.txt") is None


def test_stale_files_are_this_runs_files_not_written_again():
    existing = ["/o/a/date=1/region=SY/part-r1_all_0_0.parquet",
                "/o/a/date=2/region=SY/part-r1_all_0_0.parquet",
                "/o/a/date=2/region=SY/part-r1-b_all_0_0.parquet",  # another run, same prefix
                "/o/a/date=2/region=SY/part-r2_all_0_0.parquet"]
    written = ["/o/a/date=1/region=SY/part-r1_all_0_0.parquet"]
    assert partitions.stale_files(existing, written, "r1") == [
        "/o/a/date=2/region=SY/part-r1_all_0_0.parquet"]


def test_rows_sort_by_time_then_id_with_nulls_first():
    t = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
    rows = [ARTICLES.row(article_id="b", published_at=t, ingested_at=t),
            ARTICLES.row(article_id="a", published_at=t, ingested_at=t),
            ARTICLES.row(article_id="c", published_at=None, ingested_at=t)]
    assert [r["article_id"] for r in partitions.sort_rows(ARTICLES, rows)] == ["c", "a", "b"]


def test_rows_refuse_unknown_columns():
    with pytest.raises(KeyError):
        ARTICLES.row(article_idd="typo")


def test_docs_tables_is_generated_from_the_schemas():
    import pathlib

    from newsbeam.schemas import docs
    written = pathlib.Path(__file__).parent.parent / "docs" / "tables.md"
    assert written.read_text(encoding="utf-8") == docs.markdown(), \
        "regenerate: python -m newsbeam.schemas.docs > docs/tables.md"
