"""A run over a folder of broken inputs completes, keeps the good items and rejects the
bad ones with a reason (one pipeline run, one test per case)."""
import contextlib
import gzip
import io
import json
import random
import subprocess
import sys

import pytest

from newsbeam.pipeline import cli
from tests.helpers import newsbeam, rows, scalar, table

GOOD_TEXT = ("José Peñaloza, a bus driver from Medellín, said the strike in Bogotá would go on "
             "until the government in Bogotá reversed the rise in diesel prices. Police "
             "detained 28 people near the Suba station on Monday.")
PAGE_1252 = f"""<html lang="es"><head><meta charset="windows-1252">
<title>Conductores bloquean Bogotá</title></head><body><article><h1>Drivers block Bogotá</h1>
<p>{GOOD_TEXT}</p><p>“We will not move,” said señora Ana Muñoz, a driver for 12 years.</p>
</article></body></html>"""
FERRY_TEXT = ("The ferry service between Dar es Salaam and Zanzibar resumed on Thursday after a "
              "two-day suspension caused by high winds, the port authority said in a statement.")
FLOOD_TEXT = ("Residents of three villages near Valencia were moved to a sports hall on Sunday "
              "night as the river rose above its banks after a week of heavy rain, officials said.")
BRIDGE_TEXT = ("Engineers closed the old railway bridge at Novi Sad to freight trains on Tuesday "
               "after an inspection found cracks in two of its steel girders, the operator said.")
ARTICLE_PAGE = f"""<html><head><title>Port strike</title></head><body><article>
<h1>Port strike</h1><p>{GOOD_TEXT}</p><p>{GOOD_TEXT.replace('Monday', 'Tuesday')}</p>
</article>"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("bad-inputs")
    (inputs / "empty.html").write_bytes(b"")
    (inputs / "random.html").write_bytes(random.Random(3).randbytes(20_000))
    (inputs / "blank.txt").write_text("  \n\t\n   \n")
    (inputs / "mixed.jsonl").write_text("\n".join([
        json.dumps({"id": "ok-1", "text": GOOD_TEXT, "published": "2026-11-23T10:00:00-05:00"},
                   ensure_ascii=False),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-text", "title": "A headline and nothing else"}),
    ]), encoding="utf-8")
    (inputs / "odd-values.jsonl").write_text("\n".join([
        json.dumps({"id": "odd-author", "author": 123, "title": 404, "text": FERRY_TEXT}),
        json.dumps({"id": "year-one", "published": "0001-01-01T00:00:00+01:00",
                    "text": FLOOD_TEXT}),
        json.dumps({"id": "url-number", "url": 42, "published": 1e300, "text": BRIDGE_TEXT}),
        '{"id": "cut", "text": [1, 2',
        json.dumps({"id": "text-number", "text": 5}),
    ]), encoding="utf-8")
    # a JSON escape of half an emoji: text Python holds but UTF-8 cannot encode
    (inputs / "half-emoji.jsonl").write_text(
        '{"id": "half-emoji", "text": "' + FLOOD_TEXT.replace("river", "river \\ud83d")
        .replace("Valencia", "Sevilla") + '"}\n', encoding="utf-8")
    (inputs / "bogota-1252.html").write_bytes(PAGE_1252.encode("cp1252"))
    # 30 MB of markup: far beyond what extraction handles in seconds
    (inputs / "huge-markup.html").write_text(
        ARTICLE_PAGE + "<div class='c'><span>reply</span></div>" * 760_000 + "</body></html>")
    # a 4 MB text: far beyond what entity extraction and event coding handle in seconds
    (inputs / "endless.txt").write_text((FLOOD_TEXT + "\n\n") * 22_000)
    # 30 MB of inline script around a normal article: scripts are dropped first
    (inputs / "huge-script.html").write_text(ARTICLE_PAGE.replace(
        "<body>", "<body><script>var blob='" + "A" * 30_000_000 + "';</script>")
        + "</body></html>")
    output = tmp_path_factory.mktemp("bad-output")
    summary = io.StringIO()
    with contextlib.redirect_stdout(summary):
        status = cli.main(["run", "--input", str(inputs), "--output", str(output),
                           "--run-id", "bad", "--min-words", "10"])
    return status, summary.getvalue(), output


def reject_reasons(output):
    return {r["input_ref"].rsplit("/", 1)[1]: r["reason"] for r in rows(output, "rejects")}


def test_the_run_completes(run):
    status, _, _ = run
    assert status == 0


def test_empty_file_is_a_reject(run):
    assert reject_reasons(run[2])["empty.html"] == "empty_file"


def test_random_bytes_named_html_are_a_reject(run):
    assert reject_reasons(run[2])["random.html"] == "not_text"


def test_whitespace_only_text_is_a_reject(run):
    assert reject_reasons(run[2])["blank.txt"] == "empty_file"


def test_jsonl_keeps_the_valid_line_and_rejects_the_others(run):
    reasons = reject_reasons(run[2])
    assert reasons["mixed.jsonl:2"] == "invalid_json"
    assert reasons["mixed.jsonl:3"] == "missing_text"
    (article,) = rows(run[2], "articles", "external_id = 'ok-1'")
    assert article["text"] == GOOD_TEXT


def test_windows_1252_page_keeps_its_accents(run):
    (article,) = rows(run[2], "articles", "input_ref LIKE '%bogota-1252.html'")
    assert "José Peñaloza" in article["text"] and "señora Ana Muñoz" in article["text"]
    assert "“We will not move,”" in article["text"]


def test_a_30_mb_page_of_markup_is_rejected_as_too_large(run):
    assert reject_reasons(run[2])["huge-markup.html"] == "too_large"


def test_a_4_mb_text_is_rejected_as_too_long_before_language_work(run):
    _, _, output = run
    [reject] = [r for r in rows(output, "rejects") if r["input_ref"].endswith("endless.txt")]
    assert (reject["stage"], reject["reason"]) == ("extract", "too_long")
    assert "100,000 characters" in reject["detail"] and "--max-text-chars" in reject["detail"]


def test_a_30_mb_page_of_inline_script_still_gives_its_article(run):
    (article,) = rows(run[2], "articles", "input_ref LIKE '%huge-script.html'")
    assert article["text"].startswith(GOOD_TEXT)


def test_odd_jsonl_values_cost_neither_the_line_nor_the_file(run):
    odd = {a["external_id"]: a for a in rows(run[2], "articles",
                                               "input_ref LIKE '%odd-values.jsonl:%'")}
    assert sorted(odd) == ["odd-author", "url-number", "year-one"]
    assert odd["odd-author"]["authors"] == ["123"] and odd["odd-author"]["text"] == FERRY_TEXT
    assert odd["year-one"]["date_source"] != "input"  # a date no datetime holds: none
    assert odd["url-number"]["url"].endswith("odd-values.jsonl#L3")
    reasons = reject_reasons(run[2])
    assert (reasons["odd-values.jsonl:4"], reasons["odd-values.jsonl:5"]) == (
        "invalid_json", "missing_text")


def test_half_an_emoji_becomes_a_replacement_character_and_the_run_ends_well(run):
    (article,) = rows(run[2], "articles", "external_id = 'half-emoji'")
    assert "the river \ufffd rose" in article["text"]


def test_every_input_is_accounted_for(run):
    _, summary, output = run
    articles, rejects = rows(output, "articles"), rows(output, "rejects")
    # 10 files hold 16 items (the JSONL files have 3, 5 and 1 lines); none is a duplicate
    assert (len(articles), len(rejects)) == (7, 9)
    assert "articles 7 + duplicates 0 + rejects 9 = items read 16" in summary
    assert all(r["detail"] and r["stage"] in ("read", "parse", "extract") for r in rejects)


def boilerplate_page(number: int) -> str:
    """About 30 kB of page, most of it navigation and script, around a short report."""
    report = (f"Report {number}: the harbour master in Mindelo said cargo ship number "
              f"{number} was cleared to leave on Friday after customs officers finished "
              "checking its containers, and that the queue of vessels waiting off the port "
              "had shrunk to four from eleven at the start of the week.")
    menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(400))
    return (f"<html><head><title>Port report {number}</title><script>var config = "
            f"'{'a' * 12000}';</script></head><body><nav><ul>{menu}</ul></nav><article>"
            f"<h1>Port report {number}</h1><p>{report}</p></article></body></html>")


def test_an_export_larger_than_the_file_limit_is_read_line_by_line(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = [json.dumps({"id": f"port-{n}", "url": f"https://port.example/{n}",
                         "html": boilerplate_page(n)}) for n in range(40)]
    lines[20] = json.dumps({"id": "huge", "html": boilerplate_page(20) * 60})  # 1.8 MB
    (inputs / "export.jsonl").write_text("\n".join(lines) + "\n")
    assert (inputs / "export.jsonl").stat().st_size > 3 * 1024 * 1024
    noise = random.Random(5)
    wire = [json.dumps({"id": f"wire-{n}", "text": f"{BRIDGE_TEXT} Update {n}: "
                        + " ".join(noise.choice(["trains", "freight", "inspectors", "steel",
                                                 "river", "closure", "Serbia", "repairs"])
                                   for _ in range(400))}) for n in range(60)]
    packed = gzip.compress("\n".join(wire).encode())
    (inputs / "wire.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    output = tmp_path / "out"
    done = newsbeam("run", "--input", str(inputs), "--output", str(output),
                    "--max-record-mb", "1", "--run-id", "export")
    articles = table(output, "articles")
    assert scalar(f"SELECT count(*) FROM {articles} WHERE input_ref LIKE '%export.jsonl:%'") \
        == 39
    assert "Report 21: the harbour master" in scalar(
        f"SELECT min(text) FROM {articles} WHERE external_id = 'port-21'")
    reasons = {r["input_ref"].rsplit("/", 1)[1]: (r["reason"], r["detail"])
               for r in rows(output, "rejects")}
    assert reasons.pop("export.jsonl:21")[0] == "too_large"
    wire_read = scalar(f"SELECT count(*) FROM {articles} WHERE input_ref LIKE '%wire%'")
    assert 10 < wire_read < 60
    reason, detail = reasons.pop("wire.jsonl.gz")
    assert reason == "corrupt_file" and f"after {wire_read} items" in detail
    assert not reasons
    assert f"rejects 2 = items read {39 + 1 + wire_read + 1}" in done.stdout


PIPELINE_MEMORY = """
import resource, sys
import apache_beam as beam
from newsbeam.core.articles.cleaning import CleaningSettings
from newsbeam.core.sources.fetch import FetchSettings
from newsbeam.core.sources.readers import InputFile
from newsbeam.transforms import CleanArticles, ReadInputs
with beam.Pipeline() as p:
    read = p | ReadInputs([InputFile(sys.argv[1])], 1 << 20, FetchSettings())
    _ = read["items"] | CleanArticles(CleaningSettings())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_reading_and_cleaning_a_200_mb_export_keeps_the_pipeline_memory_flat(tmp_path):
    def peak_rss_mb(path):
        done = subprocess.run([sys.executable, "-c", PIPELINE_MEMORY, str(path)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return int(done.stdout.split()[-1])

    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    small.write_text(json.dumps({"id": "port-0", "html": boilerplate_page(0)}) + "\n")
    with open(large, "w") as out:
        for n in range(200 * 1024 * 1024 // len(boilerplate_page(0)) + 1):
            out.write(json.dumps({"id": f"port-{n}", "html": boilerplate_page(n)}) + "\n")
    # The bodies are never all held at once (the local runner keeps whatever a
    # shuffle or a Flatten receives): the large export costs little more than one page.
    assert large.stat().st_size > 200 * 1024 * 1024
    assert peak_rss_mb(large) < peak_rss_mb(small) + 100


def test_feeds_an_opml_file_lists_are_read_and_a_nested_list_is_one_reject(tmp_path):
    inputs = tmp_path / "in"
    (inputs / "feeds").mkdir(parents=True)
    entries = "".join(f"<item><guid>ferry-{n}</guid><title>Ferry update {n}</title>"
                      f"<description>{FERRY_TEXT} Sailing {n} left on time.</description></item>"
                      for n in range(3))
    (inputs / "feeds" / "coast.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Desk</title>'
        f"{entries}</channel></rss>")
    (inputs / "feeds" / "more.opml").write_text(
        '<opml version="2.0"><body><outline xmlUrl="harbour.rss"/></body></opml>')
    (inputs / "subscriptions.opml").write_text(
        '<opml version="2.0"><body><outline xmlUrl="feeds/coast.rss"/>'
        '<outline xmlUrl="feeds/more.opml"/></body></opml>')
    output = tmp_path / "out"
    done = newsbeam("run", "--input", str(inputs / "subscriptions.opml"), "--output",
                    str(output), "--no-fetch", "--min-words", "10")
    assert sorted(a["external_id"] for a in rows(output, "articles")) == [
        "ferry-0", "ferry-1", "ferry-2"]
    (nested,) = rows(output, "rejects")
    # the feed the nested list names is the item not read
    assert nested["reason"] == "nested_opml" and nested["input_ref"].endswith("harbour.rss")
    assert "articles 3 + duplicates 0 + rejects 1 = items read 4" in done.stdout
