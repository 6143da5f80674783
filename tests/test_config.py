"""edition.toml: the schema, and errors located at the offending key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import EditionConfig, KeyLocator, find_config, load_config, parse_config
from pipeline.errors import ConfigError

FULL = """\
# an edition
[edition]
title = "Sino-Soviet Relations, 1945-1950"
publisher = "Example University"

[build]
outputs = ["html", "tei"]

[aliases]
"Comrade Mao" = "mao"

[persons.mao]
name = "Mao Zedong"
wikidata = "Q5816"
aliases = ["MAO", "Mao Tse-tung"]

[persons.stalin]
name = "Joseph Stalin"
viaf = "101787139"

[hands]
hand-1 = "Stalin, blue pencil"
"""


def test_full_file_is_read() -> None:
    config = parse_config(FULL)
    assert config.title == "Sino-Soviet Relations, 1945-1950"
    assert config.publisher == "Example University"
    assert config.outputs == ("html", "tei")
    assert config.aliases == {"Comrade Mao": "mao", "MAO": "mao", "Mao Tse-tung": "mao"}
    assert config.persons == {"mao": {"name": "Mao Zedong", "wikidata": "Q5816"},
                              "stalin": {"name": "Joseph Stalin", "viaf": "101787139"}}
    assert config.hands == {"hand-1": "Stalin, blue pencil"}


def test_empty_file_gives_defaults() -> None:
    assert parse_config("") == EditionConfig(path="edition.toml")
    assert load_config(None) == EditionConfig()


def _error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "corpus/edition.toml")
    return info.value


@pytest.mark.parametrize(("text", "line", "col", "words"), [
    ("[edition]\ntitle = 'T'\ntitel = 'x'\n", 3, 1, "unknown key titel in edition"),
    ("\n\n[edtion]\ntitle = 'T'\n", 3, 2, "unknown key edtion in the top level"),
    ("[persons.mao]\nname = 'M'\n  nmae = 'x'\n", 3, 3, "unknown key nmae in persons.mao"),
    ("[persons]\nmao = { name = 'M', wikidat = 'Q1' }\n", 2, 21, "unknown key wikidat"),
    ("persons.mao.born = '1893'\n", 1, 13, "unknown key born"),
    ("[build]\noutputs = ['html', 'pdf']\n", 2, 1, "unknown output 'pdf'"),
    ("[edition]\ntitle = 3\n", 2, 1, "must be a string, not an integer"),
    ("edition = 'x'\n", 1, 1, "edition must be a table"),
    ("[persons.mao]\nwikidata = '5816'\n", 2, 1, "does not look right"),
    ("[aliases]\n'Mao' = 'not an id!'\n", 2, 1, "does not look right"),
    ("[hands]\n'hand 1' = 'x'\n", 2, 1, "not usable as an xml:id"),
    ("[edition]\ntitle = 'a'\ntitle = 'b'\n", 3, None, "not valid TOML"),
])
def test_errors_are_located(text: str, line: int, col: int | None, words: str) -> None:
    error = _error(text)
    assert words in error.message
    assert error.path == "corpus/edition.toml"
    assert error.line == line
    if col is not None:
        assert error.col == col
    assert error.to_diagnostic().format().startswith(f"corpus/edition.toml:{line}:")


def test_unknown_key_error_lists_the_known_ones() -> None:
    error = _error("[build]\njobs = 4\n")
    assert error.code == "config-unknown-key"
    assert "known keys: outputs" in error.message


def test_locator_handles_quoted_and_dotted_keys() -> None:
    locator = KeyLocator('x = { y = { z = 2 } }\n[persons."odd.id"]\n  a.b = 1\n')
    assert locator.locate(("persons", "odd.id")) == (2, 10)
    assert locator.locate(("persons", "odd.id", "a", "b")) == (3, 5)
    assert locator.locate(("x", "y", "z")) == (1, 13)
    assert locator.locate(("nowhere",)) == (None, None)


def test_multiline_strings_are_skipped(tmp_path: Path) -> None:
    text = '[edition]\ntitle = """A\nbogus = 1\n"""\npublisher = "P"\nbogus = 2\n'
    error = _error(text)
    assert error.line == 6


def test_find_and_load(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None
    (tmp_path / "edition.toml").write_text("[edition]\ntitle = 'T'\n", encoding="utf-8")
    found = find_config(tmp_path)
    assert found == tmp_path / "edition.toml"
    assert find_config(tmp_path / "doc.txt") == found
    assert load_config(found).title == "T"
    (tmp_path / "edition.toml").write_bytes(b"title = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(found)


def test_fingerprints_follow_what_they_cover() -> None:
    base = parse_config(FULL)
    renamed = parse_config(FULL.replace('title = "Sino', 'title = "Russo'))
    more_aliases = parse_config(FULL.replace('"Comrade Mao" = "mao"',
                                             '"Comrade Mao" = "mao"\n"M." = "mao"'))
    assert base.conversion_fingerprint() == renamed.conversion_fingerprint()
    assert base.edition_fingerprint() != renamed.edition_fingerprint()
    assert more_aliases.conversion_fingerprint() != base.conversion_fingerprint()
    assert more_aliases.edition_fingerprint() == base.edition_fingerprint()
