"""Bytes to text: byte-order mark, declared charset, then detection."""
from __future__ import annotations

import codecs
import re
from typing import Optional

import charset_normalizer

from ..records import Rejected

_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers read these labels as windows-1252 (WHATWG Encoding): pages declaring
# latin-1 routinely contain curly quotes from the 0x80-0x9F range.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def _codec(label: bytes | str | None) -> Optional[str]:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def declared_charset(data: bytes, header_charset: str | None = None) -> Optional[str]:
    """The charset a document declares: transport header, XML declaration, meta tag."""
    head = data[:_SNIFF_BYTES]
    for found in (header_charset,
                  (_XML_ENCODING.search(head) or [None, None])[1] if head.lstrip()[:5] == b"<?xml"
                  else None,
                  (_META_CHARSET.search(head) or [None, None])[1]):
        codec = _codec(found)
        if codec:
            return codec
    return None


def looks_binary(data: bytes) -> bool:
    """True for content that is not text in any charset (images, archives, random bytes)."""
    head = data[:_SNIFF_BYTES * 4]
    if any(head.startswith(bom) for bom, name in _BOMS if name.startswith("utf-16")
           or name.startswith("utf-32")):
        return False
    return b"\x00" in head


def decode(data: bytes, header_charset: str | None = None) -> str:
    """Decode a document; raises Rejected(not_text) for binary content."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    if looks_binary(data):
        raise Rejected("not_text", "binary content (NUL bytes), not a text document")
    declared = declared_charset(data, header_charset)
    for codec in (declared, "utf-8"):
        if codec:
            try:
                return _check_text(data.decode(codec))
            except UnicodeDecodeError:
                continue
    return _check_text(data.decode(_detect(data), errors="replace"))


def _detect(data: bytes) -> str:
    """The likeliest charset; on a tie windows-1252, the web's commonest legacy one
    (short Spanish text scores the same as Central European cp1250)."""
    matches = list(charset_normalizer.from_bytes(data[:1 << 20]))
    if not matches:
        return "cp1252"
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3),
                                       _codec(m.encoding) != "cp1252"))
    return _codec(best.encoding) or "cp1252"


def _check_text(text: str) -> str:
    sample = text[:_SNIFF_BYTES * 4]
    if sample and len(_CONTROL.findall(sample)) > 0.02 * len(sample):
        raise Rejected("not_text", "content decodes to control characters, not text")
    return text
