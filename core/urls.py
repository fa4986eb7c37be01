"""URL canonicalisation: the same article URL written one way."""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a click rather than name a page.
_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|"
    r"_ga|_gl|ref|ref_src|ref_url|cmpid|cmp|ncid|ocid|smid|sr_share|at_medium|at_campaign|"
    r"share|shared|src|feature|itm_\w+|__twitter_impression|mkt_tok)$",
    re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: Optional[str]) -> Optional[str]:
    """Lower-case scheme and host, no default port, fragment or tracking parameters."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return url
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def is_web_url(url: Optional[str]) -> bool:
    return bool(url) and url.lower().startswith(("http://", "https://"))


def domain(url: Optional[str]) -> Optional[str]:
    """The host of a web URL without ``www.``."""
    if not is_web_url(url):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return (host[4:] if host.startswith("www.") else host) or None
