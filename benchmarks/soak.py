"""Soak run: a streaming run against a feed that keeps growing, for many minutes.

    python -m benchmarks.soak --minutes 20 --every 3 --poll-interval 5 --window 10

A local server publishes a new article every ``--every`` seconds (its feed lists the
latest 50, as real feeds do). ``newsbeam run --streaming`` polls it. The script
records when each article was published and when DuckDB first sees it in the
output, and samples the run's resident memory; it prints latency percentiles and
memory over time.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sysconfig
import tempfile
import threading
import time
from xml.sax.saxutils import escape

import duckdb

from newsbeam.schemas import ARTICLES
from tests.webserver import PARAGRAPHS, NewsServer, article_page

NEWSBEAM = os.path.join(sysconfig.get_path("scripts"), "newsbeam")


class Publisher:
    """Adds an article page and a feed entry every ``every`` seconds."""

    def __init__(self, server: NewsServer, every: float):
        self.server, self.every = server, every
        self.published: dict[str, float] = {}  # url -> time published
        self.entries: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        server.routes["/soak.rss"] = self.feed

    def feed(self, server, request):
        with self.lock:
            latest = self.entries[-50:]
        items = "".join(f"<item><title>{escape(g)}</title><link>{server.url(p)}</link>"
                        f"<guid>{g}</guid><description>Summary.</description></item>"
                        for g, p in latest)
        return 200, {"Content-Type": "application/rss+xml"}, (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Soak</title>{items}'
            "</channel></rss>").encode()

    def run(self):
        slugs = list(PARAGRAPHS)
        number = 0
        while not self.stopped.is_set():
            slug = slugs[number % len(slugs)]
            page = article_page(slug).replace(
                "</article>", f"<p>This is dispatch number {number} of the soak run.</p>"
                              "</article>")
            path = f"/soak/{number}.html"
            self.server.routes[path] = NewsServer.page(page)
            with self.lock:
                self.entries.append((f"soak-{number}", path))
                self.published[self.server.url(path)] = time.time()
            number += 1
            self.stopped.wait(self.every)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for task in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{task}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(c) for c in handle.read().split()]
    except FileNotFoundError:
        return []


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--every", type=float, default=3.0)
    parser.add_argument("--poll-interval", type=float, default=5.0)
    parser.add_argument("--window", type=float, default=10.0)
    args = parser.parse_args()
    output = tempfile.mkdtemp(prefix="newsbeam-soak-")
    seen: dict[str, float] = {}
    memory: list[tuple[float, float]] = []
    with NewsServer() as server:
        server.routes["/robots.txt"] = NewsServer.page("", content_type="text/plain")
        publisher = Publisher(server, args.every)
        threading.Thread(target=publisher.run, daemon=True).start()
        run = subprocess.Popen(
            [NEWSBEAM, "run", "--streaming", "--feeds", server.url("/soak.rss"), "--output",
             output, "--poll-interval", str(args.poll_interval), "--window", str(args.window),
             "--allow-private-networks"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        started = time.time()
        glob = ARTICLES.files_glob(output)
        while time.time() - started < args.minutes * 60:
            time.sleep(1)
            now = time.time()
            try:
                urls = duckdb.connect().execute(
                    f"SELECT url FROM read_parquet('{glob}', hive_partitioning=true)"
                ).fetchall()
            except duckdb.Error:
                urls = []
            for (url,) in urls:
                seen.setdefault(url, now)
            if not memory or now - memory[-1][0] >= 30:
                memory.append((now, rss_mb(run.pid)))
        publisher.stopped.set()
        run.send_signal(signal.SIGTERM)
        stdout, _ = run.communicate(timeout=300)
    latencies = [seen[url] - at for url, at in publisher.published.items() if url in seen]
    missing = [url for url in publisher.published if url not in seen]
    print(f"soak: {args.minutes:g} min, an article every {args.every:g} s, poll "
          f"{args.poll_interval:g} s, window {args.window:g} s")
    print(f"published {len(publisher.published)}, seen in DuckDB during the run "
          f"{len(latencies)}, not yet seen when it stopped {len(missing)} (the last "
          "seconds' articles, written by the drain)")
    print("latency from publication to DuckDB, seconds: " + ", ".join(
        f"p{int(q * 100)} {percentile(latencies, q):.1f}" for q in (0.5, 0.9, 0.99))
          + f", max {max(latencies):.1f}")
    print("resident memory of the run (MB) every 30 s: "
          + " ".join(f"{mb:.0f}" for _, mb in memory))
    print(stdout.strip().splitlines()[-8] if stdout else "(no summary)")
    print("\n".join(line for line in stdout.splitlines() if "items read" in line))


if __name__ == "__main__":
    main()
