"""How many pages per second the fetcher gets from a server that answers slowly.

    python benchmarks/fetch_concurrency.py --pages 200 --delay 0.2

A local HTTP server (the one the tests use) delays every response; the fetcher gets
N distinct pages from it with several settings of requests in flight per host, then
``newsbeam run`` reads a feed listing the same pages and fetches them in the pipeline.
Fetched one by one the pages would take N x delay seconds.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from webserver import NewsServer, article_page  # noqa: E402

from newsbeam.core.fetch import FetchSettings, Fetcher  # noqa: E402
from newsbeam.pipeline import cli  # noqa: E402


def serve_pages(server: NewsServer, count: int) -> list[str]:
    slugs = ["mombasa-strike", "kisumu-floods", "lagos-protest", "accra-talks"]
    paths = []
    for i in range(count):
        # distinct pages: the same story with its number, so none is a duplicate
        page = article_page(slugs[i % len(slugs)]).replace(
            "</article>", f"<p>This is report number {i} in the benchmark series.</p>"
                          "</article>")
        path = f"/news/{i}.html"
        server.routes[path] = NewsServer.page(page)
        paths.append(path)
    return paths


def feed(server: NewsServer, paths: list[str]) -> str:
    items = "".join(f"<item><title>Report {i}</title><link>{server.url(p)}</link>"
                    f"<guid>r-{i}</guid><description>Summary {i}.</description></item>"
                    for i, p in enumerate(paths))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{items}' \
           "</channel></rss>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()
    with NewsServer() as server:
        server.delay = args.delay
        paths = serve_pages(server, args.pages)
        server.routes["/robots.txt"] = NewsServer.page("", content_type="text/plain")
        urls = [server.url(p) for p in paths]
        serial = args.pages * args.delay
        print(f"{args.pages} pages, each answered after {args.delay * 1000:.0f} ms: "
              f"{serial:.1f} s one at a time")
        print(f"{'how':<34} {'seconds':>8} {'pages/s':>8} {'vs serial':>10}")
        for per_host, concurrency in ((1, 16), (4, 16), (16, 16), (32, 32)):
            fetcher = Fetcher(FetchSettings(allow_private=True, per_host=per_host,
                                            concurrency=concurrency))
            started = time.perf_counter()
            results = dict(fetcher.get_many(urls))
            seconds = time.perf_counter() - started
            failed = sum(1 for r in results.values() if not hasattr(r, "body"))
            label = f"Fetcher, {per_host} per host, {concurrency} in flight"
            print(f"{label:<34} {seconds:>8.2f} {args.pages / seconds:>8.1f} "
                  f"{serial / seconds:>9.1f}x" + (f"  ({failed} failed)" if failed else ""))
        with tempfile.TemporaryDirectory() as folder:
            feed_path = os.path.join(folder, "bench.rss")
            with open(feed_path, "w", encoding="utf-8") as handle:
                handle.write(feed(server, paths))
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                status = cli.main(["run", "--feeds", feed_path, "--output",
                                   os.path.join(folder, "out"), "--allow-private-networks",
                                   "--per-host", "16"])
            seconds = time.perf_counter() - started
            assert status == 0
            label = "newsbeam run (whole pipeline)"
            print(f"{label:<34} {seconds:>8.2f} {args.pages / seconds:>8.1f} "
                  f"{serial / seconds:>9.1f}x")


if __name__ == "__main__":
    main()
