"""Line filling for the text edition.

The text stylesheet decides the structure: blocks separated by a blank line, and inside a
block one segment per line that must stand on its own, separated by U+2028 (LINE
SEPARATOR). This module fills each segment to the width (greedy, never breaking a word),
continuing a segment that opens with a list or note marker ("- ", "3. ", "[12] ") under its
first word. String handling of this kind is many times cheaper here than in XPath.
"""

from __future__ import annotations

BREAK = "\u2028"


def _hanging_indent(segment: str) -> str:
    first, _, rest = segment.partition(" ")
    if not rest:
        return ""
    if first == "-" or (first.endswith(".") and first[:-1].isdigit()) or (
            first.startswith("[") and first.endswith("]") and first[1:-1].isdigit()):
        return " " * (len(first) + 1)
    return ""


def fill_segment(segment: str, width: int) -> str:
    """One segment filled to ``width`` columns; a longer word stands on its own line."""
    if len(segment) <= width:
        return segment
    indent = _hanging_indent(segment)
    lines: list[str] = []
    line = ""
    for word in segment.split(" "):
        if not word:
            continue
        if not line:
            line = (indent if lines else "") + word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = indent + word
    if line:
        lines.append(line)
    return "\n".join(lines)


def fill_text(text: str, width: int) -> str:
    """The stylesheet's raw text with every segment filled and hard breaks made newlines."""
    blocks = []
    for block in text.split("\n\n"):
        segments = [s.strip() for s in block.replace("\n", BREAK).split(BREAK)]
        filled = "\n".join(fill_segment(s, width) for s in segments if s)
        if filled:
            blocks.append(filled)
    return "\n\n".join(blocks) + "\n" if blocks else ""
