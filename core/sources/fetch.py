"""A safe and polite HTTP fetcher for feeds and article pages.

Every failure is a ``Rejected`` with a reason code (``http_404``, ``timeout``,
``too_large``, ``incomplete_body``, ``not_html``, ``tls_error``,
``blocked_private_address``, ``robots_disallowed``, ...); an unexpected exception
while fetching one URL becomes ``internal_error`` for that URL, never the caller's.

Safety: only http and https; the host is resolved first and every address it
resolves to is vetted (no loopback, private, link-local such as cloud metadata,
multicast or reserved addresses unless allowed), then the connection is made to the
vetted address itself, so a second DNS answer cannot redirect it (DNS rebinding).
Redirects (and a zero-delay ``Refresh`` header) and robots.txt requests are vetted
the same way. Connecting (TCP and TLS) has its own deadline and so has the whole
response: a server that sends a byte now and then cannot hold a worker. Bodies are
capped (a larger body is rejected, never truncated), decompressed (gzip, deflate,
brotli) with the same cap, and a body cut short is rejected, never passed on.

What real servers send: HTTP/1.0 and 1.1, responses ending at a Content-Length, at
the last chunk or when the server closes; URLs with non-ASCII characters (IRIs) are
sent the way browsers send them (host in IDNA, path and query percent-encoded as
UTF-8), and so are redirect targets; a page whose Content-Type is a generic one
(text/plain, application/octet-stream, none) is taken when its body is HTML.

Politeness: a User-Agent naming newsbeam and a contact, robots.txt honoured by
default (fetched once per origin, its redirects followed), a bound on requests in
flight per host, one request per connection (``Connection: close``), and retries on
429 and 5xx that wait as long as ``Retry-After`` asks (up to a limit).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import email.utils
import http.client
import ipaddress
import math
import random
import re
import socket
import ssl
import threading
import time
import urllib.robotparser
from typing import Iterable, Iterator, Optional
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import idna

from ..records import RawItem, Rejected
from .compression import inflate
from .decoding import decode

VERSION = "0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Types servers send when they do not know better: such a page is taken if it is HTML.
_GENERIC_TYPES = ("", "text/plain", "application/octet-stream", "binary/octet-stream",
                  "application/unknown", "unknown/unknown")
_ACCEPT = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/rdf+xml,application/xml;"
            "q=0.9,text/xml;q=0.9,*/*;q=0.5",
}
_CONTENT_CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate", "br": "br"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_RETRIED_FAILURES = ("connection_error", "incomplete_body")  # a dropped connection
_CHUNK = 64 * 1024

# What browsers leave as it is in a URL's path and query (WHATWG URL Standard, the
# path and special-query percent-encode sets); the rest, non-ASCII included, is
# percent-encoded as UTF-8. "%" is kept so that an encoded URL is not encoded twice.
_PATH_SAFE = "!$%&'()*+,/:;=@[\\]^|~"
_QUERY_SAFE = "!$%&()*+,/:;=?@[\\]^`{|}~"
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
# WHATWG MIME sniffing: how an HTML document starts.
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*(?:<!doctype html[ >]|<!--|"
    rb"<(?:html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p)[ >])",
    re.IGNORECASE)
_REFRESH = re.compile(r"^\s*(\d+)[\d.]*\s*(?:[;,]\s*(?:url\s*=\s*)?(.*?))?\s*$",
                      re.IGNORECASE | re.DOTALL)


@dataclasses.dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0  # TCP and TLS handshake
    read_timeout: float = 20.0  # for the whole response once connected
    max_bytes: int = 10 * 1024 * 1024  # body, before and after decompression
    max_redirects: int = 5
    retries: int = 2  # after the first attempt, on 429, 5xx and dropped connections
    max_retry_wait: float = 30.0  # a longer Retry-After is not waited for
    per_host: int = 4  # requests in flight to one host
    concurrency: int = 16  # requests in flight in one worker
    contact: str = ""  # how site owners reach the operator: a URL or an email address
    obey_robots: bool = True
    allow_private: bool = False

    @property
    def user_agent(self) -> str:
        contact = f"; +{self.contact}" if self.contact else ""
        return f"newsbeam/{VERSION} (news ingestion{contact})"


@dataclasses.dataclass
class Response:
    url: str  # after redirects, as sent (ASCII: IDNA host, percent-encoded path)
    status: int
    content_type: str  # media type, lower case, without parameters
    charset: Optional[str]  # from the Content-Type header
    body: bytes  # decompressed
    etag: Optional[str] = None  # validators for a conditional GET next time
    last_modified: Optional[str] = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclasses.dataclass
class _RobotsRules:
    """One origin's robots.txt, loaded by the first request to the origin while the
    others wait on ``lock``."""

    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    loaded: bool = False
    rules: Optional[urllib.robotparser.RobotFileParser] = None  # None: disallow all
    failure: Optional[Rejected] = None  # why there are no rules


class Fetcher:
    """Fetches URLs one at a time (``get``) or many at once (``get_many``); thread-safe."""

    def __init__(self, settings: FetchSettings = FetchSettings()):
        self.settings = settings
        self._lock = threading.Lock()
        self._host_slots: dict[str, threading.Semaphore] = {}
        self._robots: dict[str, _RobotsRules] = {}
        self._tls = ssl.create_default_context()  # loading the CA store once, not per request
        self._tls.sslsocket_class = _DeadlineSSLSocket

    def get(self, url: str, accept: str = "html", etag: Optional[str] = None,
            last_modified: Optional[str] = None) -> Response:
        """The response for ``url``, following redirects; raises Rejected.

        With an ``etag`` or ``last_modified`` from an earlier response the request is
        conditional, and an unchanged resource gives a ``not_modified`` response.
        """
        conditions = tuple((name, value) for name, value in (("If-None-Match", etag),
                                                             ("If-Modified-Since", last_modified))
                           if value)
        try:
            response = self._follow(url, accept, conditions, self.settings.obey_robots)
            if response.not_modified and conditions:
                return response
            return self._accepted(response, accept)
        except Rejected:
            raise
        except Exception as err:  # a bug of ours met on one URL must not end the run
            raise Rejected("internal_error", f"{type(err).__name__}: {err}") from None

    def get_many(self, urls: Iterable[str], accept: str = "html"
                 ) -> Iterator[tuple[int, object]]:
        """(index, Response or Rejected) for each URL, as they complete."""
        urls = list(urls)
        if not urls:
            return
        workers = min(self.settings.concurrency, len(urls))
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            futures = {pool.submit(self._get_or_rejected, url, accept): i
                       for i, url in enumerate(urls)}
            for future in concurrent.futures.as_completed(futures):
                yield futures[future], future.result()

    def _get_or_rejected(self, url: str, accept: str):
        try:
            return self.get(url, accept)
        except Rejected as err:
            return err

    def _accepted(self, response: Response, accept: str) -> Response:
        if response.status != 200:
            raise Rejected(f"http_{response.status}", f"HTTP {response.status} from "
                           f"{response.url}")
        if accept == "html" and response.content_type not in HTML_TYPES and not (
                response.content_type in _GENERIC_TYPES and _HTML_START.match(response.body)):
            raise Rejected("not_html", f"{response.url} is "
                           f"{response.content_type or 'of no declared type'}, not HTML")
        return response

    def _follow(self, url: str, accept: str, conditions, check_robots: bool) -> Response:
        """The first answer that is not a redirect, any status; raises Rejected."""
        url = _wire_url(url)
        seen = {url}
        for _ in range(self.settings.max_redirects + 1):
            response, target = self._get_following_retries(url, accept, conditions,
                                                            check_robots)
            if target is None:
                return response
            if target in seen:
                raise Rejected("redirect_loop", f"{url} redirects back to {target}")
            seen.add(target)
            url = target
        raise Rejected("too_many_redirects",
                       f"more than {self.settings.max_redirects} redirects, last to {url}")

    def _get_following_retries(self, url: str, accept: str, conditions, check_robots):
        for attempt in range(self.settings.retries + 1):
            last_try = attempt == self.settings.retries
            try:
                response, retry_after, target = self._request(url, accept, conditions,
                                                              check_robots)
            except Rejected as err:
                if err.reason not in _RETRIED_FAILURES or last_try:
                    raise
                time.sleep(self._backoff(attempt, None))
                continue
            if response.status not in _RETRY_STATUSES or last_try:
                return response, target
            wait = self._backoff(attempt, retry_after)
            if wait > self.settings.max_retry_wait:
                return response, target  # asked to come back much later: give up now
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return retry_after
        return (2 ** attempt) * (0.5 + random.random())

    def _request(self, url: str, accept: str, conditions, check_robots: bool):
        """One HTTP exchange: (response, seconds Retry-After asks to wait, the URL it
        redirects to or None)."""
        parts = urlsplit(url)
        address = self._vetted_address(parts)
        if check_robots:
            self._check_robots(url, parts)
        with self._host_slot(parts.netloc):
            return self._exchange(url, parts, address, accept, conditions)

    def _exchange(self, url, parts, address, accept, conditions):
        settings = self.settings
        connection = _PinnedHTTPConnection(parts, address, settings.connect_timeout,
                                           self._tls)
        answer = None
        try:
            connection.connect()
            connection.sock.deadline = time.monotonic() + settings.read_timeout
            connection.putrequest("GET", _path(parts), skip_accept_encoding=True)
            for name, value in (("User-Agent", settings.user_agent),
                                ("Accept", _ACCEPT.get(accept, "*/*")),
                                ("Accept-Encoding", "gzip, deflate, br"),
                                ("Connection", "close"), *conditions):
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            headers = answer.headers  # .get: the first of repeated headers, not all joined
            status = answer.status
            if status in _REDIRECT_STATUSES:
                location = headers.get("Location")
                if not location:
                    raise Rejected(f"http_{status}", f"redirect without a Location from {url}")
                return Response(url, status, "", None, b""), None, _target(url, location)
            media_type, charset = _content_type(headers.get("Content-Type", ""))
            validators = dict(etag=headers.get("ETag"),
                              last_modified=headers.get("Last-Modified"))
            if status != 200:
                return (Response(url, status, media_type, charset, b"", **validators),
                        _retry_after(headers.get("Retry-After")), None)
            refresh = _refresh_target(url, headers.get("Refresh"))
            if refresh:
                return Response(url, status, media_type, charset, b""), None, refresh
            declared = headers.get("Content-Length", "").strip()
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise Rejected("too_large", f"{url} declares {int(declared):,} bytes; the "
                               f"limit is {settings.max_bytes:,}")
            body = _decoded(_read_capped(answer, settings.max_bytes, url),
                            headers.get("Content-Encoding", ""), settings.max_bytes, url)
            return Response(url, status, media_type, charset, body, **validators), None, None
        except TimeoutError:  # socket.timeout included
            raise Rejected("timeout", f"no complete answer from {parts.netloc} within "
                           f"{settings.connect_timeout:g} s to connect and "
                           f"{settings.read_timeout:g} s to respond") from None
        except ConnectionRefusedError:
            raise Rejected("connection_refused", f"{parts.netloc} refused the connection") \
                from None
        except ssl.SSLError as err:  # certificate checks included
            raise Rejected("tls_error", f"{parts.netloc}: {err}") from None
        except http.client.IncompleteRead:
            raise Rejected("incomplete_body", f"{url}: the chunked body was cut short") \
                from None
        except (OSError, http.client.HTTPException) as err:
            raise Rejected("connection_error", f"{parts.netloc}: {type(err).__name__}: {err}") \
                from None
        finally:
            if answer is not None:
                answer.close()  # holds the socket once http.client let go of it
            connection.close()

    def _vetted_address(self, parts) -> str:
        try:
            found = socket.getaddrinfo(parts.hostname, parts.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as err:
            raise Rejected("dns_error", f"cannot resolve {parts.hostname}: {err}") from None
        addresses = [info[4][0] for info in found]
        if not self.settings.allow_private:
            for address in addresses:
                if not is_public_address(address):
                    raise Rejected("blocked_private_address",
                                   f"{parts.hostname} resolves to {address}, a non-public "
                                   "address (allow with --allow-private-networks)")
        return addresses[0]

    def _host_slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            if host not in self._host_slots:
                self._host_slots[host] = threading.Semaphore(self.settings.per_host)
            return self._host_slots[host]

    def _check_robots(self, url: str, parts) -> None:
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            robots = self._robots.setdefault(origin, _RobotsRules())
        with robots.lock:  # one request per origin, however many threads want it
            if not robots.loaded:
                robots.rules, robots.failure = self._load_robots(origin)
                robots.loaded = True
        if robots.rules is None:  # the reason of the failure, so that the cause shows
            raise Rejected(robots.failure.reason, f"{origin}/robots.txt could not be read "
                           f"({robots.failure.detail}): taken as disallowing all")
        if not robots.rules.can_fetch("newsbeam", url):
            raise Rejected("robots_disallowed", f"{origin}/robots.txt disallows {url}")

    def _load_robots(self, origin: str):
        """(rules, None) for an origin, or (None, why) when robots.txt is unreachable (a
        failed request, 5xx), which RFC 9309 says to read as 'disallow all'. Its
        redirects are followed, each hop vetted; unavailable (4xx, more redirects than
        the limit, a loop) allows all."""
        rules = urllib.robotparser.RobotFileParser()
        try:
            response = self._follow(f"{origin}/robots.txt", "any", (), check_robots=False)
        except Rejected as err:
            if err.reason not in ("redirect_loop", "too_many_redirects"):
                return None, err
            response = None
        if response is not None and response.status >= 500:
            return None, Rejected("robots_disallowed", f"HTTP {response.status}")
        if response is None or response.status != 200:
            rules.parse([])
            return rules, None
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules, None


def with_page(item: RawItem, outcome) -> RawItem:
    """The feed entry ``item`` after fetching its page: the page as the body and the
    entry's content kept to fall back on, or the entry as it was and why not."""
    if isinstance(outcome, Response):
        try:
            page = decode(outcome.body, outcome.charset)
        except Rejected as err:
            outcome = err
        else:
            return dataclasses.replace(item, kind="page", body=page, url=outcome.url,
                                       entry_body=item.body, fetch_url=None)
    return dataclasses.replace(item, fetch_url=None,
                               fetch_failure=(outcome.reason, outcome.detail))


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and similar."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback
                                 or ip.is_link_local or ip.is_private or ip.is_unspecified)


def _wire_url(url: str) -> str:
    """The URL as it is requested: http(s) only, a non-ASCII host in IDNA (UTS 46, as
    browsers), path and query percent-encoded as UTF-8 where browsers do (``%xx``
    escapes kept), without fragment or user info; raises Rejected."""
    url = re.sub(r"[\t\n\r]", "", url.strip(_C0_AND_SPACE))  # as the URL Standard does
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
        host = parts.hostname
        if parts.scheme in ("http", "https") and host and not host.isascii():
            host = idna.encode(host, uts46=True).decode("ascii")
        path = quote(parts.path or "/", safe=_PATH_SAFE)
        query = quote(parts.query, safe=_QUERY_SAFE)
    except ValueError as err:  # UnicodeError and idna's errors included
        raise Rejected("bad_url", f"{url}: {err}") from None
    if parts.scheme not in ("http", "https"):
        raise Rejected("unsupported_scheme", f"{url}: only http and https are fetched")
    if not host:
        raise Rejected("bad_url", f"{url}: no host")
    netloc = f"[{host}]" if ":" in host else host
    if port not in (None, _DEFAULT_PORTS[parts.scheme]):
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _target(url: str, location: str) -> str:
    """The wire URL a Location names, relative to ``url``. http.client reads header
    bytes as Latin-1 while servers send UTF-8: the bytes are read again as UTF-8, and
    bytes that are not UTF-8 are percent-encoded as they are."""
    raw = location.encode("latin-1", "replace")
    try:
        location = raw.decode("utf-8")
    except UnicodeDecodeError:
        location = quote(raw, safe=_QUERY_SAFE + "#'")
    return _wire_url(urljoin(url, location.strip(_C0_AND_SPACE)))


def _refresh_target(url: str, refresh: Optional[str]) -> Optional[str]:
    """Where a ``Refresh: 0; url=...`` header sends a browser at once (a redirect in all
    but name); a delayed refresh (a live page reloading itself) is not followed."""
    found = _REFRESH.match(refresh or "")
    if not found or int(found[1]) != 0 or not found[2]:
        return None
    target = _target(url, found[2].strip("'\""))
    return target if target != url else None


def _path(parts) -> str:
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _content_type(value: str) -> tuple[str, Optional[str]]:
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, param_value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = param_value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _read_capped(answer, max_bytes: int, url: str) -> bytes:
    """The whole body, refusing more than max_bytes and one that ends short of its
    Content-Length (a cut chunked body raises IncompleteRead)."""
    body = bytearray()
    while chunk := answer.read1(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise Rejected("too_large", f"{url} sends more than {max_bytes:,} bytes")
    if answer.length:  # http.client counts down what Content-Length announced
        raise Rejected("incomplete_body", f"{url}: the connection ended after "
                       f"{len(body):,} of {len(body) + answer.length:,} bytes")
    return bytes(body)


def _decoded(body: bytes, content_encoding: str, max_bytes: int, url: str) -> bytes:
    """The body with its content codings undone, the last applied first."""
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    for coding in reversed([c for c in codings if c not in ("", "identity")]):
        if coding not in _CONTENT_CODINGS:
            raise Rejected("unsupported_encoding", f"{url} is {coding}-encoded")
        try:
            body = inflate(body, _CONTENT_CODINGS[coding], max_bytes)
        except Rejected as err:
            # A compressed stream that stops before its end is a body cut short (the
            # only sign of it when the server ends the body by closing).
            if err.reason == "corrupt_file" and "truncated" in err.detail:
                raise Rejected("incomplete_body", f"{url}: {err.detail}") from None
            raise
    return body


class _Deadline:
    """Every wait of a socket ends at ``deadline`` (time.monotonic()): a timeout per
    call alone lets a server that sends a byte now and then hold a worker as long as
    it likes, in the headers, a chunk size line or the body."""

    deadline = math.inf

    def _wait_until_deadline(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        self.settimeout(remaining)

    def recv_into(self, *args, **kwargs):
        self._wait_until_deadline()
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self._wait_until_deadline()
        return super().sendall(*args, **kwargs)

    def do_handshake(self, *args, **kwargs):
        self._wait_until_deadline()
        return super().do_handshake(*args, **kwargs)


class _DeadlineSocket(_Deadline, socket.socket):
    pass


class _DeadlineSSLSocket(_Deadline, ssl.SSLSocket):
    pass


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a vetted address; the URL's host stays in the Host header and, over
    https, is the name for SNI and the certificate check."""

    def __init__(self, parts, address: str, timeout: float, tls: ssl.SSLContext):
        https = parts.scheme == "https"
        self.default_port = _DEFAULT_PORTS[parts.scheme]  # left out of the Host header
        super().__init__(parts.hostname, parts.port or self.default_port, timeout=timeout)
        self.address = address
        self.tls = tls if https else None

    def connect(self) -> None:
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        sock = _DeadlineSocket(family, socket.SOCK_STREAM)
        sock.deadline = time.monotonic() + self.timeout  # TCP and TLS handshake
        try:
            sock.settimeout(self.timeout)
            sock.connect((self.address, self.port))
            if self.tls:
                deadline = sock.deadline
                sock = self.tls.wrap_socket(sock, server_hostname=self.host,
                                            do_handshake_on_connect=False)
                sock.deadline = deadline
                sock.do_handshake()
        except BaseException:
            sock.close()
            raise
        self.sock = sock
