"""Large JSONL exports: the reader's speed and memory by file size, and a whole run.

    python -m benchmarks.large_exports                  # 100 MB, 500 MB, 1 GB; run on 300 MB
    python -m benchmarks.large_exports --sizes 100 --run-mb 0

Writes crawl-style exports (one ``{"id", "url", "html"}`` line per page, about 150 kB of
HTML each, plain and .gz) into --folder, then measures, each in a fresh process:

- the reader alone: ``ReadSourceFn.process`` outside Beam, as a worker runs it on one
  file: records/s, MB/s and peak RSS;
- read and clean: the same plus ``cleaning.clean`` on every item (the stage after it);
- read and clean as a Beam pipeline (``ReadInputs`` then ``CleanArticles``) on the
  DirectRunner, as it is and with a ``Reshuffle`` of the items between the two, as
  ReadInputs had until it was removed: time and peak RSS;
- a whole ``newsbeam run`` (default spaCy model, DirectRunner) over a --run-mb export:
  time and peak RSS.

Pages are synthetic news pages written here, with distinct texts; with --real-pages
they are the real pages of ../shared/realdata/pages/html/ when that folder exists
(repeated with new URLs to fill the size).
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

MB = 1024 * 1024
REAL_PAGES = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "realdata",
                          "pages", "html")

CITIES = ["Mombasa", "Valparaíso", "Gdańsk", "Chittagong", "Durban", "Tema", "Callao",
          "Haiphong", "Constanța", "Mersin", "Santos", "Cebu", "Lagos", "Karachi"]
BODIES = ["the port authority", "the dockworkers' union", "the transport ministry",
          "the regional governor", "the shipping association", "the customs service",
          "the city council", "the harbour police", "a group of hauliers"]
ACTS = ["said talks would resume on", "announced new inspections from",
        "warned of further delays until", "agreed to extend night shifts until",
        "rejected the pay offer made on", "called an emergency meeting for",
        "reopened two berths on", "suspended loading at the grain terminal on"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DETAILS = ["Some {n} containers were waiting on the quay, according to a terminal manager.",
           "Trucks queued for {n} kilometres along the coast road into the city.",
           "Officials put the cost of the stoppage at {n} million dollars a day.",
           "At least {n} vessels were anchored offshore by the evening.",
           "The union said {n} of its members had joined the protest.",
           "Fuel deliveries to inland towns fell by {n} percent over the week."]


def news_page(number: int, rng: random.Random) -> tuple[str, str]:
    """A synthetic article page of about 150 kB (most of it navigation and scripts,
    as crawled news pages are) and its URL; every text is distinct."""
    city = rng.choice(CITIES)
    title = f"{city}: {rng.choice(BODIES)} {rng.choice(ACTS)} {rng.choice(DAYS)}"
    paragraphs = []
    for _ in range(12):
        sentences = [f"{rng.choice(BODIES).capitalize()} in {rng.choice(CITIES)} "
                     f"{rng.choice(ACTS)} {rng.choice(DAYS)}."]
        sentences += [rng.choice(DETAILS).format(n=rng.randint(2, 900)) for _ in range(3)]
        paragraphs.append(" ".join(sentences))
    paragraphs.append(f"This is report {number} of the large-export benchmark.")
    menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(450))
    config = json.dumps({f"slot_{i}": {"size": [300, 250], "targeting": "news,ports"}
                         for i in range(1100)})
    day = 1 + number % 28
    page = (f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title>"
            f'<meta property="article:published_time" content="2026-11-{day:02d}T08:00:00Z">'
            f"<script>window.adConfig = {config};</script>"
            f"<style>{'.c{margin:0 auto;padding:4px}' * 1200}</style></head><body>"
            f"<nav><ul>{menu}</ul></nav><article><h1>{html.escape(title)}</h1>"
            f'<p class="byline">By Staff Reporter</p>'
            + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
            + f"</article><footer><ul>{menu}</ul></footer></body></html>")
    return page, f"https://ports.example/news/{number}"


def real_pages() -> list[str]:
    names = sorted(os.listdir(REAL_PAGES))
    pages = []
    for name in names:
        with gzip.open(os.path.join(REAL_PAGES, name), "rt", encoding="utf-8",
                       errors="replace") as handle:
            pages.append(handle.read())
    return pages


def generate(path: str, size_mb: int, real: list[str]) -> None:
    """Write a JSONL export of about size_mb (and its .gz) unless it is there already."""
    if os.path.exists(path) and os.path.exists(path + ".gz"):
        return
    rng = random.Random(size_mb)
    started = time.time()
    with open(path + ".part", "w", encoding="utf-8") as out, \
            gzip.open(path + ".gz.part", "wt", encoding="utf-8", compresslevel=6) as packed:
        number, written = 0, 0
        while written < size_mb * MB:
            if real:
                page, url = real[number % len(real)], f"https://real.example/{number}"
            else:
                page, url = news_page(number, rng)
            line = json.dumps({"id": f"p{number}", "url": url, "html": page},
                              ensure_ascii=False) + "\n"
            out.write(line)
            packed.write(line)
            written += len(line.encode("utf-8"))
            number += 1
    os.replace(path + ".part", path)
    os.replace(path + ".gz.part", path + ".gz")
    print(f"  wrote {path} ({number:,} pages) and .gz in {time.time() - started:.0f} s",
          flush=True)


def measure_read(path: str, clean: bool) -> dict:
    """In this process: the read DoFn's logic over one file, optionally cleaning too."""
    from newsbeam.core.articles.cleaning import clean as clean_item
    from newsbeam.core.sources.fetch import FetchSettings
    from newsbeam.core.sources.readers import InputFile
    from newsbeam.core.records import RawItem, Rejected
    from newsbeam.transforms.read import ReadSourceFn

    read = ReadSourceFn(64 * MB, FetchSettings())
    read.setup()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # code, no data
    started = time.time()
    items = rejects = articles = 0
    for output in read.process(InputFile(path)):
        if isinstance(output, RawItem):
            items += 1
            if clean:
                try:
                    clean_item(output)
                    articles += 1
                except Rejected:
                    pass
        else:
            rejects += 1
    seconds = time.time() - started
    return dict(items=items, rejects=rejects, articles=articles, seconds=seconds,
                rss_before_mb=before,
                rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure_pipeline(path: str, reshuffle: bool) -> dict:
    """In this process: ReadInputs and CleanArticles on the DirectRunner."""
    import apache_beam as beam
    from apache_beam.metrics.metric import MetricsFilter

    from newsbeam.core.articles.cleaning import CleaningSettings
    from newsbeam.core.sources.fetch import FetchSettings
    from newsbeam.core.sources.readers import InputFile
    from newsbeam.transforms import CleanArticles, ReadInputs

    started = time.time()
    with beam.Pipeline() as p:
        items = (p | ReadInputs([InputFile(path)], 64 * MB, FetchSettings()))["items"]
        if reshuffle:
            items = items | "SpreadItems" >> beam.Reshuffle()
        _ = items | CleanArticles(CleaningSettings())
    cleaned = p.result.metrics().query(MetricsFilter().with_name("cleaned"))["counters"]
    return dict(articles=sum(c.committed for c in cleaned), seconds=time.time() - started,
                rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def in_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.large_exports", *args],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_run(path: str) -> dict:
    """In this process: a whole ``newsbeam run`` as a child, its time and peak RSS."""
    output = tempfile.mkdtemp(prefix="newsbeam-large-run-")
    newsbeam = os.path.join(os.path.dirname(sys.executable), "newsbeam")
    started = time.time()
    try:
        done = subprocess.run([newsbeam, "run", "--input", path, "--output", output,
                               "--run-id", "large"], capture_output=True, text=True)
    finally:
        shutil.rmtree(output, ignore_errors=True)
    return dict(seconds=time.time() - started, status=done.returncode,
                rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                summary=[line for line in done.stdout.splitlines()
                         if line.strip().startswith(("items read", "articles", "rejects"))],
                error=done.stderr[-2000:] if done.returncode else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,1000", help="export sizes in MB")
    parser.add_argument("--run-mb", type=int, default=300,
                        help="size of the export a whole run reads (0: no run)")
    parser.add_argument("--clean-mb", type=int, default=100,
                        help="size of the export read and cleaned (0: none)")
    parser.add_argument("--pipeline-sizes", default="100,500,1000",
                        help="export sizes (MB) read and cleaned by a Beam pipeline")
    parser.add_argument("--folder", default=os.path.join(tempfile.gettempdir(),
                                                         "newsbeam-large-exports"))
    parser.add_argument("--real-pages", action="store_true",
                        help="fill exports with ../shared/realdata pages when present")
    parser.add_argument("--measure-read", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--measure-clean", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--measure-run", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--measure-pipeline", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--measure-reshuffled", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for flag, measure in ((args.measure_read, lambda f: measure_read(f, False)),
                          (args.measure_clean, lambda f: measure_read(f, True)),
                          (args.measure_pipeline, lambda f: measure_pipeline(f, False)),
                          (args.measure_reshuffled, lambda f: measure_pipeline(f, True)),
                          (args.measure_run, measure_run)):
        if flag:
            print(json.dumps(measure(flag)))
            return

    real = []
    if args.real_pages:
        if os.path.isdir(REAL_PAGES):
            real = real_pages()
        else:
            print(f"{REAL_PAGES} is not there: synthetic pages instead")
    kind = f"{len(real)} real pages, repeated" if real else "synthetic news pages"
    os.makedirs(args.folder, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    pipeline_sizes = [int(s) for s in args.pipeline_sizes.split(",") if s]
    print(f"Exports of {kind}, about 150 kB of HTML a line, in {args.folder}")
    for size in sorted(set(sizes + pipeline_sizes + [args.run_mb, args.clean_mb]) - {0}):
        generate(os.path.join(args.folder, f"export-{size}mb.jsonl"), size, real)

    print("\nThe reader alone (ReadSourceFn.process outside Beam, one file, fresh process)")
    print(f"{'file':<24}{'stored MB':>10}{'records':>9}{'s':>8}{'records/s':>11}"
          f"{'MB/s':>8}{'RSS before MB':>15}{'peak RSS MB':>13}")
    for size in sizes:
        for suffix in ("", ".gz"):
            path = os.path.join(args.folder, f"export-{size}mb.jsonl{suffix}")
            stored = os.path.getsize(path) / MB
            read = in_child("--measure-read", path)
            assert read["rejects"] == 0, read
            print(f"{os.path.basename(path):<24}{stored:>10.0f}{read['items']:>9,}"
                  f"{read['seconds']:>8.1f}{read['items'] / read['seconds']:>11,.0f}"
                  f"{size / read['seconds']:>8.0f}{read['rss_before_mb']:>15.0f}"
                  f"{read['rss_mb']:>13.0f}", flush=True)

    if args.clean_mb:
        path = os.path.join(args.folder, f"export-{args.clean_mb}mb.jsonl")
        cleaned = in_child("--measure-clean", path)
        print(f"\nRead and clean, {os.path.basename(path)}: {cleaned['items']:,} pages, "
              f"{cleaned['articles']:,} articles in {cleaned['seconds']:.0f} s "
              f"({cleaned['items'] / cleaned['seconds']:.1f} pages/s), "
              f"peak RSS {cleaned['rss_mb']:.0f} MB", flush=True)

    if pipeline_sizes:
        print("\nRead and clean as a Beam pipeline (DirectRunner, fresh process)")
        print(f"{'file':<24}{'articles':>9}{'s':>8}{'peak RSS MB':>13}"
              f"{'with a Reshuffle of items: s':>30}{'peak RSS MB':>13}")
    for size in pipeline_sizes:
        path = os.path.join(args.folder, f"export-{size}mb.jsonl")
        plain = in_child("--measure-pipeline", path)
        spread = in_child("--measure-reshuffled", path)
        print(f"{os.path.basename(path):<24}{plain['articles']:>9,}{plain['seconds']:>8.0f}"
              f"{plain['rss_mb']:>13.0f}{spread['seconds']:>30.0f}{spread['rss_mb']:>13.0f}",
              flush=True)

    if args.run_mb:
        path = os.path.join(args.folder, f"export-{args.run_mb}mb.jsonl")
        run = in_child("--measure-run", path)
        print(f"\nWhole newsbeam run, {os.path.basename(path)} (DirectRunner, default spaCy "
              f"model): {run['seconds']:.0f} s, peak RSS {run['rss_mb']:.0f} MB, "
              f"exit {run['status']}")
        for line in run["summary"]:
            print("  " + line.strip())
        if run["error"]:
            print(run["error"])


if __name__ == "__main__":
    main()
