"""A real HTTP server on 127.0.0.1 that serves news feeds and pages, and misbehaves."""
from __future__ import annotations

import gzip
import hashlib
import html
import ssl
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli

PARAGRAPHS = {
    "mombasa-strike": [
        "Dock workers at the port of Mombasa walked off the job on Tuesday, halting the "
        "unloading of container ships for the first time in three years.",
        "The Dock Workers Union said the strike would continue until the Kenya Ports "
        "Authority reversed a decision to hand two berths to a private operator.",
        "Police arrested eleven workers who blocked the main gate, a port spokesman said, "
        "and shipping lines warned of delays across East Africa.",
    ],
    "kisumu-floods": [
        "The Kenya Red Cross delivered food and blankets to 2,000 families in Kisumu on "
        "Wednesday after the Nyando river burst its banks for the second time this month.",
        "County officials said 14 schools had been turned into shelters and that the main "
        "road to Kericho remained closed to heavy vehicles.",
        "The governor urged residents of low-lying villages to move to higher ground before "
        "the heavy rains forecast for the weekend.",
    ],
    "lagos-protest": [
        "Hundreds of traders protested outside the Lagos State House of Assembly on Monday "
        "against a new levy on market stalls, blocking traffic on Obafemi Awolowo Way.",
        "The traders' association accused the state government of ignoring a court order "
        "that suspended the levy in September.",
        "Lawmakers agreed to meet the traders' leaders on Thursday, the assembly's speaker "
        "said in a statement.",
    ],
    "accra-talks": [
        "Ghana's finance ministry and the country's largest labour federation signed an "
        "agreement in Accra on Friday that ends a week-long strike by public sector workers.",
        "Under the deal, salaries will rise by 18 percent from January, and the government "
        "will pay arrears owed to teachers since June.",
        "The federation's secretary general said members would return to work on Monday.",
    ],
    "abidjan-cocoa": [
        "Cocoa farmers in Côte d'Ivoire blocked the road between Abidjan and Yamoussoukro "
        "on Thursday, demanding a higher farm-gate price before the main harvest.",
        "Gendarmes dispersed the protesters near Tiébissou and detained six people, the "
        "regional prefect said, adding that traffic resumed in the afternoon.",
        "The coffee and cocoa council said it would announce the new price next week.",
    ],
    "goma-aid": [
        "The World Food Programme delivered 300 tonnes of flour and beans to displaced "
        "families in camps west of Goma on Saturday, the agency said.",
        "Aid workers said more than 40,000 people had arrived in the camps since fighting "
        "resumed north of the city at the start of the month.",
        "The provincial governor asked donors to send tents and medicine before the rains.",
    ],
    "harare-teachers": [
        "Police arrested 23 teachers in Harare on Wednesday as they marched to the finance "
        "ministry to demand salaries paid in US dollars.",
        "The teachers' union accused the government of breaking a promise made in March "
        "and said its members would stay away from classrooms until further notice.",
        "A ministry spokesman said talks with the union would resume on Monday.",
    ],
}


def article_page(slug: str, charset: str = "utf-8") -> str:
    paragraphs = PARAGRAPHS[slug]
    title = slug.replace("-", " ").capitalize()
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="en"><head><meta charset="{charset}">'
            f"<title>{html.escape(title)} | Coastal Courier</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/africa'>Africa</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{body}</article>"
            "<footer>Coastal Courier</footer></body></html>")


def article_text(slug: str) -> str:
    return "\n\n".join(PARAGRAPHS[slug])


ENCODERS = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}


def http_response(status_line: str, headers: dict, body: bytes = b"") -> bytes:
    """A response as bytes, for ``NewsServer.raw``; non-ASCII header values in UTF-8, as
    servers send them."""
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"{status_line}\r\n{head}\r\n".encode("utf-8") + body


def chunked(body: bytes, size: int = 100) -> bytes:
    """``body`` in chunked transfer coding, with its last chunk."""
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # not 5: many requests arrive at once (get_many)


class NewsServer:
    """Routes map a path to a handler ``(server, request) -> (status, headers, body)``,
    or ``None`` when the handler wrote the whole response itself (``raw``).

    ``requests`` lists every path asked for, so tests can check what was (not) fetched.
    With ``tls=(certificate file, key file)`` it serves https.
    """

    def __init__(self, tls: tuple[str, str] | None = None):
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        self.hits: dict[str, int] = {}
        self.headers: dict[str, dict] = {}  # the last request's headers, per path
        self.delay = 0.0  # added to every response (concurrency benchmark)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                server.headers[self.path] = dict(self.headers)
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/html"}, b"Not found"
                else:
                    answer = route(server, self)
                    if answer is None:
                        return
                    status, headers, body = answer
                if server.delay:
                    time.sleep(server.delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.scheme = "https" if tls else "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            # the handshake happens in the request's thread, not in the accepting loop
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True,
                                                    do_handshake_on_connect=False)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    # building blocks for routes
    @staticmethod
    def page(text: str, charset: str = "utf-8", content_type: str = "text/html"):
        body = text.encode(charset)
        return lambda server, request: (200, {"Content-Type": f"{content_type}; "
                                              f"charset={charset}"}, body)

    @staticmethod
    def status(code: int, headers: dict | None = None):
        return lambda server, request: (code, {"Content-Type": "text/html", **(headers or {})},
                                        f"<html><body>HTTP {code}</body></html>".encode())

    @staticmethod
    def redirect(target: str, code: int = 302):
        return lambda server, request: (code, {"Location": target}, b"")

    @staticmethod
    def gzipped(text: str):
        return NewsServer.encoded(text, "gzip")

    @staticmethod
    def encoded(text: str, coding: str):
        """The page in Content-Encoding ``coding``: gzip, deflate or br."""
        body = ENCODERS[coding](text.encode("utf-8"))
        return lambda server, request: (200, {"Content-Type": "text/html; charset=utf-8",
                                              "Content-Encoding": coding}, body)

    @staticmethod
    def raw(*pieces: bytes, pause: float = 0.0, keep_open: bool = False):
        """Writes ``pieces`` as the whole response, bytes as they are, waiting ``pause``
        seconds after each, then closes the connection (or, with ``keep_open``, waits
        for the client's next request, as a keep-alive server does): for answers
        http.server would not give, cut short or dripped."""
        def handler(server, request):
            try:
                for piece in pieces:
                    request.wfile.write(piece)
                    time.sleep(pause)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up
                pass
            request.close_connection = not keep_open
        return handler

    @staticmethod
    def stall(seconds: float):
        def handler(server, request):
            time.sleep(seconds)
            return 200, {"Content-Type": "text/html"}, b"<html><body>late</body></html>"
        return handler

    @staticmethod
    def with_etag(text: str, content_type: str = "application/rss+xml"):
        """Answers 304 to a request carrying the current ETag (a conditional GET)."""
        body = text.encode("utf-8")
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'

        def handler(server, request):
            if request.headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": content_type, "ETag": etag}, body
        return handler

    @staticmethod
    def failing_then(first: int, times: int, then, headers: dict | None = None):
        """``first`` for the first ``times`` requests, then whatever ``then`` answers."""
        def handler(server, request):
            if server.hits[request.path] <= times:
                return first, {"Content-Type": "text/html", **(headers or {})}, b"busy"
            return then(server, request)
        return handler
