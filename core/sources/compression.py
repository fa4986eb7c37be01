"""Stored files as streams, .gz and .bz2 undone as they are read, and HTTP content
encodings undone with a size cap; truncated or corrupt data is an error, never a quiet end.

(Beam's own decompressing reader returns a truncated gzip's first part, or nothing
for a corrupt one, without an error: rows would vanish silently.)
"""
from __future__ import annotations

import bz2
import gzip
import io
import zlib
from typing import BinaryIO

import brotli

from ..records import Rejected

CHUNK = 1 << 20


class SourceError(Exception):
    """The stored bytes could not be read (an I/O error, not a fault of the content).

    Not an OSError, so that no decompressor takes it for corrupt data."""


class CorruptStream(Rejected):
    """The decompressed stream is truncated or corrupt at the point reached."""

    def __init__(self, detail: str):
        super().__init__("corrupt_file", detail)


class SourceStream(io.RawIOBase):
    """A stored file's bytes as read from any handle with ``read(size)`` (a local file,
    a Beam filesystem handle, bytes in memory): counted, and the handle's own errors
    raised as SourceError."""

    def __init__(self, handle):
        super().__init__()
        self._handle = handle
        self.bytes_read = 0
        self.exhausted = False

    @classmethod
    def of(cls, stream) -> "SourceStream":
        return stream if isinstance(stream, cls) else cls(stream)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._handle.read(len(buffer))
        except (SourceError, Rejected):  # a stream of ours below (.warc.bz2): as it is
            raise
        except Exception as err:  # whatever the filesystem raises
            raise SourceError(f"{type(err).__name__}: {err}") from err
        size = len(data)
        buffer[:size] = data
        self.bytes_read += size
        self.exhausted = self.exhausted or (size == 0 and len(buffer) > 0)
        return size

    def tell(self) -> int:  # the position in the stream, whatever the handle supports
        return self.bytes_read


class _Decompressed(io.RawIOBase):
    """A gzip or bzip2 file object whose errors become CorruptStream."""

    def __init__(self, inner: BinaryIO, kind: str):
        super().__init__()
        self._inner = inner
        self._kind = kind
        self._bytes_out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            # One step of the decompressor at a time: what it gave before a break is
            # returned before the break is raised.
            data = self._inner.read1(len(buffer))
        except EOFError:
            raise CorruptStream(f"{self._kind} stream truncated after {self._bytes_out:,} "
                                "bytes") from None
        except (zlib.error, OSError) as err:
            raise CorruptStream(f"{self._kind} stream is corrupt after {self._bytes_out:,} "
                                f"bytes: {err}") from None
        size = len(data)
        buffer[:size] = data
        self._bytes_out += size
        return size


def open_decompressed(name: str, source: BinaryIO) -> io.BufferedReader:
    """The content of a stored file, decompressed as its name's suffix says (.gz, .bz2),
    as a buffered stream; reading past a break in the data raises CorruptStream.
    Concatenated members and trailing zero padding are read as gzip and bzip2 tools do."""
    lower = name.lower()
    if lower.endswith(".gz"):
        source = _Decompressed(gzip.GzipFile(fileobj=source, mode="rb"), "gzip")
    elif lower.endswith(".bz2"):
        source = _Decompressed(bz2.BZ2File(source), "bzip2")
    return io.BufferedReader(source, CHUNK)


def read_capped(stream: BinaryIO, max_bytes: int, what: str) -> bytes:
    """All of a stream, or Rejected(too_large) past max_bytes."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Rejected("too_large", f"more than {max_bytes:,} bytes {what}")
    return data


def inflate(data: bytes, encoding: str, max_bytes: int) -> bytes:
    """Undo ``gzip``, ``bzip2``, ``deflate`` or ``br`` (an HTTP Content-Encoding) with a
    size cap."""
    if encoding == "br":
        return _unbrotli(data, max_bytes)
    if encoding == "deflate":
        # HTTP "deflate" is the zlib format; some servers send raw deflate instead
        try:
            return _undeflate(data, max_bytes, zlib.MAX_WBITS | 32)
        except CorruptStream:
            return _undeflate(data, max_bytes, -zlib.MAX_WBITS)
    suffix = {"gzip": ".gz", "bzip2": ".bz2"}[encoding]
    return read_capped(open_decompressed(suffix, io.BytesIO(data)), max_bytes,
                       f"once decompressed ({encoding})")


def _undeflate(data: bytes, max_bytes: int, window_bits: int) -> bytes:
    decompressor = zlib.decompressobj(window_bits)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as err:
        raise CorruptStream(f"deflate stream is corrupt: {err}") from None
    if len(out) > max_bytes:
        raise Rejected("too_large", f"more than {max_bytes:,} bytes once decompressed "
                       "(deflate)")
    if not decompressor.eof:
        raise CorruptStream(f"deflate stream truncated after {len(out):,} bytes")
    return out


def _unbrotli(data: bytes, max_bytes: int) -> bytes:
    """Brotli (RFC 7932), output capped as it is produced: a brotli bomb is too_large."""
    decompressor = brotli.Decompressor()
    out = bytearray()
    pending = data
    try:
        while True:
            out += decompressor.process(pending, output_buffer_limit=CHUNK)
            pending = b""
            if len(out) > max_bytes:
                raise Rejected("too_large", f"more than {max_bytes:,} bytes once "
                               "decompressed (br)")
            if decompressor.is_finished():
                return bytes(out)
            if decompressor.can_accept_more_data():  # all input used, stream not ended
                raise CorruptStream(f"br stream truncated after {len(out):,} bytes")
    except brotli.error as err:
        raise CorruptStream(f"br stream is corrupt: {err}") from None
