"""Real server software for conformance tests, started by the tests on 127.0.0.1 in a
temporary folder: nginx from Debian's package, with a configuration written here, and
Python's ``http.server`` in its default HTTP/1.0 mode. Both serve the news site that
``write_site`` writes; certificates for TLS come from the ``openssl`` command.

Without nginx or openssl the tests that need them are skipped, unless
``NEWSBEAM_REQUIRE_SERVERS=1`` (set by .ci/run) makes that a failure.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.webserver import article_page

NGINX = "/usr/sbin/nginx"
REQUIRED = os.environ.get("NEWSBEAM_REQUIRE_SERVERS") == "1"


def missing(program: str, package: str):
    """Skip the test (fail it when NEWSBEAM_REQUIRE_SERVERS=1): ``program`` is absent."""
    message = (f"{program} is not installed (Debian package {package}; .ci/run installs it)")
    if REQUIRED:
        pytest.fail(f"{message}, and NEWSBEAM_REQUIRE_SERVERS=1 requires it", pytrace=False)
    pytest.skip(message)


# --- the site ------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Page:
    link: str  # the path the feed links to
    file: str  # where it is written under the site's folder
    slug: str  # its story in webserver.PARAGRAPHS
    fetched: str  # the path of the URL it is fetched from, after redirects, as sent
    served_as: str  # how the servers send it, for test ids


# Every page the feed links to that must become an article.
ARTICLES = [
    Page("/news/mombasa.html", "news/mombasa.html", "mombasa-strike", "/news/mombasa.html",
         "html"),
    Page("/news/kisumu", "news/kisumu/index.html", "kisumu-floods", "/news/kisumu/",
         "folder-redirect"),
    Page("/news/lagos.txt", "news/lagos.txt", "lagos-protest", "/news/lagos.txt",
         "text-plain"),
    Page("/news/accra", "news/accra", "accra-talks", "/news/accra", "octet-stream"),
    Page("/news/abidjan.html", "news/abidjan.html", "abidjan-cocoa", "/news/abidjan.html",
         "meta-charset"),
    Page("/nouvelles/goma-aidé.html", "nouvelles/goma-aidé.html", "goma-aid",
         "/nouvelles/goma-aid%C3%A9.html", "utf8-path"),
    Page("/slow/harare.html", "slow/harare.html", "harare-teachers", "/slow/harare.html",
         "slow-drip"),
]
# The same story as the first page under another URL: a duplicate.
DUPLICATE = Page("/syndication/mombasa-copy.html", "syndication/mombasa-copy.html",
                 "mombasa-strike", "/syndication/mombasa-copy.html", "copy")
# Links that cannot become articles, with their reject reason.
REJECTED = {"/news/report.pdf": "not_html", "/news/missing.html": "http_404",
            "/private/memo.html": "robots_disallowed"}
FEED = "/feeds/world.rss"  # every page above
ARTICLES_FEED = "/feeds/articles.rss"  # the articles and the duplicate only
ROBOTS = "User-agent: *\nDisallow: /private/\n"
SHORT = "A short summary of the story."


def write_site(root: Path, base: str) -> None:
    """The news site under ``root``: article pages, a feed linking them from ``base``,
    robots.txt, and the extra pages the nginx configuration routes to."""
    def write(path, data):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    for page in ARTICLES + [DUPLICATE]:
        if page.served_as == "meta-charset":  # no charset in any header: only the page says
            write(page.file, article_page(page.slug, "windows-1252").encode("windows-1252"))
        elif page.served_as == "slow-drip":  # 3 kB at nginx's limit_rate of 1 kB/s
            write(page.file, padded(article_page(page.slug), 2_000))
        else:
            write(page.file, article_page(page.slug))
    write("news/report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n")
    write("private/memo.html", article_page("goma-aid"))
    write("robots.txt", ROBOTS)
    pages = [page.link for page in ARTICLES + [DUPLICATE]]
    write(FEED.lstrip("/"), rss(base, pages + list(REJECTED)))
    write(ARTICLES_FEED.lstrip("/"), rss(base, pages))
    # for nginx's own routes (NGINX_CONF)
    write("news/with space.html", article_page("lagos-protest"))
    write("news/paged.html", article_page("accra-talks"))
    write("refresh/now.html", "<html><head><title>Moved</title></head><body></body></html>")
    write("refresh/later.html", article_page("kisumu-floods"))
    # a slow page that cannot arrive in time: 24 kB at nginx's limit_rate of 1 kB/s
    write("slow/long.html", padded(article_page("goma-aid"), 24_000))
    write("policies/robots.txt", "User-agent: *\nDisallow: /news/\n")


def rss(base: str, links: list[str]) -> str:
    """A feed whose entries (GUIDs item-0, item-1, ...) link to ``links`` under
    ``base``, written as they are: non-ASCII paths stay IRIs."""
    entries = "".join(
        f"<item><title>Story {i}</title><link>{escape(base + link)}</link>"
        f"<guid isPermaLink='false'>item-{i}</guid>"
        f"<pubDate>Fri, 20 Nov 2026 09:00:00 +0300</pubDate>"
        f"<description>{SHORT}</description></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Coastal Courier</title><link>{escape(base)}/</link>{entries}"
            "</channel></rss>")


def padded(page: str, size: int) -> str:
    """The page made ``size`` bytes longer by a comment, which leaves its article as
    it is."""
    return page.replace("</footer>", "</footer><!--" + "." * (size - 7) + "-->")


def requested(log: str) -> list[tuple[str, int]]:
    """(path, status) of every GET in an access log (nginx's or http.server's)."""
    return [(path, int(status))
            for path, status in re.findall(r'"GET (\S+) HTTP/1\.[01]" (\d{3})', log)]


# --- nginx ---------------------------------------------------------------------------

NGINX_CONF = """
daemon off;
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 128; }}
http {{
    types {{ text/html html; text/plain txt; application/rss+xml rss;
             application/pdf pdf; }}
    default_type application/octet-stream;
    charset off;  # no charset in Content-Type: pages declare their own
    access_log {folder}/access.log;
    client_body_temp_path {folder}/temp/body;
    proxy_temp_path {folder}/temp/proxy;
    fastcgi_temp_path {folder}/temp/fastcgi;
    uwsgi_temp_path {folder}/temp/uwsgi;
    scgi_temp_path {folder}/temp/scgi;
    keepalive_timeout 30;
    # gzip makes every HTML, text and feed response gzip-encoded and chunked
    gzip on;
    gzip_min_length 32;
    gzip_types text/plain application/rss+xml;
    root {root};

    server {{
        listen 127.0.0.1:{port};
        listen 127.0.0.1:{tls_port} ssl;
        ssl_certificate {certificate};
        ssl_certificate_key {key};

        location /slow/ {{ limit_rate 1k; gzip off; }}
        location = /weird/unconditional-304 {{ return 304; }}
        location = /redirect/absolute {{
            return 301 $scheme://$host:$server_port/news/mombasa.html; }}
        location = /redirect/found {{ return 302 /news/mombasa.html; }}
        location = /redirect/see-other {{ return 303 /news/mombasa.html; }}
        location = /redirect/temporary {{ return 307 /news/mombasa.html; }}
        location = /redirect/permanent {{ return 308 /news/mombasa.html; }}
        location /redirect/relative/ {{
            absolute_redirect off;  # Location as written here
            location = /redirect/relative/root {{ return 302 /news/mombasa.html; }}
            location = /redirect/relative/a/b {{ return 302 ../../../news/mombasa.html; }}
            location = /redirect/relative/protocol {{
                return 302 //$host:$server_port/news/mombasa.html; }}
            location = /redirect/relative/spaced {{ return 302 "/news/with space.html"; }}
            location = /redirect/relative/unicode {{
                return 302 "/nouvelles/goma-aidé.html"; }}
            location = /redirect/relative/loop {{ return 302 /redirect/relative/loop; }}
        }}
        location = /news/paged.html {{
            absolute_redirect off;
            if ($arg_page = "") {{ return 302 "?page=2"; }}
        }}
        location = /refresh/now.html {{ add_header Refresh "0; url=/news/mombasa.html"; }}
        location = /refresh/later.html {{ add_header Refresh "300"; }}
    }}
    server {{  # its robots.txt is a redirect
        listen 127.0.0.1:{robots_port};
        location = /robots.txt {{ return 301 /policies/robots.txt; }}
    }}
}}
"""


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def wait_until_listening(process, ports, what: str, log_file: Path) -> bool:
    """True once every port accepts connections; False if the process ended first."""
    deadline = time.monotonic() + 15
    waiting = list(ports)
    while waiting and time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", waiting[0]), timeout=1).close()
            waiting.pop(0)
        except OSError:
            time.sleep(0.05)
    if waiting:
        raise RuntimeError(f"{what} did not listen on {waiting}: {log_file.read_text()}")
    return True


class Nginx:
    """nginx serving ``root`` over http (``base``), https (``tls_base``, with
    ``certificates``) and on a third port whose robots.txt redirects (``robots_base``)."""

    def __init__(self, root: Path, folder: Path, certificates: "Certificates"):
        if not os.access(NGINX, os.X_OK):
            missing("nginx", "nginx")
        self.root, self.folder, self.certificates = root, folder, certificates
        self.process = None

    def __enter__(self):
        (self.folder / "temp").mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a port taken between choosing and binding: choose again
            self.port, self.tls_port, self.robots_port = free_ports(3)
            conf = self.folder / "nginx.conf"
            conf.write_text(NGINX_CONF.format(
                # as root, nginx's workers would run as nobody and could not read the
                # test's folders (0700)
                user="user root;" if os.geteuid() == 0 else "",
                folder=self.folder, root=self.root, port=self.port, tls_port=self.tls_port,
                robots_port=self.robots_port, certificate=self.certificates.server,
                key=self.certificates.server_key))
            error_log = self.folder / "error.log"
            with open(self.folder / "nginx.out", "w") as out:
                self.process = subprocess.Popen(
                    [NGINX, "-p", str(self.folder), "-c", str(conf), "-e", str(error_log)],
                    stdout=out, stderr=subprocess.STDOUT)
            ports = (self.port, self.tls_port, self.robots_port)
            if wait_until_listening(self.process, ports, "nginx", error_log):
                return self
        raise RuntimeError(f"nginx did not start: {error_log.read_text()}")

    def __exit__(self, *exc):
        stop(self.process)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tls_base(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    @property
    def robots_base(self) -> str:
        return f"http://127.0.0.1:{self.robots_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self) -> list[tuple[str, int]]:
        return requested((self.folder / "access.log").read_text())


# --- Python's http.server ------------------------------------------------------------

class PythonHttpServer:
    """``python -m http.server`` in its default mode: HTTP/1.0, one request per
    connection, Content-Length, Last-Modified and If-Modified-Since, no ETag."""

    def __init__(self, root: Path, folder: Path):
        self.root, self.folder = root, folder

    def __enter__(self):
        self.log = self.folder / "http.server.log"
        with open(self.log, "w") as log:
            # port 0: the system chooses a free one, and the server prints it
            self.process = subprocess.Popen(
                [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", "0",
                 "--directory", str(self.root)],
                stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.process.stdout.readline()
        found = re.search(r" port (\d+) ", line)
        if not found:
            stop(self.process)
            raise RuntimeError(f"http.server did not start: {line}{self.log.read_text()}")
        self.port = int(found[1])
        return self

    def __exit__(self, *exc):
        stop(self.process)
        self.process.stdout.close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self) -> list[tuple[str, int]]:
        return requested(self.log.read_text())


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- certificates --------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Certificates:
    authority: str  # a CA certificate to trust (SSL_CERT_FILE)
    server: str  # signed by it, for 127.0.0.1 and localhost
    server_key: str
    wrong_name: str  # signed by it, for news.example only
    wrong_name_key: str
    self_signed: str  # for 127.0.0.1, signed by nobody we trust
    self_signed_key: str


def make_certificates(folder: Path) -> Certificates:
    """A test certificate authority and server certificates, made with openssl."""
    openssl = shutil.which("openssl")
    if not openssl:
        missing("openssl", "openssl")
    folder.mkdir(parents=True, exist_ok=True)

    def run(*args):
        subprocess.run([openssl, *args], check=True, capture_output=True, cwd=folder)

    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run("req", "-x509", *new_key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=newsbeam test authority",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, alt_names in (("server", "IP:127.0.0.1,DNS:localhost"),
                            ("wrong-name", "DNS:news.example")):
        (folder / f"{name}.ext").write_text(
            f"subjectAltName={alt_names}\nbasicConstraints=CA:FALSE\n"
            "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
        run("req", *new_key, "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", f"/CN={name}")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem")
    run("req", "-x509", *new_key, "-keyout", "self-signed.key", "-out", "self-signed.pem",
        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
    path = lambda name: str(folder / name)  # noqa: E731
    return Certificates(path("ca.pem"), path("server.pem"), path("server.key"),
                        path("wrong-name.pem"), path("wrong-name.key"),
                        path("self-signed.pem"), path("self-signed.key"))


S3_BUCKET = "news"  # the bucket the tests' server starts with
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                  "AWS_DEFAULT_REGION": "us-east-1"}


class S3Server:
    """moto's S3-compatible server (a real HTTP service speaking the S3 API) on
    127.0.0.1 with one bucket; each request it answers is a line of its log. Clients
    need ``S3_CREDENTIALS`` in their environment (any values; moto checks none)."""

    def __init__(self, folder: Path, bucket: str = "news"):
        self.log_file, self.bucket = folder / "moto.log", bucket
        self.port = free_ports(1)[0]

    def __enter__(self):
        import boto3
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=self.log_file.open("wb"),
            env={**os.environ, **S3_CREDENTIALS})
        if not wait_until_listening(self.process, [self.port], "moto", self.log_file):
            raise RuntimeError(f"moto did not start: {self.log_file.read_text()}")
        boto3.client("s3", endpoint_url=self.endpoint, **_boto3_credentials()) \
            .create_bucket(Bucket=self.bucket)
        return self

    def __exit__(self, *exc):
        stop(self.process)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> int:
        """How many requests it has answered so far."""
        return len(re.findall(r'"(?:GET|PUT|POST|DELETE|HEAD) ', self.log_file.read_text()))


def _boto3_credentials() -> dict:
    return {"aws_access_key_id": S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            "region_name": S3_CREDENTIALS["AWS_DEFAULT_REGION"]}
