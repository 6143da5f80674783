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


def test_latin1_file_is_decoded_with_a_warning() -> None:
    doc = read_source(READER_FIXTURES / "latin1-transcript.txt")
    assert doc.encoding == "latin-1"
    assert doc.blocks[0].text == "Vermerk über das Gespräch."
    assert doc.blocks[1].text == "Der Kanzler erklärte: «Gut»."
    assert any(d.code == "input-encoding" and "Latin-1" in d.message for d in doc.diagnostics)


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
