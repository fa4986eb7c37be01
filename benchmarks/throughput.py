"""Articles per second through the pipeline and through a plain loop over the same stages.

    python -m benchmarks.throughput --articles 400 --modes loop,direct,multi

N articles are generated from the bundled samples (half HTML pages, half plain text,
each text made distinct so none is dropped as a duplicate). Each mode runs in a fresh
process, loading its models as a real run does:

    loop    one Python loop: read, clean, deduplicate, NER + places, events, Parquet
    loop-no-events  the same loop without event coding: what coding costs
    direct  newsbeam run on Beam's DirectRunner, in-process
    multi   newsbeam run with --direct_running_mode=multi_processing (--workers N)
    direct-quiet, multi-quiet  the same with --quiet: no progress reporting, to measure
            what progress costs (repeat modes, e.g. direct-quiet,direct,direct-quiet,direct)

It prints seconds, articles/s, the ratio to the loop, and peak resident memory.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time

from newsbeam import samples
from newsbeam.core.articles import cleaning, dedup
from newsbeam.core.language import entities, nlp
from newsbeam.core.sources import readers
from newsbeam.core.storage import partitions
from newsbeam.core.events.coder import EventCoder
from newsbeam.core.language.gazetteer import Gazetteer
from newsbeam.core.records import ITEM, utcnow
from newsbeam.schemas import ARTICLES, ENTITIES, EVENTS, REJECTS

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Benchmark Herald</title>
<meta property="article:published_time" content="{published}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{paragraphs}</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Markets close higher</a></li></ul></aside>
<footer>© 2026 Benchmark Herald</footer></body></html>"""


def sample_articles() -> list[dict]:
    """The bundled samples as cleaned article rows."""
    now = utcnow()
    rows = []
    for root, _, names in os.walk(samples.path()):
        for name in sorted(names):
            path = os.path.join(root, name)
            if not readers.format_of(path):
                continue
            with open(path, "rb") as handle:
                for found in readers.read_document(path, handle.read(), now):
                    if found.kind == ITEM:
                        rows.append(cleaning.clean(found.value))
    return rows


def generate(count: int, folder: str) -> int:
    """Write ``count`` distinct articles; returns their total word count."""
    rng = random.Random(42)
    sources = sample_articles()
    words = 0
    for i in range(count):
        source = sources[i % len(sources)]
        paragraphs = source["text"].split("\n\n")
        # distinct numbers and a distinct closing line: no two texts are equal
        paragraphs = [re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), p)
                      for p in paragraphs]
        paragraphs.append(f"This is report number {i} in the benchmark series.")
        words += sum(len(p.split()) for p in paragraphs)
        day = dt.datetime(2026, 11, 1 + i % 25, 8, tzinfo=dt.timezone.utc)
        if i % 2:
            body = PAGE.format(title=html.escape(source["title"] or "Report"),
                               published=day.isoformat(),
                               paragraphs="".join(f"<p>{html.escape(p)}</p>"
                                                  for p in paragraphs))
            name = f"article-{i:05d}.html"
        else:
            body = f"{source['title']}\n\n" + "\n\n".join(paragraphs)
            name = f"article-{i:05d}.txt"
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(body)
    return words


def run_loop(folder: str, output: str, batch: int = 64, code_events: bool = True) -> None:
    """The same stage functions the pipeline runs, in one plain loop."""
    from newsbeam.transforms.write import write_table_file

    model = nlp.DEFAULT_MODEL
    ner, gazetteer = nlp.load(model, "ner"), Gazetteer()
    coder = EventCoder(nlp.load(model, "parse")) if code_events else None
    articles, rejects = {}, []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            for found in readers.read_document(path, handle.read(), utcnow()):
                if found.kind != ITEM:
                    rejects.append(found.value)
                    continue
                row = cleaning.clean(found.value)
                articles.setdefault(row["content_hash"], []).append(row)
    unique = [dedup.keep_best(copies)[0] for copies in articles.values()]
    tables = collections.defaultdict(list)
    for start in range(0, len(unique), batch):
        chunk = unique[start:start + batch]
        spans = nlp.entity_spans(ner, [a["text"] for a in chunk], batch_size=batch)
        annotated = [entities.annotate(a, s, gazetteer) for a, s in zip(chunk, spans)]
        coded = coder.code(annotated) if coder else [[] for _ in annotated]
        for a, events in zip(annotated, coded):
            tables[ARTICLES].append(a.article)
            tables[ENTITIES].extend(a.entities)
            tables[EVENTS].extend(events)
    tables[REJECTS].extend(rejects)
    reports = collections.defaultdict(list)  # the clustering CodeEvents does after coding
    for event in tables[EVENTS]:
        reports[event["cluster_id"]].append(event)
    for rows in reports.values():
        for event in rows:
            event["cluster_articles"] = len({e["article_id"] for e in rows})
    for table, rows in tables.items():
        groups = collections.defaultdict(list)
        for row in rows:
            groups[partitions.partition_path(table, row)].append(row)
        for partition, group in groups.items():
            path = f"{output}/{table.name}/{partition}/{partitions.file_name('loop', 'all', 0, 0)}"
            write_table_file(path, table.to_arrow(partitions.sort_rows(table, group)))


def measure(mode: str, folder: str, workers: int) -> dict:
    output = tempfile.mkdtemp(prefix=f"newsbeam-bench-{mode}-")
    started = time.perf_counter()
    if mode.startswith("loop"):
        run_loop(folder, output, code_events=mode == "loop")
    else:
        from newsbeam.pipeline import cli
        beam_args = [] if mode.startswith("direct") else [
            "--direct_running_mode=multi_processing", f"--direct_num_workers={workers}"]
        if mode.endswith("-quiet"):
            beam_args.append("--quiet")
        status = cli.main(["run", "--input", folder, "--output", output, "--run-id", "bench",
                           *beam_args])
        assert status == 0, f"{mode} run failed"
    seconds = time.perf_counter() - started
    return {"mode": mode, "seconds": seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "largest_child_rss_mb":
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--modes", default="loop,direct,multi")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one mode
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.folder, args.workers)))
        return
    folder = tempfile.mkdtemp(prefix="newsbeam-bench-input-")
    words = generate(args.articles, folder)
    print(f"{args.articles} generated articles, {words / args.articles:.0f} words each on "
          f"average, half HTML pages; {os.cpu_count()} cores")
    results = []
    for mode in args.modes.split(","):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.throughput", "--measure", mode, "--folder",
             folder, "--workers", str(args.workers)], capture_output=True, text=True,
            check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    loop = next((r["seconds"] for r in results if r["mode"] == "loop"), None)
    print(f"{'mode':<14} {'seconds':>8} {'articles/s':>11} {'words/s':>8} {'vs loop':>8} "
          f"{'peak RSS MB':>12} {'largest child MB':>17}")
    for r in results:
        ratio = f"{loop / r['seconds']:.2f}" if loop else "-"
        print(f"{r['mode']:<14} {r['seconds']:>8.1f} {args.articles / r['seconds']:>11.1f} "
              f"{words / r['seconds']:>8.0f} {ratio:>8} {r['peak_rss_mb']:>12.0f} "
              f"{r['largest_child_rss_mb']:>17.0f}")


if __name__ == "__main__":
    main()
