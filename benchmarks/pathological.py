"""Seconds and peak memory to clean hostile inputs, and to run NER and event coding on
what passes the caps.

    python -m benchmarks.pathological                  # every case, with this checkout
    python -m benchmarks.pathological --before HEAD~5  # cleaning with core/ as it was then
    python -m benchmarks.pathological --cases text-4mb,p-20k --no-nlp

Each case is built in memory and run in a fresh process; "peak MB" is the process's peak
resident size while cleaning (or NER and event coding), "added MB" that peak minus its
size once the input is built and the models loaded (memory freed while building the
input is reused, so it can read 0). --before REV runs cleaning with the core/ package of
git revision REV (NLP is not run then); a case that takes longer than --timeout is
stopped and shown as such. Figures: docs/benchmarks.md, "Pathological inputs".
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Optional

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
HEAD = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Notes from "
        "the harbour | Test Gazette</title></head><body><nav><a href=\"/\">Home</a></nav>"
        "<article><h1>Notes from the harbour</h1>")
TAIL = "</article><footer>Test Gazette</footer></body></html>"
# News-like sentences (written for this benchmark) for long plain texts.
SENTENCES = (
    "Dock workers in {place} walked off the job on {day}, halting container traffic for "
    "the {count} time this month, the union said.",
    "Police arrested {count} protesters outside the port authority in {place} after a "
    "blockade of the northern gate, a spokeswoman said.",
    "The transport minister met union leaders in {place} on {day} and promised to review "
    "the plan to automate two terminals.",
    "Shipping companies warned that the stoppage in {place} would delay deliveries of "
    "grain and fuel to inland towns by at least {count} days.",
    "Residents of {place} said the queues of lorries on the coastal road had grown longer "
    "every day since the strike began.",
)
PLACES = ("Marseille", "Mombasa", "Valparaíso", "Gdańsk", "Durban", "Chittagong",
          "Santos", "Piraeus")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def news_text(chars: int) -> str:
    """Paragraphs of three sentences each, about ``chars`` characters."""
    paragraphs, size, number = [], 0, 0
    while size < chars:
        paragraph = " ".join(
            SENTENCES[(number + k) % len(SENTENCES)].format(
                place=PLACES[(number + k) % len(PLACES)], day=DAYS[number % len(DAYS)],
                count=number % 97 + 2)
            for k in range(3))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
        number += 1
    return "\n\n".join(paragraphs)[:chars]


def code(number: int) -> str:
    """A short distinct token: the number in base 36, in capitals."""
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + digits
        if not number:
            return digits


def short_paragraphs(count: int) -> str:
    return HEAD + "".join(f"<p>{code(i)}.</p>" for i in range(count)) + TAIL


def page(body: str) -> str:
    return HEAD + body + TAIL


# name -> (what it is, item kind, builder of the body)
CASES = {
    "p-330k": ("330,000 short paragraphs, 3.96 MB page", "page",
               lambda: short_paragraphs(330_000)),
    "p-20k": ("20,000 short paragraphs", "page", lambda: short_paragraphs(20_000)),
    "p-40k": ("40,000 short paragraphs", "page", lambda: short_paragraphs(40_000)),
    "p-80k": ("80,000 short paragraphs", "page", lambda: short_paragraphs(80_000)),
    "p-24k-news": ("24,000 paragraphs of news, 3.9 MB page (under the element cap)",
                   "page", lambda: page("".join(
                       f"<p>{line}</p>" for line in news_text(3_800_000).split("\n\n")
                       [:24_000]))),
    "pre-330k": ("330,000 short lines in one <pre>, 3.6 MB page", "page",
                 lambda: page("<pre>" + "\n".join(f"{code(i)}." for i in range(330_000))
                              + "</pre>")),
    "spans-8k": ("8,000 spans in one paragraph", "page", lambda: page(
        "<p>" + " ".join(f"<span>{code(i)}.</span>" for i in range(8_000)) + "</p>")),
    "spans-2k": ("2,000 spans in one paragraph (at the inline cap)", "page", lambda: page(
        "<p>" + " ".join(f"<span>{code(i)}.</span>" for i in range(2_000)) + "</p>")),
    "links-150k": ("150,000 links in paragraphs of 100, 3.8 MB page", "page", lambda: page(
        "".join("<p>" + " ".join(f'<a href="/{code(i)}">{code(i)}</a>'
                                 for i in range(start, start + 100)) + "</p>"
                for start in range(0, 150_000, 100)))),
    "scripts-unclosed": ("20,000 unclosed JSON-LD scripts", "page", lambda: page(
        '<script type="application/ld+json">{"a": 1} ' * 20_000 + "<p>" + news_text(2_000)
        + "</p>")),
    "meta-nested-250": ("3 MB of text in 250 nested 'date meta byline' divs", "page",
                        lambda: page('<div class="date meta byline">' * 250 + "<p>"
                                     + news_text(3_000_000).replace("\n\n", " ") + "</p>"
                                     + "</div>" * 250)),
    "nested-200k": ("200,000 nested <div>s around a paragraph", "page", lambda: page(
        "<div>" * 200_000 + "<p>" + news_text(2_000) + "</p>" + "</div>" * 200_000)),
    "table-300k": ("a table of 1,000 rows of 300 cells", "page", lambda: page(
        "<table>" + "".join("<tr>" + "<td>7</td>" * 300 + "</tr>" for _ in range(1_000))
        + "</table>")),
    "one-paragraph-3.9mb": ("one paragraph of 3.9 MB of text", "page",
                            lambda: page("<p>" + news_text(3_900_000).replace("\n\n", " ")
                                         + "</p>")),
    "fragment-330k": ("feed entry content: 330,000 short paragraphs, 3.96 MB", "fragment",
                      lambda: "".join(f"<p>{code(i)}.</p>" for i in range(330_000))),
    "text-4mb": ("plain text of 4 MB (a JSONL text value)", "text",
                 lambda: news_text(4_000_000)),
    "text-50mb": ("plain text of 50 MB", "text", lambda: news_text(50_000_000)),
    "text-50mb-one-line": ("plain text of 50 MB on one line", "text",
                           lambda: news_text(50_000_000).replace("\n\n", " ")),
    "text-330k-lines": ("plain text of 330,000 short paragraphs", "text",
                        lambda: "\n\n".join(f"{code(i)}." for i in range(330_000))),
    "text-99k": ("plain text of 99,000 characters (under the text cap)", "text",
                 lambda: news_text(99_000)),
    "text-15k-words": ("a long feature: plain text of 15,000 words", "text",
                       lambda: news_text(96_000)),
}


def memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak since the last reset_peak) of this process."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # Linux: the peak resident size starts again from now


def core_modules(before: Optional[str]) -> tuple:
    """(cleaning, records) of newsbeam.core, or of the ``core_before`` package unpacked in
    the folder ``before`` (see core_of): loaded from there by file, under that name."""
    package = "newsbeam.core"
    if before:
        package = "core_before"
        init = os.path.join(before, package, "__init__.py")
        spec = importlib.util.spec_from_file_location(
            package, init, submodule_search_locations=[os.path.dirname(init)])
        sys.modules[package] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[package])
    # core/articles/cleaning.py, or core/cleaning.py before core/ was grouped by stage
    grouped = importlib.util.find_spec(f"{package}.articles") is not None
    cleaning = importlib.import_module(f"{package}.{'articles.' if grouped else ''}cleaning")
    return cleaning, importlib.import_module(f"{package}.records")


def run_case(name: str, before: Optional[str], nlp_too: bool) -> dict:
    """In this process: build the case, clean it, then (if asked) NER and event coding."""
    cleaning, records = core_modules(before)
    _, kind, build = CASES[name]
    body = build()
    item = records.RawItem(input_ref=name, kind=kind, body=body, ingested_at=NOW,
                           url="https://gazette.example/2026/11/27/notes")
    if nlp_too:  # loaded before the clock starts, as a worker holds them
        from newsbeam.core.language import entities, nlp
        from newsbeam.core.events.coder import EventCoder
        from newsbeam.core.language.gazetteer import Gazetteer
        ner, coder, gazetteer = (nlp.load(nlp.DEFAULT_MODEL, "ner"),
                                 EventCoder(nlp.load(nlp.DEFAULT_MODEL, "parse")), Gazetteer())
    before = memory_mb("VmRSS")
    reset_peak()
    started = time.perf_counter()
    try:
        article = cleaning.clean(item)
        outcome = f"article, {len(article['text']):,} chars"
    except Exception as err:  # Rejected, of whichever core package
        article, outcome = None, f"{getattr(err, 'reason', type(err).__name__)}"
    result = dict(input_mb=len(body) / 1e6, outcome=outcome,
                  clean_s=time.perf_counter() - started,
                  clean_peak_mb=memory_mb("VmHWM"),
                  before_mb=before)
    if article and nlp_too:
        reset_peak()
        started = time.perf_counter()
        spans = next(nlp.entity_spans(ner, [article["text"]]))
        annotated = entities.annotate(article, spans, gazetteer)
        events = coder.code([annotated])[0]
        result.update(nlp_s=time.perf_counter() - started, events=len(events),
                      nlp_peak_mb=memory_mb("VmHWM"))
    return result


def core_of(revision: str, folder: str) -> str:
    """The core/ package of a git revision, unpacked as ``core_before`` in folder."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    archive = subprocess.run(["git", "archive", revision, "core"], cwd=root, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    os.rename(os.path.join(folder, "core"), os.path.join(folder, "core_before"))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated names")
    parser.add_argument("--before", metavar="REV", help="clean with core/ of this revision")
    parser.add_argument("--no-nlp", action="store_true", help="cleaning only")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per case")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case, in a child process
    parser.add_argument("--core-from", help=argparse.SUPPRESS)  # core_of's folder
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.core_from, not args.no_nlp)))
        return
    with tempfile.TemporaryDirectory() as folder:
        before = ["--core-from", core_of(args.before, folder)] if args.before else []
        print(f"{'case':<20} {'MB':>6} {'clean s':>8} {'peak MB':>8} {'added MB':>8}  "
              f"{'outcome':<28} {'NER+events s':>12} {'events':>6} {'peak MB':>8}")
        for name in args.cases.split(","):
            command = ([sys.executable, "-m", "benchmarks.pathological", "--case", name]
                       + before + (["--no-nlp"] if args.no_nlp or args.before else []))
            try:
                done = subprocess.run(command, capture_output=True, text=True,
                                      timeout=args.timeout)
                result = json.loads(done.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                print(f"{name:<20} {'':>6} {'>' + format(args.timeout, '.0f'):>8}  stopped")
                continue
            except (IndexError, ValueError):
                print(f"{name:<20} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            nlp_part = (f"{result['nlp_s']:>12.2f} {result['events']:>6} "
                        f"{result['nlp_peak_mb']:>8.0f}" if "nlp_s" in result else "")
            print(f"{name:<20} {result['input_mb']:>6.2f} {result['clean_s']:>8.2f} "
                  f"{result['clean_peak_mb']:>8.0f} "
                  f"{result['clean_peak_mb'] - result['before_mb']:>8.0f}  "
                  f"{result['outcome']:<28} {nlp_part}", flush=True)


if __name__ == "__main__":
    main()
