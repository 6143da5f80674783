"""``edition.toml``: the optional settings file at the root of a corpus.

Example::

    [edition]
    title = "Sino-Soviet Relations, 1945-1950"
    publisher = "Department of History, Example University"

    [build]
    outputs = ["html", "text", "tei"]

    [aliases]                       # speaker label as printed -> person id
    "Comrade Mao" = "mao"

    [persons.mao]
    name = "Mao Zedong"
    wikidata = "Q5816"
    aliases = ["MAO", "Mao Tse-tung"]

    [hands]
    hand-1 = "Stalin, blue pencil"

Every key is checked: an unknown key or a value of the wrong type is a
:class:`~pipeline.errors.ConfigError` located at ``edition.toml:line:col`` of the key, so the
user can jump to it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

CONFIG_NAME = "edition.toml"
OUTPUTS = ("html", "text", "tei")

#: person fields and the check each value must pass (None: any string)
_PERSON_STRINGS: dict[str, re.Pattern[str] | None] = {
    "name": None,
    "wikidata": re.compile(r"Q[1-9][0-9]*"),
    "viaf": re.compile(r"[0-9]+"),
    "gnd": re.compile(r"[0-9X-]+"),
    "birth": re.compile(r"-?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
    "death": re.compile(r"-?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
    "note": None,
}
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class EditionConfig:
    """The settings of one edition. Every field has a default: the file is optional."""

    title: str | None = None
    publisher: str | None = None
    outputs: tuple[str, ...] | None = None
    #: speaker label as printed -> person id (from ``[aliases]`` and ``persons.*.aliases``)
    aliases: dict[str, str] = field(default_factory=dict)
    #: person id -> {"name": ..., "wikidata": ..., ...}
    persons: dict[str, dict[str, str]] = field(default_factory=dict)
    #: hand id -> description
    hands: dict[str, str] = field(default_factory=dict)
    path: str | None = None

    def conversion_fingerprint(self) -> str:
        """A hash of everything in the file that changes the TEI the converter writes."""
        payload = {"aliases": self.aliases, "persons": self.persons, "hands": self.hands,
                   "publisher": self.publisher}
        return _digest(payload)

    def edition_fingerprint(self) -> str:
        """A hash of everything that changes the edition-wide pages (title, publisher)."""
        return _digest({"title": self.title, "publisher": self.publisher})


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_config(source: Path) -> Path | None:
    """The ``edition.toml`` of a corpus folder (or of the folder holding one source file)."""
    folder = source if source.is_dir() else source.parent
    candidate = folder / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> EditionConfig:
    """Read and check ``edition.toml``; ``None`` gives the defaults."""
    if path is None:
        return EditionConfig()
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"the file is not UTF-8 ({exc.reason})", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", path=str(path)) from None
    return parse_config(text, str(path))


def parse_config(text: str, path: str = CONFIG_NAME) -> EditionConfig:
    """Parse the text of an ``edition.toml``; raise a located :class:`ConfigError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        line = col = None
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].rstrip()
        raise ConfigError(f"not valid TOML: {message}", path=path, line=line, col=col,
                          code="config-syntax") from None
    locator = KeyLocator(text)
    checker = _Checker(path, locator)
    return checker.check(data)


class _Checker:
    def __init__(self, path: str, locator: KeyLocator) -> None:
        self.path = path
        self.locator = locator

    def fail(self, keys: tuple[str, ...], message: str, code: str = "config-value") -> ConfigError:
        line, col = self.locator.locate(keys)
        return ConfigError(message, path=self.path, line=line, col=col, code=code)

    def unknown(self, keys: tuple[str, ...], allowed: list[str]) -> ConfigError:
        where = ".".join(_quote(k) for k in keys[:-1]) or "the top level"
        return self.fail(keys, f"unknown key {_quote(keys[-1])} in {where}; "
                               f"known keys: {', '.join(allowed)}", code="config-unknown-key")

    def table(self, value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(keys, f"{'.'.join(keys)} must be a table, "
                                  f"not {_type_name(value)}", code="config-type")
        return value

    def string(self, value: Any, keys: tuple[str, ...],
               pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str):
            raise self.fail(keys, f"{'.'.join(keys)} must be a string, "
                                  f"not {_type_name(value)}", code="config-type")
        if not value.strip():
            raise self.fail(keys, f"{'.'.join(keys)} must not be empty")
        if pattern is not None and not pattern.fullmatch(value):
            raise self.fail(keys, f"{'.'.join(keys)} = {value!r} does not look right "
                                  f"(expected something matching {pattern.pattern})")
        return value

    def string_list(self, value: Any, keys: tuple[str, ...]) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(keys, f"{'.'.join(keys)} must be a list of strings, "
                                  f"not {_type_name(value)}", code="config-type")
        return [self.string(item, keys) for item in value]

    def sections(self, data: dict[str, Any], keys: tuple[str, ...],
                 known: dict[str, Callable[[Any, tuple[str, ...]], None]]) -> None:
        for key, value in data.items():
            handler = known.get(key)
            if handler is None:
                raise self.unknown((*keys, key), sorted(known))
            handler(value, (*keys, key))

    def check(self, data: dict[str, Any]) -> EditionConfig:
        result: dict[str, Any] = {"aliases": {}, "persons": {}, "hands": {}}

        def edition(value: Any, keys: tuple[str, ...]) -> None:
            table = self.table(value, keys)
            fields = {"title": None, "publisher": None}
            for key, item in table.items():
                if key not in fields:
                    raise self.unknown((*keys, key), sorted(fields))
                result[key] = self.string(item, (*keys, key))

        def build(value: Any, keys: tuple[str, ...]) -> None:
            table = self.table(value, keys)
            for key, item in table.items():
                if key != "outputs":
                    raise self.unknown((*keys, key), ["outputs"])
                outputs = self.string_list(item, (*keys, key))
                for name in outputs:
                    if name not in OUTPUTS:
                        raise self.fail((*keys, key), f"unknown output {name!r}; "
                                                      f"choose among {', '.join(OUTPUTS)}")
                if not outputs:
                    raise self.fail((*keys, key), "build.outputs must name at least one output")
                result["outputs"] = tuple(dict.fromkeys(outputs))

        def aliases(value: Any, keys: tuple[str, ...]) -> None:
            table = self.table(value, keys)
            for label, person in table.items():
                result["aliases"][label] = self.string(person, (*keys, label), _ID)

        def persons(value: Any, keys: tuple[str, ...]) -> None:
            table = self.table(value, keys)
            for person_id, record in table.items():
                here = (*keys, person_id)
                if not _ID.fullmatch(person_id):
                    raise self.fail(here, f"person id {person_id!r} is not usable as an "
                                          "xml:id (letters, digits, '-', '_', '.')")
                record = self.table(record, here)
                person: dict[str, str] = {}
                for key, item in record.items():
                    if key == "aliases":
                        for label in self.string_list(item, (*here, key)):
                            result["aliases"][label] = person_id
                    elif key in _PERSON_STRINGS:
                        person[key] = self.string(item, (*here, key), _PERSON_STRINGS[key])
                    else:
                        raise self.unknown((*here, key), sorted([*_PERSON_STRINGS, "aliases"]))
                result["persons"][person_id] = person

        def hands(value: Any, keys: tuple[str, ...]) -> None:
            table = self.table(value, keys)
            for hand_id, description in table.items():
                if not _ID.fullmatch(hand_id):
                    raise self.fail((*keys, hand_id),
                                    f"hand id {hand_id!r} is not usable as an xml:id")
                result["hands"][hand_id] = self.string(description, (*keys, hand_id))

        self.sections(data, (), {"edition": edition, "build": build, "aliases": aliases,
                                 "persons": persons, "hands": hands})
        return EditionConfig(
            title=result.get("title"),
            publisher=result.get("publisher"),
            outputs=result.get("outputs"),
            aliases=result["aliases"],
            persons=result["persons"],
            hands=result["hands"],
            path=self.path,
        )


def _type_name(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean",
            int: "an integer", float: "a number"}.get(type(value), type(value).__name__)


def _quote(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


# --- locating keys in the text -------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")


class KeyLocator:
    """Find the line and column where a dotted key is defined in TOML text.

    tomllib gives values without positions, so the text is scanned once: table headers
    (``[a.b]``, ``[[a]]``) set a prefix, ``key = value`` lines and the keys of inline tables
    (``k = { a = 1 }``) define full key paths.
    """

    def __init__(self, text: str) -> None:
        self.positions: dict[tuple[str, ...], tuple[int, int]] = {}
        self._scan(text)

    def locate(self, keys: tuple[str, ...]) -> tuple[int | None, int | None]:
        for end in range(len(keys), 0, -1):
            found = self.positions.get(tuple(keys[:end]))
            if found is not None:
                return found
        return None, None

    def _remember(self, keys: tuple[str, ...], line: int, col: int) -> None:
        self.positions.setdefault(keys, (line, col))

    def _scan(self, text: str) -> None:
        prefix: tuple[str, ...] = ()
        lines = text.splitlines()
        index = 0
        while index < len(lines):
            raw = lines[index]
            number = index + 1
            index += 1
            stripped = raw.lstrip()
            offset = len(raw) - len(stripped)
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("["):
                double = stripped.startswith("[[")
                start = offset + (2 if double else 1)
                keys, _ = _parse_key(raw, start)
                if keys:
                    prefix = tuple(k for k, _ in keys)
                    for depth, (_, col) in enumerate(keys, start=1):
                        self._remember(prefix[:depth], number, col + 1)
                continue
            keys, pos = _parse_key(raw, offset)
            if not keys:
                continue
            full = prefix + tuple(k for k, _ in keys)
            for depth, (_, col) in enumerate(keys, start=1):
                self._remember(prefix + tuple(k for k, _ in keys[:depth]), number, col + 1)
            rest = raw[pos:].lstrip()
            if rest.startswith("="):
                value_start = len(raw) - len(rest) + 1
                self._scan_inline(raw, value_start, full, number)
                # skip the lines of a multi-line string or array value
                for quote in ('"""', "'''"):
                    if raw.count(quote) == 1:
                        while index < len(lines) and quote not in lines[index]:
                            index += 1
                        index += 1
                        break

    def _scan_inline(self, raw: str, start: int, owner: tuple[str, ...], number: int) -> None:
        """Record the keys of inline tables ``{ a = 1, b = { c = 2 } }`` on one line."""
        stack: list[tuple[str, ...]] = []
        pos = start
        expect_key = False
        while pos < len(raw):
            char = raw[pos]
            if char in "\"'":
                pos = _skip_string(raw, pos)
                continue
            if char == "#":
                return
            if char == "{":
                stack.append(owner if not stack else stack[-1] + (self._last,))
                expect_key = True
                pos += 1
                continue
            if char == "}":
                if stack:
                    stack.pop()
                pos += 1
                continue
            if char == ",":
                expect_key = bool(stack)
                pos += 1
                continue
            if expect_key and not char.isspace():
                keys, end = _parse_key(raw, pos)
                if keys:
                    base = stack[-1]
                    for depth, (_, col) in enumerate(keys, start=1):
                        self._remember(base + tuple(k for k, _ in keys[:depth]), number, col + 1)
                    self._last = keys[-1][0]
                    pos = end
                    expect_key = False
                    continue
            pos += 1

    _last: str = ""


def _skip_string(raw: str, pos: int) -> int:
    quote = raw[pos]
    pos += 1
    while pos < len(raw):
        if raw[pos] == "\\" and quote == '"':
            pos += 2
            continue
        if raw[pos] == quote:
            return pos + 1
        pos += 1
    return pos


def _parse_key(raw: str, pos: int) -> tuple[list[tuple[str, int]], int]:
    """Parse a (dotted) key at ``pos``: [(part, column index)], position after the key."""
    parts: list[tuple[str, int]] = []
    while True:
        while pos < len(raw) and raw[pos] in " \t":
            pos += 1
        if pos >= len(raw):
            return parts, pos
        char = raw[pos]
        if char in "\"'":
            end = _skip_string(raw, pos)
            literal = raw[pos:end]
            try:
                key = tomllib.loads(f"k = {literal}")["k"] if char == '"' else literal[1:-1]
            except tomllib.TOMLDecodeError:
                return parts, pos
            parts.append((key, pos))
            pos = end
        else:
            match = _BARE.match(raw, pos)
            if not match:
                return parts, pos
            parts.append((match.group(0), pos))
            pos = match.end()
        while pos < len(raw) and raw[pos] in " \t":
            pos += 1
        if pos < len(raw) and raw[pos] == ".":
            pos += 1
            continue
        return parts, pos
