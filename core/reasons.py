"""What each reject reason means, and what to do about it, in words for people: the
run's summary and the report explain the reasons the rejects table holds."""
from __future__ import annotations

import re

_HTTP = re.compile(r"http_(\d{3})$")

MEANINGS = {
    "empty_file": "the input was empty or only whitespace",
    "not_text": "the input was not text (binary data)",
    "too_large": "a page, record or download over its size cap (--max-record-mb, "
                 "--max-download-mb), or markup too intricate to extract in seconds",
    "too_long": "a cleaned text over --max-text-chars, not sent to entity extraction",
    "too_short": "a text under --min-words words",
    "corrupt_file": "a truncated or corrupt compressed file or WARC; what came before the "
                    "break was read",
    "read_error": "the file could not be opened or read",
    "unsupported_type": "a document newsbeam does not read (PDF, office file, image): "
                        "give its text or HTML",
    "malformed_feed": "a feed whose XML could not be parsed",
    "empty_feed": "a feed without entries",
    "malformed_opml": "an OPML list whose XML could not be parsed",
    "empty_opml": "an OPML list naming no feed",
    "nested_opml": "an OPML list named inside another is not followed",
    "invalid_json": "a JSONL line that is not a JSON object",
    "missing_text": "a record without text or html",
    "empty_text": "no article text was found in the page",
    "not_html": "a page that is not HTML",
    "timeout": "the server did not answer within --connect-timeout / --read-timeout",
    "dns_error": "the host name does not resolve",
    "connection_refused": "the server refused the connection",
    "connection_error": "the connection failed or was dropped",
    "tls_error": "the TLS handshake or certificate check failed",
    "redirect_loop": "redirects that lead back to themselves",
    "too_many_redirects": "more than 5 redirects",
    "unsupported_scheme": "a link that is not http or https",
    "bad_url": "a URL that cannot be parsed",
    "unsupported_encoding": "a Content-Encoding newsbeam cannot undo",
    "incomplete_body": "the connection ended before the whole body arrived",
    "blocked_private_address": "a loopback, private or link-local address, refused "
                               "without --allow-private-networks",
    "robots_disallowed": "robots.txt disallows the page (--ignore-robots fetches it)",
    "internal_error": "an unexpected failure of newsbeam on this item; the detail column "
                      "has the exception (please report it)",
}


def meaning(reason: str) -> str:
    """What a reject reason means; any HTTP status is its own reason."""
    if reason in MEANINGS:
        return MEANINGS[reason]
    status = _HTTP.match(reason)
    if status:
        code = int(status.group(1))
        kind = "client error" if code < 500 else "server error, after retries"
        return f"the server answered HTTP {code} ({kind})"
    return "see the detail column"
