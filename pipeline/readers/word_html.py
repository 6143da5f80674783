"""``word-html``: an HTML transcript exported from a word processor (CSS class soup, CRLF and
tab indentation, character entities).

Parsed with lxml's HTML parser with network access off, comments and processing
instructions dropped; only HTML's own character entities exist in HTML, so nothing is
fetched or expanded beyond them. Every block-level element (``p``, ``h1``-``h6``, ``li``,
``div``/``td`` holding text directly) with text becomes one paragraph, its white space
(CRLF, tabs, indentation) collapsed to single spaces; non-breaking spaces are kept.
A paragraph whose CSS class (from the document's ``<style>``) or ``style`` attribute aligns
it right or centre is flagged ``indented`` (signatures, headings). ``<title>`` fills
``Metadata.title``. The language is the text's (the ``lang`` attribute of Word exports is
often wrong).

Paragraphs that are other publishers' chrome (``Download "…"``, ``You are here``) are left
out and listed in a ``reader-chrome`` info diagnostic.

Accounting is by source line: lines inside ``<style>``/``<script>`` are ``chrome:css``,
lines with visible text are ``body`` (``header:title`` for the title), lines with markup only
are ``chrome:markup``, empty lines ``blank``.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from pipeline.diagnostics import Diagnostic, info, warning
from pipeline.errors import InputError
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.decoding import SourceText
from pipeline.readers.ledger import BLANK, BODY, LineLedger, chrome, header, is_blank
from pipeline.readers.reader import MAX_CONFIDENCE, Reader, make_document
from pipeline.source import Block, Metadata, SourceDocument

NAME = "word-html"
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "td", "th",
                        "blockquote", "pre", "dt", "dd", "caption"})
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_CSS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")
_ALIGNED = re.compile(r"text-align\s*:\s*(?:right|center)", re.I)
_TAG = re.compile(r"<[^>]*>")
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html|<\?xml[^>]*>\s*<html)", re.I)


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                recover=True, default_doctype=False, encoding="utf-8")


def _aligned_classes(root: etree._Element) -> set[str]:
    classes: set[str] = set()
    for style in root.iter("style"):
        for name, body in _CSS_RULE.findall(style.text or ""):
            if _ALIGNED.search(body):
                classes.add(name)
    return classes


def _has_block_child(element: etree._Element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS
               for child in element.iterdescendants())


def _account_lines(lines: list[str], ledger: LineLedger, title_line: int | None) -> None:
    in_style = False
    for number, line in enumerate(lines, start=1):
        lowered = line.lower()
        if number == title_line:
            ledger.mark_line(number, header("title"))
        elif is_blank(line):
            ledger.mark_line(number, BLANK)
        elif in_style or "<style" in lowered or "<script" in lowered:
            ledger.mark_line(number, chrome("css"))
        elif _TAG.sub("", line).strip():
            ledger.mark_line(number, BODY)
        else:
            ledger.mark_line(number, chrome("markup"))
        if "<style" in lowered or "<script" in lowered:
            in_style = True
        if "</style" in lowered or "</script" in lowered:
            in_style = False


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    data = "\n".join(lines).encode("utf-8")
    try:
        root = lxml_html.document_fromstring(data, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse the HTML: {exc}", path=text.path,
                         code="input-html") from None
    aligned = _aligned_classes(root)
    title_line = None
    title = root.find(".//title")
    if title is not None and (title.text or "").strip():
        meta.title = _SPACE.sub(" ", title.text).strip()
        title_line = title.sourceline
        if title_line:
            meta.lines["title"] = title_line
    blocks: list[Block] = []
    for element in root.iter(*BLOCK_TAGS):
        if _has_block_child(element):
            continue
        content = _SPACE.sub(" ", element.text_content()).strip()
        if not content:
            continue
        kind = chrome_kind(content, anywhere=True)
        if kind:
            notes.append(info("reader-chrome", f"page chrome ({kind}) left out of the body: "
                              f"{content[:60]!r}", text.path, element.sourceline))
            continue
        classes = set((element.get("class") or "").split())
        flagged = bool(classes & aligned) or bool(_ALIGNED.search(element.get("style") or ""))
        line = element.sourceline or 1
        blocks.append(Block(content, line, 1, line, indented=flagged))
    _account_lines(lines, ledger, title_line)
    if not blocks:
        notes.append(warning("reader-no-body", "the HTML holds no paragraph text", text.path))
    return make_document(text, NAME, meta, blocks, ledger, notes)


def _head_text(text: SourceText, limit: int = 8000) -> str:
    """The first ``limit`` characters of the first 40 lines (cut to the detection width),
    joined by line ends; only as many lines are joined as it takes."""
    pieces: list[str] = []
    size = -1                        # the length of the pieces joined
    for line in text.head(40):
        pieces.append(line)
        size += len(line) + 1
        if size >= limit:
            break
    return "\n".join(pieces)[:limit]


def detect(text: SourceText) -> float:
    head = _head_text(text)
    # no character outside ASCII lower-cases to any of "<body", so the bytes will do
    if not _HTML_START.match(head) and \
            b"<body" not in head.encode("ascii", "replace").lower():
        return 0.0
    score = 0.6
    lowered = head.lower()
    if "<p" in lowered or "<style" in lowered:
        score += 0.2
    if re.search(r"class=\"?(?:cs[0-9A-F]{8}|Mso\w+)", head) or "mso-" in lowered:
        score += 0.15
    return min(score, MAX_CONFIDENCE)


READER = Reader(NAME, "HTML transcript exported from a word processor (paragraphs from <p>, "
                "CSS class soup, entities)", detect, read)
