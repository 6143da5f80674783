"""Line filling for the text edition.

The text stylesheet decides the structure: blocks separated by a blank line, and inside a
block one segment per line that must stand on its own, separated by U+2028 (LINE
SEPARATOR). This module fills each segment to the width (greedy, never breaking a word),
continuing a segment that opens with a list or note marker ("- ", "3. ", "[12] ") under its
first word. String handling of this kind is many times cheaper here than in XPath.

A segment without doubled spaces or newlines is filled by a regular expression that takes
the longest run of words that fits (one ``findall``); its lines are those of the regular
expression that defines the greedy fill for every input (``_line_pattern``) unless a word
wider than the line holds whitespace other than spaces, and only then, which is rare, is
that expression used.
"""

from __future__ import annotations

import functools
import re

BREAK = "\u2028"


#: the first characters of the markers that take a hanging indent ("- ", "3. ", "[12] ")
_MARKER_STARTS = frozenset("-[0123456789")


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


def fill_segment(segment: str, width: int) -> str:
    """One segment filled to ``width`` columns; a longer word stands on its own line."""
    segment = " ".join(segment.split()) if "  " in segment else segment
    if len(segment) <= width:
        return segment
    if segment[0] != " " and segment[-1] != " " and "\n" not in segment:
        return _fill_long(segment, width)
    return _fill_by_pattern(segment, width, _hanging_indent(segment))


def _fill_long(segment: str, width: int) -> str:
    """A segment longer than ``width`` that has no doubled spaces, no newline and no space at
    either end, filled. The lines of the simpler fill (``_fill_simple``) are those of
    ``_line_pattern`` unless one of them is a word longer than the width (no line can
    differ while every line fits, as both take the longest run that ends before a space);
    such a word holds no whitespace but spaces when the segment is printable, and then the
    lines are the same too. Otherwise the segment is filled by the pattern."""
    # only a segment that opens with "-", a digit or "[" can have a hanging indent
    indent = _hanging_indent(segment) if segment[0] in _MARKER_STARTS else ""
    lines = _fill_simple(segment, width, indent)
    # a line longer than it may be is such a word (checking the printable characters of
    # every segment instead costs a tenth of the whole fill); an indented line may be
    # max(width - len(indent), 1) characters long after its indent
    longest = max(map(len, lines))
    if (longest > width and (not indent or len(lines[0]) > width
                             or longest > len(indent) + 1)) and not segment.isprintable():
        return _fill_by_pattern(segment, width, indent)
    return "\n".join(lines)


@functools.lru_cache(maxsize=64)
def _simple_line_pattern(width: int) -> re.Pattern[str]:
    """A line of a segment of words separated by single spaces: the longest run of at most
    ``width`` characters that starts at a word and ends before a space or at the end, or
    else a whole word longer than that (what ``_line_pattern`` finds in such a segment)."""
    return re.compile(rf"[^ ].{{0,{width - 1}}}(?= |\Z)|[^ ]+")


def _fill_simple(segment: str, width: int, indent: str) -> list[str]:
    """Greedy fill of a segment of words separated by single spaces: the first line at most
    ``width`` wide, the others ``width - len(indent)`` and indented. Each line is the longest
    run that fits and ends before a space or at the end, or else a whole word longer than
    that: the lines ``_line_pattern`` finds."""
    if not indent:
        return _simple_line_pattern(max(width, 1)).findall(segment)
    first = _simple_line_pattern(max(width, 1)).match(segment)
    assert first is not None  # the segment starts with a word
    rest = _simple_line_pattern(max(width - len(indent), 1)).findall(segment, first.end())
    return [first.group(), *(indent + line for line in rest)]


def _fill_by_pattern(segment: str, width: int, indent: str) -> str:
    first = _lines(segment, width)[0]
    rest = segment[len(first):].lstrip(" ")
    if not rest:
        return first
    if not indent:
        return "\n".join([first, *_lines(rest, width)])
    return "\n".join([first, *(indent + line for line in _lines(rest, width - len(indent)))])


def _filled_block(block: str, width: int) -> str:
    """One block of normalised text filled: its hard breaks (U+2028 or newlines) become
    line ends, and each segment is filled to ``width``."""
    if "\n" in block:
        block = block.replace("\n", BREAK)
    # a short segment without doubled spaces (most of them) is its own line
    return "\n".join([s if len(s) <= width and "  " not in s else fill_segment(s, width)
                      for s in map(str.strip, block.split(BREAK)) if s])


def _filled_spaced_block(block: str, width: int) -> str:
    """What :func:`_filled_block` gives for a block whose whitespace ``normalize_space``
    has normalised already: no newline, tab or carriage return, and no doubled spaces
    (even once its segments are stripped), so none of them needs looking for again."""
    if BREAK not in block:
        # one segment (most paragraphs)
        segment = block.strip()
        return segment if len(segment) <= width else _fill_long(segment, width)
    return "\n".join([s if len(s) <= width else _fill_long(s, width)
                      for s in map(str.strip, block.split(BREAK)) if s])


def fill_text(text: str, width: int) -> str:
    """Normalised text (blocks separated by blank lines) with every segment filled and hard
    breaks made newlines."""
    blocks = [filled for block in text.split("\n\n") if (filled := _filled_block(block, width))]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def normalize_space(text: str) -> str:
    """XPath's ``normalize-space()``: XML whitespace (space, tab, CR, LF) collapsed to single
    spaces and trimmed; other characters (U+00A0, U+2028 …) are kept. Tabs, newlines and
    carriage returns become spaces, then each pass over the text halves every run of
    spaces: string replacement, which costs a few nanoseconds a character where a regular
    expression for the runs costs a hundred."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def fill_stylesheet_output(output: str, width: int) -> str:
    """The text edition from text.xsl's output: an index of the blocks, then the blocks,
    each after a single space. The index gives each block's kind, ``n`` (normalised) or
    ``u`` (whitespace not yet normalised), and its length in characters, separated by
    commas and ended by a semicolon (``u12,n3;``). A ``u`` block gets the normalisation
    text.xsl gives the others, segment by segment (``ed:inline``); then every block is
    filled as :func:`fill_text` fills it."""
    if not output:
        return ""
    end_of_index = output.find(";")
    if end_of_index < 0:
        raise ValueError("text.xsl output: no index of blocks")
    blocks: list[str] = []
    append = blocks.append
    position = end_of_index + 2  # after the semicolon and the space
    for entry in output[:end_of_index].split(",") if end_of_index else ():
        kind = entry[0]
        start, position = position, position + int(entry[1:])
        block = output[start:position]
        position += 1
        if kind == "u":
            # normalize_space() of each segment, done once for the block (a run of XML
            # whitespace never spans a U+2028), then filled as a normalised block
            block = _filled_spaced_block(normalize_space(block), width)
            if block:
                append(block)
        elif kind == "n":
            blocks.extend(filled for part in block.split("\n\n")
                          if (filled := _filled_block(part, width)))
        else:
            raise ValueError(f"text.xsl output: unknown block kind {kind!r}")
    return "\n\n".join(blocks) + "\n" if blocks else ""
