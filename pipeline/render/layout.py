"""Line filling for the text edition.

The text stylesheet decides the structure: blocks separated by a blank line, and inside a
block one segment per line that must stand on its own, separated by U+2028 (LINE
SEPARATOR). This module fills each segment to the width (greedy, never breaking a word),
continuing a segment that opens with a list or note marker ("- ", "3. ", "[12] ") under its
first word. String handling of this kind is many times cheaper here than in XPath.
"""

from __future__ import annotations

import functools
import re

BREAK = "\u2028"


def _hanging_indent(segment: str) -> str:
    first, _, rest = segment.partition(" ")
    if not rest:
        return ""
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


def fill_segment(segment: str, width: int) -> str:
    """One segment filled to ``width`` columns; a longer word stands on its own line."""
    segment = " ".join(segment.split()) if "  " in segment else segment
    if len(segment) <= width:
        return segment
    indent = _hanging_indent(segment)
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
        segments = [s.strip() for s in block.replace("\n", BREAK).split(BREAK)]
        filled = "\n".join(fill_segment(s, width) for s in segments if s)
        if filled:
            blocks.append(filled)
    return "\n\n".join(blocks) + "\n" if blocks else ""
