"""A run over a folder of broken inputs completes, keeps the good items and rejects the
bad ones with a reason (one pipeline run, one test per case)."""
import contextlib
import io
import json
import random

import pytest

from helpers import rows
from newsbeam.pipeline import cli

GOOD_TEXT = ("José Peñaloza, a bus driver from Medellín, said the strike in Bogotá would go on "
             "until the government in Bogotá reversed the rise in diesel prices. Police "
             "detained 28 people near the Suba station on Monday.")
PAGE_1252 = f"""<html lang="es"><head><meta charset="windows-1252">
<title>Conductores bloquean Bogotá</title></head><body><article><h1>Drivers block Bogotá</h1>
<p>{GOOD_TEXT}</p><p>“We will not move,” said señora Ana Muñoz, a driver for 12 years.</p>
</article></body></html>"""
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
    (inputs / "bogota-1252.html").write_bytes(PAGE_1252.encode("cp1252"))
    # 30 MB of markup: far beyond what extraction handles in seconds
    (inputs / "huge-markup.html").write_text(
        ARTICLE_PAGE + "<div class='c'><span>reply</span></div>" * 760_000 + "</body></html>")
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


def test_a_30_mb_page_of_inline_script_still_gives_its_article(run):
    (article,) = rows(run[2], "articles", "input_ref LIKE '%huge-script.html'")
    assert article["text"].startswith(GOOD_TEXT)


def test_every_input_is_accounted_for(run):
    _, summary, output = run
    articles, rejects = rows(output, "articles"), rows(output, "rejects")
    # 7 files hold 9 items (the JSONL file has 3 lines); none is a duplicate
    assert (len(articles), len(rejects)) == (3, 6)
    assert "articles 3 + duplicates 0 + rejects 6 = items read 9" in summary
    assert all(r["detail"] and r["stage"] in ("read", "parse", "extract") for r in rejects)
