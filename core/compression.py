"""Undoing .gz and .bz2 with a size cap, refusing truncated or corrupt streams.

(Beam's own decompressing reader returns a truncated gzip's first part, or nothing
for a corrupt one, without an error: rows would vanish silently.)
"""
from __future__ import annotations

import bz2
import zlib

import brotli

from .records import Rejected

_CHUNK = 1 << 20


_DECOMPRESSORS = {
    "gzip": lambda: zlib.decompressobj(zlib.MAX_WBITS | 16),
    "bzip2": bz2.BZ2Decompressor,
    # HTTP "deflate" is the zlib format; some servers send raw deflate instead
    "deflate": lambda: zlib.decompressobj(zlib.MAX_WBITS | 32),
    "raw-deflate": lambda: zlib.decompressobj(-zlib.MAX_WBITS),
}


def decompress(name: str, data: bytes, max_bytes: int) -> bytes:
    """The file's content as its name's compression suffix says; at most max_bytes."""
    lower = name.lower()
    if lower.endswith(".gz"):
        return inflate(data, "gzip", max_bytes)
    if lower.endswith(".bz2"):
        return inflate(data, "bzip2", max_bytes)
    return data


def inflate(data: bytes, encoding: str, max_bytes: int) -> bytes:
    """Undo ``gzip``, ``bzip2``, ``deflate`` or ``br`` (an HTTP Content-Encoding) with a
    size cap."""
    if encoding == "br":
        return _unbrotli(data, max_bytes)
    if encoding == "deflate":
        try:
            return _inflate(data, max_bytes, _DECOMPRESSORS["deflate"], encoding)
        except Rejected as err:
            if err.reason == "too_large":
                raise
            return _inflate(data, max_bytes, _DECOMPRESSORS["raw-deflate"], encoding)
    return _inflate(data, max_bytes, _DECOMPRESSORS[encoding], encoding)


def _inflate(data: bytes, max_bytes: int, new_decompressor, kind: str) -> bytes:
    out = bytearray()
    pending = data
    try:
        while pending:  # one pass per member: gzip and bzip2 files may be concatenated
            decompressor = new_decompressor()
            while not decompressor.eof:
                out += decompressor.decompress(pending, _CHUNK)
                if len(out) > max_bytes:
                    raise Rejected("too_large", f"more than {max_bytes:,} bytes once "
                                   f"decompressed ({kind})")
                # Input held back by the output cap (zlib), or output still buffered (bz2).
                pending = getattr(decompressor, "unconsumed_tail", b"")
                if not pending and getattr(decompressor, "needs_input", True):
                    break
            if not decompressor.eof:
                raise Rejected("corrupt_file", f"{kind} stream truncated after "
                               f"{len(out):,} bytes")
            pending = decompressor.unused_data.lstrip(b"\0")  # tar-style zero padding
    except (zlib.error, OSError, EOFError, ValueError) as err:
        raise Rejected("corrupt_file", f"{kind} stream is corrupt: {err}") from None
    return bytes(out)


def _unbrotli(data: bytes, max_bytes: int) -> bytes:
    """Brotli (RFC 7932), output capped as it is produced: a brotli bomb is too_large."""
    decompressor = brotli.Decompressor()
    out = bytearray()
    pending = data
    try:
        while True:
            out += decompressor.process(pending, output_buffer_limit=_CHUNK)
            pending = b""
            if len(out) > max_bytes:
                raise Rejected("too_large", f"more than {max_bytes:,} bytes once "
                               "decompressed (br)")
            if decompressor.is_finished():
                return bytes(out)
            if decompressor.can_accept_more_data():  # all input used, stream not ended
                raise Rejected("corrupt_file", f"br stream truncated after {len(out):,} bytes")
    except brotli.error as err:
        raise Rejected("corrupt_file", f"br stream is corrupt: {err}") from None
