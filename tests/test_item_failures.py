"""One item, one outcome: an unexpected exception in any stage, on one item, is a reject
row saying where and what (``internal_error``), and the run goes on with the others.

Each test makes one stage fail on one marked item by patching the stage's own logic,
runs the real command in this process, and checks the balance the summary prints and
the rows DuckDB reads."""
import contextlib
import io
import json
import re

import pytest

from newsbeam.core.sources import fetch as fetch_logic
from newsbeam.core.sources import readers
from newsbeam.core.events.coder import EventCoder
from newsbeam.pipeline import cli
from newsbeam.transforms import clean as clean_step
from newsbeam.transforms import entities as entities_step
from tests.helpers import rows
from tests.webserver import NewsServer, article_page

MARK = "Kigoma"  # only the marked story names this town
STORIES = [
    ("harbour", "Dock workers in Mombasa stopped work on Monday after the port authority "
                "announced that two berths would be leased to a private operator, and "
                "union leaders said the strike would go on until the decision was reversed."),
    ("market", "Traders in Kisumu closed their stalls on Tuesday to protest a new county "
               "levy, and police dispersed a crowd outside the county offices with tear gas "
               "before the governor agreed to meet market leaders on Thursday."),
    ("lake", f"Fishermen in {MARK} said on Wednesday that new rules on net sizes would halve "
             "their catch, and several hundred of them marched to the regional offices to "
             "hand in a petition signed by more than three thousand people."),
    ("schools", "Teachers in Eldoret returned to classrooms on Friday after the education "
                "ministry agreed to pay salary arrears owed since June, ending a strike "
                "that had kept about two hundred schools closed for a week."),
]


def failing_on_mark(function, text_of):
    def patched(*args, **kwargs):
        if MARK in text_of(*args, **kwargs):
            raise RuntimeError("injected failure")
        return function(*args, **kwargs)
    return patched


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["run", *args])
    assert status == 0, err.getvalue()
    return out.getvalue()


def balance(summary):
    found = {name: int(n) for name, n in
             re.findall(r"^  (items read|articles|duplicates|rejects)\s+(\d+)", summary, re.M)}
    assert found["articles"] + found["duplicates"] + found["rejects"] == found["items read"]
    return found


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps({"id": slug, "title": slug, "text": text}) + "\n"
                            for slug, text in STORIES), encoding="utf-8")
    return path


def check_one_reject(output, summary, stage):
    counts = balance(summary)
    assert counts == {"items read": 4, "articles": 3, "duplicates": 0, "rejects": 1}
    [reject] = rows(output, "rejects")
    assert (reject["stage"], reject["reason"]) == (stage, "internal_error")
    assert reject["detail"] == "RuntimeError: injected failure"
    assert reject["input_ref"].endswith(":3")  # the marked line
    assert sorted(r["external_id"] for r in rows(output, "articles")) == \
        ["harbour", "market", "schools"]
    texts = {r["article_id"] for r in rows(output, "articles")}
    # what the failed article would have added is nowhere
    assert {r["article_id"] for r in rows(output, "entities")} <= texts
    assert {r["article_id"] for r in rows(output, "events")} <= texts


def test_a_record_the_reader_fails_on(export, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_jsonl_item", failing_on_mark(
        readers._jsonl_item, lambda ref, path, number, line, at: str(line)))
    output = tmp_path / "out"
    summary = run("--input", str(export), "--output", str(output))
    check_one_reject(output, summary, "parse")


def test_an_item_cleaning_fails_on(export, tmp_path, monkeypatch):
    monkeypatch.setattr(clean_step, "clean", failing_on_mark(
        clean_step.clean, lambda item, settings: item.body))
    output = tmp_path / "out"
    check_one_reject(output, run("--input", str(export), "--output", str(output)),
                     "extract")


def test_an_article_entity_extraction_fails_on(export, tmp_path, monkeypatch):
    monkeypatch.setattr(entities_step, "annotate", failing_on_mark(
        entities_step.annotate, lambda article, spans, gazetteer: article["text"]))
    output = tmp_path / "out"
    check_one_reject(output, run("--input", str(export), "--output", str(output)),
                     "entities")


def test_an_article_the_language_model_fails_on_in_a_batch(export, tmp_path, monkeypatch):
    """The model fails on the whole batch: the articles are tried one by one and only
    the one it fails on is rejected."""
    monkeypatch.setattr(entities_step.nlp, "entity_spans", failing_on_mark(
        entities_step.nlp.entity_spans, lambda model, texts, batch_size: " ".join(texts)))
    output = tmp_path / "out"
    check_one_reject(output, run("--input", str(export), "--output", str(output)),
                     "entities")


def test_an_article_event_coding_fails_on(export, tmp_path, monkeypatch):
    monkeypatch.setattr(EventCoder, "code", failing_on_mark(
        EventCoder.code, lambda coder, batch: " ".join(a.article["text"] for a in batch)))
    output = tmp_path / "out"
    check_one_reject(output, run("--input", str(export), "--output", str(output)),
                     "events")


def test_a_page_the_fetcher_fails_on(tmp_path, monkeypatch):
    with NewsServer() as server:
        server.routes["/robots.txt"] = NewsServer.page("", content_type="text/plain")
        slugs = ["mombasa-strike", "kisumu-floods", "lagos-protest"]
        for slug in slugs:
            server.routes[f"/news/{slug}.html"] = NewsServer.page(article_page(slug))
        items = "".join(f"<item><title>{s}</title><link>{server.url(f'/news/{s}.html')}"
                        f"</link><guid>{s}</guid><description>Short.</description></item>"
                        for s in slugs)
        server.routes["/feed.rss"] = NewsServer.page(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{items}'
            "</channel></rss>", content_type="application/rss+xml")
        monkeypatch.setattr(fetch_logic.Fetcher, "_follow", failing_on_mark(
            fetch_logic.Fetcher._follow,
            lambda fetcher, url, *args, **kwargs: MARK if "lagos" in url else url))
        output = tmp_path / "out"
        summary = run("--feeds", server.url("/feed.rss"), "--output", str(output),
                      "--allow-private-networks")
    assert balance(summary) == {"items read": 3, "articles": 2, "duplicates": 0,
                                "rejects": 1}
    [reject] = rows(output, "rejects")
    assert (reject["stage"], reject["reason"]) == ("fetch", "internal_error")
    assert "RuntimeError: injected failure" in reject["detail"]
    assert reject["input_ref"].endswith("#lagos-protest")
