"""WARC and WARC.gz files written with warcio in tmp_path, read back by read_warc."""
import datetime as dt
import gzip
import io
import random

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbeam.core.sources import warc
from newsbeam.core.sources.readers import read_document, read_stream
from newsbeam.core.records import ITEM, REJECT, SKIPPED
from newsbeam.core.sources.warc import read_warc

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MAX_BYTES = 1 << 20
HTML_UTF8 = "text/html; charset=utf-8"

STRIKE_PAGE = """<!DOCTYPE html>
<html><head><title>Dockworkers walk out at Mombasa</title></head><body><article>
<h1>Dockworkers walk out at Mombasa</h1>
<p>MOMBASA - Some 3,000 dockworkers stopped work at the port of Mombasa on Monday,
leaving eleven container ships waiting at anchor off Kilindini harbour.</p>
<p>The Dock Workers Union said the strike would go on until the Kenya Ports Authority
restored the night-shift allowance it cut in October.</p>
<p>Transporters in Nairobi warned that fuel and fertiliser deliveries to Uganda and
Rwanda would slow within days.</p>
</article></body></html>"""
TALKS_PAGE = """<!DOCTYPE html>
<html><head><title>Port talks resume</title></head><body><article>
<h1>Talks resume as ships queue off Mombasa</h1>
<p>Union leaders met the Kenya Ports Authority in Mombasa on Wednesday, the third day of a
strike that has halted loading at twenty berths.</p>
<p>The Labour Ministry offered to mediate and asked both sides to report by Friday.</p>
</article></body></html>"""
# Curly quotes (0x93, 0x94) and accents: windows-1252 bytes that are not UTF-8.
CAFE_PAGE = """<html><head><title>Caf\u00e9 owners count the cost</title></head><body>
<p>\u201cNo ships, no customers,\u201d said Ren\u00e9e Odhiambo, who runs a caf\u00e9 near the
Mombasa ferry. Traders in the old town said sales had fallen by half since the strike began.</p>
<p>The na\u00efve hope of a quick deal faded when talks broke up on Tuesday.</p>
</body></html>"""


def response(url, body, status="200 OK", content_type=HTML_UTF8, http_headers=(),
             date="2026-11-20T07:42:01Z", record_id=None):
    """A response record maker: the WARC writer is only known when the file is written."""
    def make(writer):
        headers = ([("Content-Type", content_type)] if content_type else []) + list(http_headers)
        warc_headers = {"WARC-Date": date}
        if record_id:
            warc_headers["WARC-Record-ID"] = record_id
        return writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"))
    return make


def write_warc(path, *record_makers, compress=True, version=None):
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress, warc_version=version)
        for make in record_makers:
            writer.write_record(make(writer))
    return path


def read(path, max_record_bytes=MAX_BYTES):
    with open(path, "rb") as stream:
        return list(read_warc(str(path), stream, NOW, max_record_bytes))


def values(found):
    return [f.value for f in found]


def items(found):
    return [f.value for f in found if f.kind == ITEM]


def rejects(found):
    return [f.value for f in found if f.kind == REJECT]


def skip_reasons(found):
    return [f.value for f in found if f.kind == SKIPPED]


def offset_of(item):
    return int(item.input_ref.rpartition("@")[2])


@pytest.mark.parametrize("compress, version", [(True, "1.0"), (False, "1.1")])
def test_html_200_responses_become_page_items_with_their_warc_metadata(tmp_path, compress,
                                                                       version):
    path = write_warc(
        tmp_path / "news.warc", lambda w: w.create_warcinfo_record("news.warc", {}),
        response("https://coast.example/mombasa-strike", STRIKE_PAGE.encode(),
                 record_id="<urn:uuid:6f1c9a52-0d4e-4b8e-9f3a-2c5d7e8b1a01>"),
        response("https://coast.example/talks-resume", TALKS_PAGE.encode(),
                 date="2026-11-22T16:05:30.250000Z"),
        compress=compress, version=version)
    strike, talks = items(read(path))
    assert strike.kind == "page" and "eleven container ships" in strike.body
    assert strike.url == "https://coast.example/mombasa-strike"
    assert strike.external_id == "<urn:uuid:6f1c9a52-0d4e-4b8e-9f3a-2c5d7e8b1a01>"
    assert strike.captured_at == dt.datetime(2026, 11, 20, 7, 42, 1, tzinfo=UTC)
    assert talks.captured_at == dt.datetime(2026, 11, 22, 16, 5, 30, 250000, tzinfo=UTC)
    assert strike.ingested_at == NOW
    assert strike.input_ref.startswith(f"{path}@") and talks.input_ref.startswith(f"{path}@")
    assert 0 < offset_of(strike) < offset_of(talks)
    # Each offset is where its record starts: reading from there finds that record.
    with open(path, "rb") as stream:
        for item in (strike, talks):
            stream.seek(offset_of(item))
            found = next(iter(ArchiveIterator(stream)))
            assert found.rec_headers.get_header("WARC-Record-ID") == item.external_id


def test_windows_1252_page_declared_in_the_http_header_keeps_its_accents(tmp_path):
    path = write_warc(tmp_path / "cafe.warc.gz", response(
        "https://coast.example/cafe", CAFE_PAGE.encode("cp1252"),
        content_type="text/html; charset=windows-1252"))
    (item,) = items(read(path))
    assert "\u201cNo ships, no customers,\u201d said Ren\u00e9e Odhiambo" in item.body
    assert "na\u00efve" in item.body


def test_gzip_content_encoding_is_undone(tmp_path):
    path = write_warc(tmp_path / "gzipped.warc.gz", response(
        "https://coast.example/mombasa-strike", gzip.compress(STRIKE_PAGE.encode()),
        http_headers=[("Content-Encoding", "gzip")]))
    (item,) = items(read(path))
    assert item.body == STRIKE_PAGE


def test_chunked_transfer_encoding_is_undone(tmp_path):
    data = TALKS_PAGE.encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                       for part in (data[:100], data[100:])) + b"0\r\n\r\n"
    path = write_warc(tmp_path / "chunked.warc", response(
        "https://coast.example/talks", chunked, http_headers=[("Transfer-Encoding", "chunked")]),
        compress=False)
    (item,) = items(read(path))
    assert item.body == TALKS_PAGE


def test_angle_bracket_target_uris_are_cleaned_in_old_warc_versions(tmp_path):
    path = write_warc(tmp_path / "old.warc",
                      response("<http://coast.example/2008/strike.html>", STRIKE_PAGE.encode()),
                      response(" <http://coast.example/2008/talks.html>  ", TALKS_PAGE.encode()),
                      compress=False, version="0.17")
    assert [item.url for item in items(read(path))] == [
        "http://coast.example/2008/strike.html", "http://coast.example/2008/talks.html"]


def test_odd_http_headers_still_make_items_and_non_html_without_type_is_skipped(tmp_path):
    path = write_warc(
        tmp_path / "quirks.warc.gz",
        response("https://coast.example/a", STRIKE_PAGE.encode(), content_type=None,
                 http_headers=[("content-TYPE", "Text/HTML; Charset=UTF-8")]),
        response("https://coast.example/b", TALKS_PAGE.encode(), content_type=None),
        # the server announced more bytes than the crawler stored
        response("https://coast.example/c", CAFE_PAGE.encode(),
                 http_headers=[("Content-Length", "250000")]),
        response("https://coast.example/d.bin", b"%PDF-1.7\n" + bytes(range(256)),
                 content_type=None))
    out = read(path)
    assert [item.url for item in items(out)] == [
        "https://coast.example/a", "https://coast.example/b", "https://coast.example/c"]
    assert skip_reasons(out) == ["not_html"] and not rejects(out)


def test_records_that_are_not_pages_are_skipped_with_their_reason(tmp_path):
    url = "https://coast.example/mombasa-strike"
    path = write_warc(
        tmp_path / "mixed.warc.gz",
        lambda w: w.create_warcinfo_record("mixed.warc.gz", {"software": "test"}),
        lambda w: w.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=StatusAndHeaders(
                "GET /mombasa-strike HTTP/1.1", [("Host", "coast.example")],
                is_http_request=True)),
        response(url, STRIKE_PAGE.encode()),
        lambda w: w.create_warc_record(url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 85\r\n"),
                                       warc_content_type="application/warc-fields"),
        lambda w: w.create_revisit_record(
            url, "sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", url, "2026-11-20T07:42:01Z",
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", HTML_UTF8)],
                                          protocol="HTTP/1.1")),
        response("http://coast.example/strike", b"<html><body>Moved</body></html>",
                 status="301 Moved Permanently", http_headers=[("Location", url)]),
        response("https://coast.example/cranes.jpg", b"\xff\xd8\xff\xe0" + bytes(300),
                 content_type="image/jpeg"),
        lambda w: w.create_warc_record("urn:test:notes", "resource",
                                       payload=io.BytesIO(b"crawl notes"),
                                       warc_content_type="text/plain"))
    out = read(path)
    assert skip_reasons(out) == ["warcinfo", "request", "metadata", "revisit", "redirect",
                                 "not_html", "resource"]
    assert len(items(out)) == 1 and not rejects(out)


def test_html_404_response_is_an_http_404_reject(tmp_path):
    path = write_warc(tmp_path / "errors.warc.gz",
                      response("https://coast.example/gone", b"<html><body>Not found</body></html>",
                               status="404 Not Found"),
                      response("https://coast.example/talks", TALKS_PAGE.encode()))
    out = read(path)
    (missing,) = rejects(out)
    assert missing["reason"] == "http_404" and missing["stage"] == "read"
    assert missing["input_ref"] == f"{path}@0" and "404 Not Found" in missing["detail"]
    assert len(items(out)) == 1


def test_html_payload_over_the_limit_is_too_large_and_the_next_record_is_read(tmp_path):
    big_page = STRIKE_PAGE.replace("</article>", "<p>More.</p>" * 500 + "</article>")
    path = write_warc(tmp_path / "big.warc",
                      response("https://coast.example/big", big_page.encode()),
                      response("https://coast.example/talks", TALKS_PAGE.encode()),
                      compress=False)
    out = read(path, max_record_bytes=2000)
    (big,) = rejects(out)
    assert big["reason"] == "too_large" and big["input_ref"] == f"{path}@0"
    assert [item.url for item in items(out)] == ["https://coast.example/talks"]


def test_html_payload_that_is_not_text_is_rejected_with_the_decoding_reason(tmp_path):
    path = write_warc(tmp_path / "binary.warc.gz",
                      response("https://coast.example/odd", b"<html>\x00\x01\x02" * 50))
    (odd,) = values(read(path))
    assert odd["reason"] == "not_text"


def three_pages(path, compress=True):
    return write_warc(path, *(response(f"https://coast.example/{number}", page.encode())
                              for number, page in enumerate((STRIKE_PAGE, TALKS_PAGE,
                                                             CAFE_PAGE))),
                      compress=compress)


@pytest.mark.parametrize("where", ["gzip header", "middle", "gzip trailer"])
def test_warc_gz_cut_in_the_middle_yields_the_records_before_then_corrupt_file(tmp_path, where):
    whole = three_pages(tmp_path / "whole.warc.gz").read_bytes()
    third = offset_of(items(read(tmp_path / "whole.warc.gz"))[2])
    cut_at = {"gzip header": third + 5, "middle": (third + len(whole)) // 2,
              "gzip trailer": len(whole) - 4}[where]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[:cut_at])
    out = read(cut)
    assert [item.url for item in items(out)] == ["https://coast.example/0",
                                                 "https://coast.example/1"]
    assert out[-1].value["reason"] == "corrupt_file" and out[-1].value["input_ref"] == str(cut)
    assert "after 2 records" in out[-1].value["detail"]
    assert len(rejects(out)) == 1


@pytest.mark.parametrize("garbage, position", [
    (b"<<< not a record >>>\r\n", 0),  # a line where the next record should start
    (b"junk", -4),  # bytes the first record's Content-Length does not count
])
def test_garbage_between_records_ends_the_file_with_corrupt_file(tmp_path, garbage, position):
    whole = three_pages(tmp_path / "whole.warc", compress=False).read_bytes()
    second = offset_of(items(read(tmp_path / "whole.warc"))[1]) + position
    broken = tmp_path / "broken.warc"
    broken.write_bytes(whole[:second] + garbage + whole[second:])
    out = read(broken)
    assert len(items(out)) == 1
    assert [r["reason"] for r in rejects(out)] == ["corrupt_file"]
    assert "after 1 record:" in out[-1].value["detail"]


def test_random_bytes_are_one_corrupt_file_reject(tmp_path):
    path = tmp_path / "random.warc.gz"
    path.write_bytes(random.Random(7).randbytes(50_000))
    (reject,) = rejects(read(path))
    assert reject["reason"] == "corrupt_file" and reject["input_ref"] == str(path)
    assert "after 0 records" in reject["detail"]


def test_empty_stream_is_an_empty_file_reject():
    (reject,) = rejects(read_warc("/crawl/empty.warc.gz", io.BytesIO(b""), NOW, MAX_BYTES))
    assert reject["reason"] == "empty_file" and reject["input_ref"] == "/crawl/empty.warc.gz"


def test_a_storage_error_mid_file_gives_the_records_read_then_read_error(tmp_path):
    data = three_pages(tmp_path / "whole.warc.gz").read_bytes()
    third = offset_of(items(read(tmp_path / "whole.warc.gz"))[2])

    class Dropping(io.BytesIO):
        def read(self, size=-1):
            if self.tell() >= third:
                raise TimeoutError("the object store stopped answering")
            return super().read(min(size, third - self.tell()) if size >= 0 else
                                third - self.tell())

    out = list(read_stream("/crawl/whole.warc.gz", Dropping(data), NOW, "warc", MAX_BYTES))
    # warcio reads ahead: the second record may need bytes past the failure
    assert [item.url for item in items(out)][:1] == ["https://coast.example/0"]
    assert len(items(out)) < 3
    (failed,) = rejects(out)
    assert failed["reason"] == "read_error" and "TimeoutError: the object store" in \
        failed["detail"]


def test_a_bug_met_on_one_record_is_an_internal_error_and_the_next_is_read(tmp_path,
                                                                            monkeypatch):
    path = three_pages(tmp_path / "whole.warc.gz")
    real = warc.dates.parse_datetime

    def failing(value):
        if value == "2026-11-20T07:42:01Z" and failing.calls == 1:
            failing.calls += 1
            raise AttributeError("a bug of ours")
        failing.calls += value == "2026-11-20T07:42:01Z"
        return real(value)

    failing.calls = 0
    monkeypatch.setattr(warc.dates, "parse_datetime", failing)
    out = read(path)
    assert [item.url for item in items(out)] == ["https://coast.example/0",
                                                 "https://coast.example/2"]
    (bug,) = rejects(out)
    assert (bug["reason"], bug["detail"]) == ("internal_error", "AttributeError: a bug of ours")
    assert bug["input_ref"].startswith(f"{path}@")


def test_warc_bz2_and_warc_fetched_into_memory_are_read(tmp_path):
    import bz2
    plain = three_pages(tmp_path / "whole.warc", compress=False).read_bytes()
    for name, data in (("crawl.warc.bz2", bz2.compress(plain)), ("crawl.warc", plain)):
        out = list(read_document(f"https://crawl.example/{name}", data, NOW))
        assert [item.url for item in items(out)] == [f"https://coast.example/{n}"
                                                     for n in range(3)]
