import random

import pytest

from newsbeam.core.sources.decoding import decode
from newsbeam.core.records import Rejected

PAGE_1252 = ('<html><head><meta charset="windows-1252"></head><body>'
             '<p>José Peñaloza said “enough” in Bogotá – again.</p></body></html>')


def test_declared_windows_1252_is_honoured():
    assert "José Peñaloza said “enough” in Bogotá – again." in decode(
        PAGE_1252.encode("cp1252"))


def test_latin1_label_is_read_as_windows_1252_like_browsers_do():
    page = PAGE_1252.replace("windows-1252", "iso-8859-1").encode("cp1252")
    assert "“enough”" in decode(page)


def test_undeclared_encodings_are_detected():
    text = "Les manifestants ont bloqué le port de Marseille mardi, a déclaré la préfecture."
    assert decode(text.encode("utf-8")) == text
    assert decode((text * 3).encode("cp1252")) == text * 3


def test_wrong_declaration_falls_back_to_what_the_bytes_are():
    page = PAGE_1252.replace("windows-1252", "utf-8").encode("cp1252")
    assert "Peñaloza" in decode(page)


def test_byte_order_marks_win():
    assert decode("\ufeffSão Paulo".encode("utf-8")) == "São Paulo"
    assert decode("São Paulo".encode("utf-16")) == "São Paulo"


def test_random_bytes_are_not_text():
    noise = random.Random(7).randbytes(4096)
    with pytest.raises(Rejected) as err:
        decode(noise)
    assert err.value.reason == "not_text"
    with pytest.raises(Rejected):  # even without a single NUL byte
        decode(bytes(b or 1 for b in noise))
