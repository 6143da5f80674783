"""Word-order checks shared by the converter and text-edition tests.

The input's words outside brackets must all appear in the TEI body, in the same order (the
TEI may hold more: supplied words, notes). Words glued by lost formatting count as they were
printed. Note texts that the converter moved from the end of the document to their anchors
are compared where the source had them: after the body, in order.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.tei import TEI_NS

WORD = re.compile(r"\w+")
NOTES_HEADING = re.compile(r"^\s*(?:notes|endnotes|footnotes)\s*:?\s*$", re.IGNORECASE)
SKIP = {f"{{{TEI_NS}}}{name}" for name in ("reg", "corr", "supplied", "desc")}
FOOT = f"{{{TEI_NS}}}note"


def source_words(blocks_text: list[str]) -> list[str]:
    # a bracket may run over a paragraph boundary of the layout: strip brackets over the
    # whole body, as the converter joins such paragraphs
    text = "\n".join(t for t in blocks_text if not NOTES_HEADING.match(t))
    text = re.sub(r"\[[^\[\]]{0,600}\]", " ", text)
    text = re.sub(r"(?<=\w)//(?=\w)|(?<=\w) //(?=\w)|(?<=\w)// (?=\w)", "", text)
    return [w.lower() for w in WORD.findall(text)]


def tei_words(body: etree._Element) -> list[str]:
    main: list[str] = []
    notes: list[str] = []

    def walk(element: etree._Element, out: list[str]) -> None:
        if element.tag in SKIP:
            pass
        elif element.tag == FOOT and element.get("place") == "foot":
            collected: list[str] = [element.get("n", "")]
            if element.text:
                collected.append(element.text)
            for child in element:
                walk(child, collected)
            notes.append(" ".join(collected))
        elif element.tag == f"{{{TEI_NS}}}subst" and element.get("resp") == "#converter":
            out.append("".join(element.itertext()))
        elif element.tag == f"{{{TEI_NS}}}pb" and element.get("break") == "no":
            out.append("\x00")  # a word continues across the break
        else:
            if element.text:
                out.append(element.text)
            for child in element:
                walk(child, out)
        if element.tail:
            out.append(element.tail)

    walk(body, main)
    text = "".join(" " + piece if piece != "\x00" else "" for piece in main)
    return [w.lower() for w in WORD.findall(text + " " + " ".join(notes))]


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """Words of ``expected`` that cannot be matched, in order, inside ``actual``."""
    missing = []
    pos = 0
    for word in expected:
        found = -1
        for k in range(pos, min(len(actual), pos + 400)):
            if actual[k] == word:
                found = k
                break
        if found < 0:
            missing.append(word)
        else:
            pos = found + 1
    return missing
