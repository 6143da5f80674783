"""``wcda-pdf-flat``: a WCDA PDF export flattened to one line (mirror sites' extracted text).

The header fields stand inline: ``Digital Archive digitalarchive.wilsoncenter.org
International History Declassified`` (chrome), date, title, ``Citation: “…” … URL``,
``Summary: …``, ``Credits: …``, ``Original Language: …``, ``Contents: English Translation``,
then the body. The fields are cut out into :class:`Metadata`; the rest of the line is the
body, one paragraph, split into several at page numbers the flattening glued into the text
(``… took place. 2 Top Secret MEMORANDUM …``): a number is taken for a page number only when
it stands between a sentence end and a capital, continues the page sequence 2, 3, 4…, and is
at least :data:`MIN_PAGE_CHARS` characters from the previous page start. Speakers are not
looked for. Further non-blank lines, if any, are paragraphs of their own.

Other publishers' chrome glued in before the header fields (``You are here``, ``Download
"…"``, ``Total Page:16 File Type:pdf``) is cut out and listed in a ``reader-chrome`` info
diagnostic. Accounting: a line that holds body text is ``body`` even when header fields were
cut out of it (their line is recorded in ``Metadata.lines``).
"""

from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic, info, warning
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.decoding import SourceText
from pipeline.readers.ledger import BODY, LineLedger, header
from pipeline.readers.paragraphs import blocks_from_lines
from pipeline.readers.pdf_header import CONTENTS_ITEM, PDF_LABELS, apply_pdf_field
from pipeline.readers.reader import MAX_CONFIDENCE, Reader, make_document
from pipeline.readers.wcda_fields import DATE_LINE
from pipeline.source import Block, BlockKind, Metadata, SourceDocument

NAME = "wcda-pdf-flat"
MIN_PAGE_CHARS = 1000
_HEADER_ZONE = 8000
_SITE_PREFIX = re.compile(r"\s*(?:Wilson Center\s+)?Digital Archive\s+(?:digitalarchive\."
                          r"wilsoncenter\.org\s+)?(?:International History Declassified\s+)?",
                          re.I)
_INLINE_LABEL = re.compile(r"(?:(?<=\s)|^)(Citation|Summary|Credits|Original Language|"
                           r"Contents|Original Archive|Record ID|Type|Language|Rights):\s")
#: other publishers' chrome glued into the flattened text before the header fields
_INLINE_CHROME = re.compile(r"You are here\s*:?(?:\s*(?:Home|[\w ]{1,30})\s*[>»/])*"
                            r"|Download\s*(?:\"[^\"]{0,400}\"|“[^”]{0,400}”)"
                            r"|Total\s*Pages?\s*:\s*\d+\s*(?:File\s*Type\s*:\s*\w+)?", re.I)
_GLUED_PAGE = re.compile(r"(?<=[.!?”\"\])]) (\d{1,3}) (?=[A-Z“\"\[(])")


def _split_header(line: str) -> tuple[list[tuple[str, str, int]], int]:
    """(label, value, offset) for the inline fields, and the offset where the body starts."""
    zone = line[:_HEADER_ZONE]
    found: list[tuple[str, int, int]] = []      # label, label start, value start
    seen: set[str] = set()
    for match in _INLINE_LABEL.finditer(zone):
        label = match.group(1).casefold()
        if label in seen:
            continue
        if found and label == "citation":
            continue
        seen.add(label)
        found.append((label, match.start(), match.end()))
        if label == "contents":
            break
    fields: list[tuple[str, str, int]] = []
    if not found:
        return fields, 0
    fields.append(("", line[:found[0][1]], 0))
    for index, (label, _start, value_start) in enumerate(found):
        end = found[index + 1][1] if index + 1 < len(found) else None
        if end is not None:
            fields.append((label, line[value_start:end], value_start))
            continue
        if label != "contents":
            # the last label before the body is not Contents: its value runs to the first
            # sentence end
            stop = re.search(r"[.!?](?=\s)", line[value_start:])
            end = value_start + (stop.end() if stop else 0)
            fields.append((label, line[value_start:end], value_start))
            return fields, end
        position = value_start
        items: list[str] = []
        while True:
            item = re.compile(rf"(?:{CONTENTS_ITEM.pattern})(?=\s|$)").match(line, position)
            if item is None:
                break
            items.append(item.group(0))
            position = item.end()
            while position < len(line) and line[position] == " ":
                position += 1
        fields.append(("contents", "\n".join(items), value_start))
        return fields, position
    return fields, len(line)


def _page_numbers(body: str) -> list[re.Match[str]]:
    """Glued page numbers in a flattened body, in a plausible 2, 3, 4… sequence."""
    accepted: list[re.Match[str]] = []
    expected = 2
    last = 0
    for match in _GLUED_PAGE.finditer(body):
        if int(match.group(1)) == expected and match.start() - last >= MIN_PAGE_CHARS:
            accepted.append(match)
            expected += 1
            last = match.start()
    return accepted


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    first = next((i for i, line in enumerate(lines, start=1) if line.strip()), 1)
    for number in range(1, first):
        ledger.mark_line(number, "blank")
    line = lines[first - 1]
    fields, body_start = _split_header(line)
    for label, value, _offset in fields:
        value = value.strip()
        if not label:
            for chrome_text in _read_lead(value, meta, first):
                notes.append(info("reader-chrome", f"page chrome cut out of the flattened "
                                  f"text: {chrome_text[:60]!r}", text.path, first))
            continue
        field = PDF_LABELS.get(label, f"extra:{label.replace(' ', '-')}")
        if field == "contents":
            for item in value.split("\n"):
                if item:
                    apply_pdf_field(meta, "contents", item, first)
        elif value:
            apply_pdf_field(meta, field, value, first)
    blocks: list[Block] = []
    body = line[body_start:]
    stripped = body.strip()
    if stripped:
        ledger.mark_line(first, BODY)
        offset = body_start + (len(body) - len(body.lstrip()))
        body = stripped
        cuts = _page_numbers(body)
        start = 0
        for cut in cuts:
            piece = body[start:cut.start()].rstrip()
            if piece:
                blocks.append(Block(piece, first, offset + start + 1, first))
            blocks.append(Block("", first, offset + cut.start(1) + 1, first,
                                BlockKind.PAGE_BREAK, cut.group(1)))
            start = cut.end()
        blocks.append(Block(body[start:], first, offset + start + 1, first))
        if cuts:
            notes.append(info("reader-glued-page-numbers",
                              f"{len(cuts)} page number(s) glued into the flattened text were "
                              f"taken as page breaks: {', '.join(c.group(1) for c in cuts)}",
                              text.path, first, offset + cuts[0].start(1) + 1))
    else:
        ledger.mark_line(first, header("citation" if meta.full_citation else "title"))
        notes.append(warning("reader-no-body", "no transcript text after the header fields",
                             text.path, first))
    if first < len(lines):
        blocks.extend(blocks_from_lines(lines, first + 1, len(lines), ledger, "lines"))
    return make_document(text, NAME, meta, blocks, ledger, notes)


def _read_lead(lead: str, meta: Metadata, line: int) -> list[str]:
    """Site name, date and title before the first label; returns the chrome cut out."""
    removed = [m.group(0).strip() for m in _INLINE_CHROME.finditer(lead)]
    lead = _INLINE_CHROME.sub(" ", lead).strip()
    prefix = _SITE_PREFIX.match(lead)
    rest = lead[prefix.end():] if prefix else lead
    date = re.match(rf"(?:{DATE_LINE.pattern})(?=\s|$)", rest, re.I)
    if date:
        meta.date = date.group(0)
        meta.lines["date"] = line
        rest = rest[date.end():].strip()
    if rest:
        meta.title = rest
        meta.lines["title"] = line
    return removed


def detect(text: SourceText) -> float:
    head = [line for line in text.head(20) if line.strip()]
    if not head or len(text.lines) > 50:
        return 0.0
    first = head[0]
    if len(first) < 300:
        return 0.0
    zone = first[:_HEADER_ZONE]
    score = 0.0
    if "Citation:" in zone:
        score += 0.45
    if "Summary:" in zone:
        score += 0.2
    if "Contents:" in zone or "Original Language:" in zone:
        score += 0.2
    if chrome_kind(first[:80].split("International")[0]) or "digitalarchive" in first[:200]:
        score += 0.1
    return min(score, MAX_CONFIDENCE)


READER = Reader(NAME, "WCDA PDF export flattened to one line, header fields inline "
                "(mirror sites' extracted text)", detect, read)
