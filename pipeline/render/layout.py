"""Line filling for the text edition.

The text stylesheet decides the structure: blocks separated by a blank line, and inside a
block one segment per line that must stand on its own, separated by U+2028 (LINE
SEPARATOR). This module fills each segment to the width (greedy, never breaking a word),
continuing a segment that opens with a list or note marker ("- ", "3. ", "[12] ") under its
first word. String handling of this kind is many times cheaper here than in XPath.

Segments whose only whitespace is single spaces between words (nearly all of them) are
filled by a scan for the last space that fits; any other segment goes through one regular
expression that defines the same greedy fill for every input.
"""

from __future__ import annotations

import functools
import re

BREAK = "\u2028"


def _hanging_indent(segment: str) -> str:
    space = segment.find(" ")
    if space < 0 or space == len(segment) - 1:
        return ""
    first = segment[:space]
    if first == "-" or (first.endswith(".") and first[:-1].isdigit()) or (
            first.startswith("[") and first.endswith("]") and first[1:-1].isdigit()):
        return " " * (len(first) + 1)
    return ""


@functools.lru_cache(maxsize=64)
def _line_pattern(width: int) -> re.Pattern[str]:
    """The longest run of at most ``width`` characters that ends at a space or the end, or
    else a whole word longer than that."""
    return re.compile(rf"(.{{1,{width}}})(?: +|$)|(\S+)(?: +|$)")


def _lines(text: str, width: int) -> list[str]:
    return [short or long for short, long in _line_pattern(max(width, 1)).findall(text)
            if short or long]


def _simple_lines(text: str, start: int, width: int, lines: list[str],
                  count: int = -1) -> int:
    """Greedy fill of ``text[start:]`` (words separated by single spaces) into ``lines``,
    at most ``count`` lines when it is not negative; returns where the rest begins. Each line
    is the longest run of at most ``width`` characters that ends before a space or at the
    end, or else a whole word longer than that: the lines ``_line_pattern`` finds."""
    end = len(text)
    while start < end and count != 0:
        count -= 1
        if end - start <= width:
            lines.append(text[start:])
            return end
        space = text.rfind(" ", start + 1, start + width + 1)
        if space < 0:
            space = text.find(" ", start)
            if space < 0:
                lines.append(text[start:])
                return end
        lines.append(text[start:space])
        start = space + 1
    return start


def fill_segment(segment: str, width: int) -> str:
    """One segment filled to ``width`` columns; a longer word stands on its own line."""
    segment = " ".join(segment.split()) if "  " in segment else segment
    if len(segment) <= width:
        return segment
    indent = _hanging_indent(segment)
    # printable: no whitespace but the space (every other whitespace character is a
    # control character or a separator); no doubled spaces are left at this point
    if segment.isprintable() and segment[0] != " " and segment[-1] != " ":
        return _fill_simple(segment, width, indent)
    return _fill_by_pattern(segment, width, indent)


def _fill_simple(segment: str, width: int, indent: str) -> str:
    lines: list[str] = []
    rest = _simple_lines(segment, 0, max(width, 1), lines, 1)
    if indent:
        following: list[str] = []
        _simple_lines(segment, rest, max(width - len(indent), 1), following)
        lines.extend(indent + line for line in following)
    else:
        _simple_lines(segment, rest, max(width, 1), lines)
    return "\n".join(lines)


def _fill_by_pattern(segment: str, width: int, indent: str) -> str:
    first = _lines(segment, width)[0]
    rest = segment[len(first):].lstrip(" ")
    if not rest:
        return first
    if not indent:
        return "\n".join([first, *_lines(rest, width)])
    return "\n".join([first, *(indent + line for line in _lines(rest, width - len(indent)))])


def fill_text(text: str, width: int) -> str:
    """The stylesheet's raw text with every segment filled and hard breaks made newlines."""
    blocks = []
    for block in text.split("\n\n"):
        if "\n" in block:
            block = block.replace("\n", BREAK)
        filled = "\n".join([fill_segment(s, width) for s in map(str.strip, block.split(BREAK))
                            if s])
        if filled:
            blocks.append(filled)
    return "\n\n".join(blocks) + "\n" if blocks else ""
