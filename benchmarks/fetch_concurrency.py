"""How many pages per second the fetcher gets from a server that answers slowly, and
from nginx.

    python -m benchmarks.fetch_concurrency --pages 200 --delay 0.2

A local HTTP server (the one the tests use) delays every response; the fetcher gets
N distinct pages from it with several settings of requests in flight per host, then
``newsbeam run`` reads a feed listing the same pages and fetches them in the pipeline.
Fetched one by one the pages would take N x delay seconds.

Then, when nginx is installed (/usr/sbin/nginx, as the tests use it), the same pages
from nginx without delay, gzip on, over http and https: what a request costs the
fetcher itself, with a connection (and a TLS handshake) per request.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
import time
from pathlib import Path

from newsbeam.core.sources.fetch import FetchSettings, Fetcher
from newsbeam.pipeline import cli
from tests.servers import NGINX, Nginx, make_certificates
from tests.webserver import NewsServer, article_page


def report_page(i: int) -> str:
    """Distinct pages: one of four stories with its number, so none is a duplicate."""
    slugs = ["mombasa-strike", "kisumu-floods", "lagos-protest", "accra-talks"]
    return article_page(slugs[i % len(slugs)]).replace(
        "</article>", f"<p>This is report number {i} in the benchmark series.</p></article>")


def serve_pages(server: NewsServer, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = f"/news/{i}.html"
        server.routes[path] = NewsServer.page(report_page(i))
        paths.append(path)
    return paths


def fetch_all(label: str, urls: list[str], per_host: int, concurrency: int,
              serial: float = 0.0) -> None:
    fetcher = Fetcher(FetchSettings(allow_private=True, per_host=per_host,
                                    concurrency=concurrency))
    started = time.perf_counter()
    results = dict(fetcher.get_many(urls))
    seconds = time.perf_counter() - started
    failed = sum(1 for r in results.values() if not hasattr(r, "body"))
    versus = f"{serial / seconds:>9.1f}x" if serial else f"{'':>10}"
    print(f"{label:<34} {seconds:>8.2f} {len(urls) / seconds:>8.1f} {versus}"
          + (f"  ({failed} failed)" if failed else ""))


def from_nginx(count: int) -> None:
    if not os.access(NGINX, os.X_OK):
        print("nginx is not installed: no nginx figures")
        return
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        certificates = make_certificates(folder / "certificates")
        os.environ["SSL_CERT_FILE"] = certificates.authority  # trust the test authority
        (folder / "site" / "news").mkdir(parents=True)
        for i in range(count):
            (folder / "site" / "news" / f"{i}.html").write_text(report_page(i))
        with Nginx(folder / "site", folder / "nginx", certificates) as nginx:
            for scheme, base in (("http", nginx.base), ("https", nginx.tls_base)):
                urls = [f"{base}/news/{i}.html" for i in range(count)]
                fetch_all(f"nginx over {scheme}, 16 in flight", urls, 16, 16)


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
            fetch_all(f"Fetcher, {per_host} per host, {concurrency} in flight", urls,
                      per_host, concurrency, serial)
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
    from_nginx(args.pages)


if __name__ == "__main__":
    main()
