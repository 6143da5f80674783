"""Loading sources: encodings, line ends, and every file that is refused."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import load_text, read_source
from pipeline.readers.decoding import decode_bytes, split_lines
from tests.test_readers import READER_FIXTURES


def test_utf8_with_bom_is_plain_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Хрущев. Очень хорошо.\n".encode())
    text = load_text(path)
    assert text.encoding == "utf-8"
    assert text.lines == ["Хрущев. Очень хорошо."]
    assert text.diagnostics == []


def test_utf16_with_bom_is_read_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Mao Zedong: Just normal.\r\n".encode("utf-16"))
    text = load_text(path)
    assert text.encoding == "utf-16"
    assert text.lines == ["Mao Zedong: Just normal."]
    assert [d.code for d in text.diagnostics] == ["input-encoding"]


def test_cp1252_file_is_decoded_with_a_warning() -> None:
    doc = read_source(READER_FIXTURES / "cp1252-page.txt")
    assert doc.encoding == "cp1252"
    assert doc.blocks[0].text == ("Khrushchev. \u201cWe agree\u201d \u2013 and so does the "
                                  "café owner.")
    warnings = [d for d in doc.diagnostics if d.code == "input-encoding"]
    assert len(warnings) == 1 and warnings[0].severity.value == "warning"
    assert "Windows-1252" in warnings[0].message and warnings[0].line == 1


def test_latin1_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Vermerk über das Gespräch.\nDer Kanzler erklärte: «Gut».\n"
                     .encode("latin-1"))
    doc = read_source(path)
    assert doc.encoding == "latin-1"
    assert doc.blocks[0].text == "Vermerk über das Gespräch."
    assert doc.blocks[1].text == "Der Kanzler erklärte: «Gut»."
    assert any(d.code == "input-encoding" and "Latin-1" in d.message for d in doc.diagnostics)


def test_stray_byte_undefined_in_windows_1252_is_replaced_and_located() -> None:
    """The fixture is Latin-1 text with a stray 0x81: a byte 0x80-0x9F makes it
    Windows-1252 (the letters read the same), and the undefined byte is reported."""
    doc = read_source(READER_FIXTURES / "latin1-transcript.txt")
    assert doc.encoding == "cp1252"
    assert doc.blocks[0].text == "Vermerk über das Gespräch."
    assert doc.blocks[1].text == "Der Kanzler erklärte: «Gut»."
    assert doc.blocks[2].text == "\ufffd stray"
    located = [d for d in doc.diagnostics if d.code == "input-encoding" and "0x81" in d.message]
    assert len(located) == 1 and located[0].line == 3


def test_line_ends_are_normalised_and_form_feeds_kept() -> None:
    assert split_lines("a\r\nb\rc\n\fd\n") == ["a", "b", "c", "\fd"]
    assert split_lines("one line without end") == ["one line without end"]
    assert split_lines("x\u2028y\x85z") == ["x\u2028y\x85z"]


@pytest.mark.parametrize(("name", "code"), [
    ("empty.txt", "input-empty"),
    ("whitespace-only.txt", "input-empty"),
    ("binary.bin", "input-binary"),
])
def test_refused_fixture_files(name: str, code: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(READER_FIXTURES / name)
    assert caught.value.code == code
    assert caught.value.path and caught.value.path.endswith(name)
    assert str(caught.value).startswith(str(READER_FIXTURES / name))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(tmp_path / "nope.txt")
    assert caught.value.code == "input-missing"
    assert "no such file" in caught.value.message


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(tmp_path)
    assert caught.value.code == "input-directory"


def test_control_character_soup_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 65]) * 100)
    with pytest.raises(InputError) as caught:
        load_text(path)
    assert caught.value.code == "input-binary"


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_without_a_nul_are_binary(seed: int) -> None:
    noise = bytes(b for b in random.Random(seed).randbytes(600) if b)[:300]
    with pytest.raises(InputError) as caught:
        decode_bytes(noise, "noise.txt")
    assert caught.value.code == "input-binary"


def test_a_few_stray_control_characters_are_not_binary() -> None:
    text = ("Khrushchev. We are glad to see you.\x1a\n" * 40).encode("utf-8")
    decode_bytes(text, "x.txt")   # 2.6 % control characters: text, with warnings


def test_nul_byte_reports_its_line() -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(b"line one\nline two\x00\n", "x.txt")
    assert caught.value.line == 2


def test_sidecar_and_data_files_are_refused_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Body.\n", encoding="utf-8")
    sidecar = tmp_path / "doc.meta.json"
    sidecar.write_text('{"title": "T"}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_source(sidecar)
    assert caught.value.code == "input-sidecar" and "doc.txt" in caught.value.message
    data = tmp_path / "export.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_source(data)
    assert caught.value.code == "input-data-file"


def test_windows_1252_signs_are_decoded_even_beside_an_undefined_byte(tmp_path: Path) -> None:
    """Quotes, dashes and the euro sign stay what they are when the file also holds a byte
    Windows-1252 leaves undefined; that byte alone becomes U+FFFD, reported where it is."""
    path = tmp_path / "cp1252-undefined.txt"
    path.write_bytes(b"Smith. He said \x93yes\x94 \x96 5 \x80, \x85 caf\xe9.\n"
                     b"Jones. A stray \x81 byte.\n")
    text = load_text(path)
    assert text.encoding == "cp1252"
    assert text.lines == ["Smith. He said \u201cyes\u201d \u2013 5 \u20ac, \u2026 café.",
                          "Jones. A stray \ufffd byte."]
    assert not any("\x80" <= char <= "\x9f" for line in text.lines for char in line)
    messages = [(d.code, d.line, d.message) for d in text.diagnostics]
    assert messages[0][:2] == ("input-encoding", 1) and "Windows-1252" in messages[0][2]
    assert messages[1][:2] == ("input-encoding", 2)
    assert "0x81" in messages[1][2] and "U+FFFD" in messages[1][2]
    assert len(messages) == 2


@pytest.mark.parametrize("byte", range(0x80, 0xA0))
def test_no_byte_0x80_to_0x9f_becomes_a_control_character(byte: int) -> None:
    text, encoding, diagnostics = decode_bytes(b"caf\xe9 " + bytes([byte]) + b" ok\n", "x.txt")
    assert encoding == "cp1252"
    assert not any("\x80" <= char <= "\x9f" for char in text)
    assert "Windows-1252" in diagnostics[0].message


def test_latin1_without_windows_signs_stays_latin1() -> None:
    text, encoding, diagnostics = decode_bytes("Gespräch «Gut» ½ ©\n".encode("latin-1"), "x")
    assert (text, encoding) == ("Gespräch «Gut» ½ ©\n", "latin-1")
    assert [d.code for d in diagnostics] == ["input-encoding"]
    assert "Latin-1" in diagnostics[0].message
