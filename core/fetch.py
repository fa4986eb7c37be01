"""A safe and polite HTTP fetcher for feeds and article pages.

Every failure is a ``Rejected`` with a reason code (``http_404``, ``timeout``,
``too_large``, ``not_html``, ``blocked_private_address``, ``robots_disallowed``, ...).

Safety: only http and https; the host is resolved first and every address it
resolves to is vetted (no loopback, private, link-local such as cloud metadata,
multicast or reserved addresses unless allowed), then the connection is made to the
vetted address itself, so a second DNS answer cannot redirect it (DNS rebinding).
Redirects are vetted the same way. Bodies are capped (a larger body is rejected,
never truncated) and decompressed with the same cap.

Politeness: a User-Agent naming newsbeam and a contact, robots.txt honoured by
default, a bound on requests in flight per host, and retries on 429 and 5xx that
wait as long as ``Retry-After`` asks (up to a limit).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import email.utils
import http.client
import ipaddress
import random
import socket
import ssl
import threading
import time
import urllib.robotparser
from typing import Iterable, Iterator, Optional
from urllib.parse import urljoin, urlsplit

from .compression import inflate
from .decoding import decode
from .records import RawItem, Rejected

VERSION = "0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPT = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/rdf+xml,application/xml;"
            "q=0.9,text/xml;q=0.9,*/*;q=0.5",
}
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclasses.dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0
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
    url: str  # after redirects
    status: int
    content_type: str  # media type, lower case, without parameters
    charset: Optional[str]  # from the Content-Type header
    body: bytes  # decompressed
    etag: Optional[str] = None  # validators for a conditional GET next time
    last_modified: Optional[str] = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetches URLs one at a time (``get``) or many at once (``get_many``); thread-safe."""

    def __init__(self, settings: FetchSettings = FetchSettings()):
        self.settings = settings
        self._lock = threading.Lock()
        self._host_slots: dict[str, threading.Semaphore] = {}
        self._robots: dict[str, Optional[urllib.robotparser.RobotFileParser]] = {}
        self._robots_failure: dict[str, str] = {}

    def get(self, url: str, accept: str = "html", etag: Optional[str] = None,
            last_modified: Optional[str] = None) -> Response:
        """The response for ``url``, following redirects; raises Rejected.

        With an ``etag`` or ``last_modified`` from an earlier response the request is
        conditional, and an unchanged resource gives a ``not_modified`` response.
        """
        conditions = tuple((name, value) for name, value in (("If-None-Match", etag),
                                                             ("If-Modified-Since", last_modified))
                           if value)
        seen = {url}
        for _ in range(self.settings.max_redirects + 1):
            response = self._get_following_retries(url, accept, conditions)
            if response.status not in _REDIRECT_STATUSES:
                if response.not_modified and conditions:
                    return response
                return self._accepted(response, accept)
            target = response.url
            if target in seen:
                raise Rejected("redirect_loop", f"{url} redirects back to {target}")
            seen.add(target)
            url = target
        raise Rejected("too_many_redirects",
                       f"more than {self.settings.max_redirects} redirects, last to {url}")

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
        if accept == "html" and response.content_type and \
                response.content_type not in HTML_TYPES:
            raise Rejected("not_html", f"{response.url} is {response.content_type}, not HTML")
        return response

    def _get_following_retries(self, url: str, accept: str, conditions=()) -> Response:
        for attempt in range(self.settings.retries + 1):
            last_try = attempt == self.settings.retries
            try:
                response, retry_after = self._request(url, accept, conditions)
            except Rejected as err:
                if err.reason != "connection_error" or last_try:
                    raise
                time.sleep(self._backoff(attempt, None))
                continue
            if response.status not in _RETRY_STATUSES or last_try:
                return response
            wait = self._backoff(attempt, retry_after)
            if wait > self.settings.max_retry_wait:
                return response  # asked to come back much later: give up now
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return retry_after
        return (2 ** attempt) * (0.5 + random.random())

    def _request(self, url: str, accept: str, conditions=()) -> tuple[Response, Optional[float]]:
        """One HTTP exchange: (response, seconds Retry-After asks to wait)."""
        parts = _split(url)
        address = self._vetted_address(parts)
        if self.settings.obey_robots:
            self._check_robots(url, parts)
        with self._host_slot(parts.netloc):
            return self._exchange(url, parts, address, accept, conditions)

    def _exchange(self, url, parts, address, accept,
                  conditions=()) -> tuple[Response, Optional[float]]:
        settings = self.settings
        deadline = time.monotonic() + settings.connect_timeout + settings.read_timeout
        connection = _connection(parts, address, settings.connect_timeout)
        try:
            connection.connect()
            connection.sock.settimeout(settings.read_timeout)
            connection.putrequest("GET", _path(parts), skip_accept_encoding=True)
            for name, value in (("User-Agent", settings.user_agent),
                                ("Accept", _ACCEPT.get(accept, "*/*")),
                                ("Accept-Encoding", "gzip, deflate"),
                                ("Connection", "close"), *conditions):
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            status = answer.status
            if status in _REDIRECT_STATUSES:
                location = answer.getheader("Location")
                if not location:
                    raise Rejected(f"http_{status}", f"redirect without a Location from {url}")
                return Response(urljoin(url, location.strip()), status, "", None, b""), None
            media_type, charset = _content_type(answer.getheader("Content-Type", ""))
            retry_after = _retry_after(answer.getheader("Retry-After"))
            validators = dict(etag=answer.getheader("ETag"),
                              last_modified=answer.getheader("Last-Modified"))
            if status != 200:
                return Response(url, status, media_type, charset, b"", **validators), retry_after
            declared = answer.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                raise Rejected("too_large", f"{url} declares {int(declared):,} bytes; the "
                               f"limit is {settings.max_bytes:,}")
            body = _read_capped(answer, connection.sock, settings.max_bytes, deadline, url)
            encoding = (answer.getheader("Content-Encoding") or "identity").strip().lower()
            if encoding in ("gzip", "x-gzip", "deflate"):
                body = inflate(body, "deflate" if encoding == "deflate" else "gzip",
                               settings.max_bytes)
            elif encoding not in ("identity", ""):
                raise Rejected("unsupported_encoding", f"{url} is {encoding}-encoded")
            return Response(url, status, media_type, charset, body, **validators), retry_after
        except socket.timeout:
            raise Rejected("timeout", f"no complete answer from {parts.netloc} within "
                           f"{settings.connect_timeout:g} s to connect and "
                           f"{settings.read_timeout:g} s to respond") from None
        except ConnectionRefusedError:
            raise Rejected("connection_refused", f"{parts.netloc} refused the connection") \
                from None
        except ssl.SSLError as err:
            raise Rejected("tls_error", f"{parts.netloc}: {err}") from None
        except (OSError, http.client.HTTPException) as err:
            raise Rejected("connection_error", f"{parts.netloc}: {type(err).__name__}: {err}") \
                from None
        finally:
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
            known = origin in self._robots
        if not known:
            rules, failure = self._load_robots(origin, parts)
            with self._lock:
                self._robots[origin], self._robots_failure[origin] = rules, failure
        rules = self._robots[origin]
        if rules is None:
            raise Rejected("robots_disallowed", f"{origin}/robots.txt could not be read "
                           f"({self._robots_failure[origin]}): taken as disallowing all")
        if not rules.can_fetch("newsbeam", url):
            raise Rejected("robots_disallowed", f"{origin}/robots.txt disallows {url}")

    def _load_robots(self, origin: str, parts):
        """Rules for an origin; (None, why) when robots.txt is unreachable, which
        RFC 9309 says to read as 'disallow all'. A missing robots.txt allows all."""
        rules = urllib.robotparser.RobotFileParser()
        robots_parts = urlsplit(f"{origin}/robots.txt")
        try:
            response, _ = self._exchange(f"{origin}/robots.txt", robots_parts,
                                         self._vetted_address(robots_parts), "any")
        except Rejected as err:
            return None, err.reason
        if response.status >= 500:
            return None, f"HTTP {response.status}"
        if response.status != 200:  # 3xx are not followed here; 4xx: no rules
            rules.parse([])
            return rules, ""
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules, ""


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


def _split(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as err:
        raise Rejected("bad_url", f"{url}: {err}") from None
    if parts.scheme not in ("http", "https"):
        raise Rejected("unsupported_scheme", f"{url}: only http and https are fetched")
    if not parts.hostname:
        raise Rejected("bad_url", f"{url}: no host")
    return parts


def _path(parts) -> str:
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


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


def _read_capped(answer, sock, max_bytes: int, deadline: float, url: str) -> bytes:
    """The body, refusing more than max_bytes and a trickle past the deadline."""
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout()
        sock.settimeout(remaining)
        chunk = answer.read1(_CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise Rejected("too_large", f"{url} sends more than {max_bytes:,} bytes")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a vetted address; the URL's host stays in the Host header."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """The same over TLS, with the URL's host for SNI and certificate checks."""

    default_port = 443

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, address, timeout)
        self.tls = ssl.create_default_context()

    def connect(self) -> None:
        super().connect()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def _connection(parts, address: str, timeout: float) -> _PinnedHTTPConnection:
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    return kind(parts.hostname, port, address, timeout)
