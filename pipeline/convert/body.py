"""The body of a record: headings, turns, paragraphs, notes and the closing block.

:func:`build_body` takes a reader's blocks and returns ``div type="record"``. It works in
passes over the whole document: footnote texts at the end are collected first (they move to
their anchors), the in-body title becomes ``head``, the closing lines become ``closer``,
candidate speaker labels are weighed against the evidence of the whole document, and only
then are paragraphs encoded, inside a turn (``sp``) or outside one.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.convert.elements import child, tree_root
from pipeline.convert.inline import Inference, InlineContext, fill
from pipeline.convert.speakers import (
    Label,
    PersonIndex,
    SpeakerEvidence,
    core_name,
    find_label,
    find_midline_labels,
    participant_names,
    slug,
    title_names,
)
from pipeline.source import Block, BlockKind
from pipeline.tei import XML_ID

FOOTNOTE_TEXT = re.compile(r"^\s*\[(?P<n>\d{1,3}|\*{1,3})\]\s*(?P<text>\S.*)$", re.DOTALL)
ENDNOTE_TEXT = re.compile(r"^\s*(?P<n>\d{1,3})\.\s+(?P<text>\S.*)$", re.DOTALL)
ASTERISK_TEXT = re.compile(r"^\s*(?P<n>\*{1,3})\s*(?P<text>[^\s\[*].*)$", re.DOTALL)
INLINE_ANCHOR = re.compile(r"\[(\d{1,3})\]")
NOTES_HEADING = re.compile(r"^\s*(?:notes|endnotes|footnotes|примечания|anmerkungen)\s*:?\s*$",
                           re.IGNORECASE)
CLASSIFICATION = re.compile(
    r"^\s*(?:top secret|secret|strictly secret|confidential|strictly confidential|"
    r"not for publication|for official use only|personal|urgent|copy\s*(?:no\.?|nº|№)?\s*\d+|"
    r"секретно|совершенно секретно|geheim|vertraulich|streng vertraulich)\b[\s\w.,№Nº/-]{0,40}$",
    re.IGNORECASE)
CLOSING_LINE = re.compile(
    r"^\s*(?:(?:translated|recorded|typed|prepared|compiled|written|drafted|sent|copied|"
    r"printed|checked|interpreted|notes taken|record(?:ed)? by|translated by|"
    r"записал|перевел|перевёл)\b.{0,160}"
    r"|isk\.\s?.{1,40}|вх\.\s?.{1,40}|исх\.\s?.{1,40}|no\.\s*\d[\w/.-]*\s*$"
    r"|\[(?:[\w ]+ )?signature\].{0,80}|\((?:[\w .]+)\)\s*\.?"
    r"|with (?:bolshevik|communist|comradely|warm|best) greetings,?.{0,60})$",
    re.IGNORECASE | re.DOTALL)
REGISTRATION = re.compile(r"^\s*(?:isk\.|исх\.|вх\.|no\.|nº|№)\s?\S.*$", re.IGNORECASE)
NAME_ONLY = re.compile(r"^\s*(?:(?:[A-ZА-Я]\.\s?){1,3}\s?)?[A-ZА-Я][\w’'\-]+"
                       r"(?:\s+(?:[A-ZА-Я]\.\s?){0,3}[A-ZА-Я][\w’'\-]+){0,3}\.?\s*$")
SIGNATURE_INITIALS = re.compile(r"^\s*(?:[A-ZА-Я]\.\s?){1,3}\s?[A-ZА-Я][\w’'\-]+\.?\s*$")
DATE_ONLY = re.compile(r"^\s*\d{1,2}[./][\dIVXivx]{1,4}[./]\d{2,4}\.?\s*$|"
                       r"^\s*\d{1,2}\s+\w+\s+\d{4}\.?\s*$")
NARRATIVE = re.compile(
    r"^\s*(?:they\s|both sides\s|the two\s|the (?:conversation|talk|talks|meeting|discussion)"
    r"\s(?:then\s)?(?:turn|turned|switch|switched|move|moved|continue|continued)|"
    r"(?:after|then)\s(?:this|that)\s?,?\s(?:the|they))", re.IGNORECASE)
HEADING_WORDS = 18
_NORM_WORD = re.compile(r"[\w’']+")
UPPER_LETTER = re.compile(r"[^\W\d_a-zà-ÿа-яё]")
LOWER_LETTER = re.compile(r"[a-zà-ÿа-яёß]")


@dataclass
class Para:
    """A paragraph of body text with where it came from."""

    text: str
    line: int
    col: int
    block: Block | None = None
    page_break: bool = False
    n: str | None = None
    #: none of the document's glued tokens stands in the text (set once the tokens are known)
    glued_free: bool = False


@dataclass
class BodyResult:
    div: etree._Element
    persons: PersonIndex
    participants: list[str]
    inferences: list[tuple[Inference, int, int]]   # (inference, line, col)
    turns: int
    speakers: dict[str, int] = field(default_factory=dict)   # person id -> turns
    footnotes_unused: list[str] = field(default_factory=list)
    head_text: str | None = None


def _norm_words(text: str) -> list[str]:
    return _NORM_WORD.findall(text.lower())


def _is_upper_heading(text: str) -> bool:
    if len(text) > 12 * HEADING_WORDS or len(text.split()) > HEADING_WORDS:
        return False
    upper = len(UPPER_LETTER.findall(text))
    lower = len(LOWER_LETTER.findall(text))
    return upper + lower >= 4 and upper / (upper + lower) >= 0.85


class BodyBuilder:
    def __init__(self, blocks: list[Block], *, title: str | None, lang: str,
                 aliases: dict[str, str], persons: dict[str, dict[str, str]],
                 hand: str = "#hand-1", glued_words: bool = True) -> None:
        self.paras: list[Para] = []
        for block in blocks:
            if block.kind is BlockKind.PAGE_BREAK:
                self.paras.append(Para("", block.line, block.col, block, True, block.n))
                continue
            # a form feed inside a block is a page break inside the paragraph (inline pb)
            if block.text.strip():
                self.paras.append(Para(block.text, block.line, block.col, block))
        self._join_split_brackets()
        self.title = title or ""
        self.lang = lang
        self.ctx = InlineContext(lang=lang, hand=hand, glued_words=glued_words)
        if glued_words and lang == "en":
            body_text = "\n".join(p.text for p in self.paras)
            self.ctx.find_glued_tokens(body_text)
            self._mark_glued_free(body_text)
        self.index = PersonIndex(aliases, persons)
        self.aliases = aliases
        self.inferences: list[tuple[Inference, int, int]] = []
        self.turns = 0
        #: the turns (``sp``) in document order: each is made at the end of the body so far
        self.turn_elements: list[etree._Element] = []
        self._segment_starts: dict[int, list[int]] = {}
        #: per paragraph, the names it lists if it is a participant line (set with speakers)
        self.listed: list[list[str]] = []

    def _join_split_brackets(self) -> None:
        """A bracket opened in one paragraph and closed in the next (a blank line of the
        layout fell inside it) is one editorial marker: join the paragraphs."""
        joined: list[Para] = []
        for para in self.paras:
            previous = joined[-1] if joined else None
            if (previous is not None and not para.page_break and not previous.page_break
                    and "[" in previous.text  # no bracket opened: nothing to count
                    and _open_brackets(previous.text) > 0 and _open_brackets(para.text) < 0
                    and len(previous.text) - previous.text.rfind("[") + len(para.text) > 0
                    and len(previous.text) - previous.text.rfind("[") <= 600):
                previous.text = previous.text.rstrip() + " " + para.text.lstrip()
                continue
            joined.append(para)
        self.paras = joined

    def _mark_glued_free(self, body_text: str) -> None:
        """Mark the paragraphs in which none of the document's glued tokens stands, from one
        search per token over ``body_text`` (the paragraphs joined by line ends, which no
        token spans): a plain paragraph then goes into its text node without a search per
        paragraph and token. Any part of a marked paragraph's text holds no token either."""
        assert self.ctx.glued_tokens is not None
        starts = list(itertools.accumulate((len(p.text) + 1 for p in self.paras[:-1]),
                                           initial=0))
        holding: set[int] = set()
        for token in self.ctx.glued_tokens:
            position = body_text.find(token)
            while position >= 0:
                holding.add(bisect.bisect_right(starts, position) - 1)
                position = body_text.find(token, position + 1)
        for index, para in enumerate(self.paras):
            para.glued_free = index not in holding

    # --- locating -----------------------------------------------------------------------
    def _locate(self, para: Para, offset: int) -> tuple[int, int]:
        block = para.block
        segments = getattr(block, "segments", None) if block is not None else None
        if segments:
            starts = self._segment_starts.get(id(block))
            if starts is None:
                starts = self._segment_starts[id(block)] = [s[0] for s in segments]
            i = max(bisect.bisect_right(starts, offset) - 1, 0)
            start, line, col = segments[i]
            return line, col + (offset - start)
        if block is not None and (block.last_line in (None, block.line)):
            return para.line, para.col + offset
        return para.line, para.col

    def _note_inferences(self, para: Para, since: int, base: int = 0) -> None:
        for inference in self.ctx.inferences[since:]:
            line, col = self._locate(para, base + inference.offset)
            self.inferences.append((inference, line, col))

    def _encode(self, parent: etree._Element, para: Para, text: str, base: int) -> None:
        since = len(self.ctx.inferences)
        fill(parent, text, self.ctx, glued_free=para.glued_free)
        for inference in self.ctx.inferences[since:]:
            line, col = self._locate(para, base + inference.offset)
            self.inferences.append((inference, line, col))
        del self.ctx.inferences[since:]

    def review(self, para: Para, code: str, message: str, offset: int = 0,
               severity: str = "info") -> None:
        line, col = self._locate(para, offset)
        self.inferences.append((Inference(code, message, offset, severity), line, col))

    # --- passes -------------------------------------------------------------------------
    def collect_footnotes(self) -> None:
        """Note texts at the end (``[1] Written in pencil.``) move to their anchors."""
        body_text = "\n".join(p.text for p in self.paras)
        end = len(self.paras)
        notes: dict[str, str] = {}
        i = end - 1
        while i >= 0:
            para = self.paras[i]
            if para.page_break:
                i -= 1
                continue
            m = FOOTNOTE_TEXT.match(para.text)
            if m and re.search(rf"[^\n]\[{re.escape(m.group('n'))}\]", body_text):
                notes.setdefault(m.group("n"), m.group("text").strip())
                i -= 1
                continue
            if NOTES_HEADING.match(para.text) and notes:
                i -= 1
            break
        # numbered endnotes at the end ("1. CC clique, …"), with or without a heading,
        # whose numbers run 1..n and are anchored in the body as [n]
        j = len(self.paras) - 1
        while j >= 0 and (self.paras[j].page_break or ENDNOTE_TEXT.match(self.paras[j].text)
                          or (self.paras[j].text[:1].islower() and j > 0
                              and self.paras[j - 1].page_break)):
            j -= 1
        numbered: dict[str, str] = {}
        tail = self.paras[j + 1:]
        entries: list[tuple[Para, str, str]] = []   # (paragraph, number, text)
        pending_break = False
        for para in tail:
            if para.page_break:
                pending_break = True
                continue
            m = ENDNOTE_TEXT.match(para.text)
            if m:
                entries.append((para, m.group("n"), m.group("text").strip()))
            elif entries:
                # a note running on over a page break
                first, n, text = entries[-1]
                entries[-1] = (first, n, text + ("\f" if pending_break else " ") + para.text)
            pending_break = False
        numbers = [n for _, n, _ in entries]
        if numbers and numbers == [str(k) for k in range(1, len(numbers) + 1)] and all(
                re.search(rf"[^\n]\[{n}\]", body_text) for n in numbers):
            for para, n, text in entries:
                numbered[n] = text
                self.review(para, "review-footnote-moved",
                            f"endnote {n} moved from the end to its anchor [{n}]")
            drop = {id(p) for p in tail if not p.page_break}
            if j >= 0 and NOTES_HEADING.match(self.paras[j].text):
                drop.add(id(self.paras[j]))
            self.paras = [p for p in self.paras if id(p) not in drop]
            while self.paras and self.paras[-1].page_break:
                self.paras.pop()
        if not notes:
            notes.update(self._inline_note_texts())
        notes.update(self._asterisk_notes(body_text))
        if notes:
            self.ctx.footnotes.update(notes)
            keep = []
            for para in self.paras:
                m = FOOTNOTE_TEXT.match(para.text)
                if m and m.group("n") in notes and notes[m.group("n")] == m.group("text").strip():
                    self.review(para, "review-footnote-moved",
                                f"note [{m.group('n')}] moved from the end to its anchor")
                    continue
                keep.append(para)
            self.paras = keep
        if numbered:
            self.ctx.footnotes.update(numbered)

    def _asterisk_notes(self, body_text: str) -> dict[str, str]:
        """``MENON*`` … ``*Cde. Khrushchev has not read this record`` at the end."""
        notes: dict[str, str] = {}
        moved: set[int] = set()
        for para in reversed(self.paras):
            if para.page_break:
                continue
            m = ASTERISK_TEXT.match(para.text)
            if not m or m.group("n") in notes:
                break
            if not re.search(rf"\w{re.escape(m.group('n'))}(?![\w*])", body_text):
                break
            notes[m.group("n")] = m.group("text").strip()
            moved.add(id(para))
            self.review(para, "review-footnote-moved",
                        f"note {m.group('n')} moved from the end to its anchor")
        if moved:
            self.paras = [p for p in self.paras if id(p) not in moved]
        return notes

    def _inline_note_texts(self) -> dict[str, str]:
        """Flattened text keeps note texts in the last paragraph, after the anchors:
        ``…next step.[1] [1] Peng Dehuai, China's minister…``. Cut them out."""
        last = next((p for p in reversed(self.paras) if not p.page_break), None)
        if last is None or FOOTNOTE_TEXT.match(last.text):
            return {}
        text = last.text
        first_seen: dict[str, int] = {}
        starts: list[tuple[int, int, str]] = []
        for m in INLINE_ANCHOR.finditer(text):
            n = m.group(1)
            if n in first_seen and text[m.end():m.end() + 1].isspace():
                starts.append((m.start(), m.end(), n))
            else:
                first_seen.setdefault(n, m.start())
        if not starts or min(s for s, _, _ in starts) < max(first_seen[n] for _, _, n in starts):
            return {}
        notes: dict[str, str] = {}
        for k, (_start, end, n) in enumerate(starts):
            stop = starts[k + 1][0] if k + 1 < len(starts) else len(text)
            notes[n] = text[end:stop].strip()
        last.text = text[:starts[0][0]].rstrip()
        self.review(last, "review-footnote-moved",
                    f"{len(notes)} note text(s) at the end of the text moved to their anchors",
                    starts[0][0])
        return notes

    def split_head(self) -> list[Para]:
        """Leading paragraphs that repeat the title (or are capital headings) form the head."""
        title_words = set(_norm_words(self.title))
        head: list[Para] = []
        for para in self.paras:
            if para.page_break:
                break
            words = _norm_words(para.text)
            if not words or len(words) > 40:
                break
            in_title = title_words and sum(w in title_words for w in words) / len(words) >= 0.9
            if in_title or (not head and _is_upper_heading(para.text) and
                            find_label(para.text) is None):
                head.append(para)
                continue
            break
        if head:
            self.paras = self.paras[len(head):]
        return head

    def split_opener(self) -> list[Para]:
        opener: list[Para] = []
        for para in self.paras:
            if para.page_break or not CLASSIFICATION.match(para.text):
                break
            opener.append(para)
        self.paras = self.paras[len(opener):]
        return opener

    def split_closer(self) -> list[Para]:
        closer: list[Para] = []
        i = len(self.paras) - 1
        while i >= 0:
            para = self.paras[i]
            text = para.text.strip()
            if para.page_break:
                i -= 1
                continue
            signature = NAME_ONLY.match(text) and find_label(text) is None and (
                closer or SIGNATURE_INITIALS.match(text))
            if len(text) <= 200 and (CLOSING_LINE.match(text) or DATE_ONLY.match(text)
                                     or signature):
                closer.insert(0, para)
                i -= 1
                continue
            break
        # never take everything: a closing block follows some body text
        if closer and i >= 0:
            self.paras = self.paras[: i + 1] + [p for p in self.paras[i + 1:] if p.page_break]
            return closer
        return []

    # --- speakers -------------------------------------------------------------------------
    def decide_speakers(self) -> tuple[dict[int, list[Label]], list[str]]:
        self.listed = [participant_names(para.text) for para in self.paras]
        participants = [name for names in self.listed for name in names]
        evidence = SpeakerEvidence(title=self.title, participants=participants,
                                   aliases=self.aliases)
        candidates: dict[int, list[Label]] = {}
        for i, para in enumerate(self.paras):
            if para.page_break or self.listed[i]:
                continue
            found: list[Label] = []
            label = find_label(para.text)
            if label is not None:
                found.append(label)
            midline = find_midline_labels(para.text)
            if midline:
                found.extend(m for m in midline if label is None or m.start >= label.end)
            for candidate in found:
                evidence.observe(candidate)
            if found:
                candidates[i] = found
        accepted: dict[int, list[Label]] = {}
        reviewed: set[str] = set()
        for i, labels in candidates.items():
            keep = []
            for position, label in enumerate(labels):
                reason = evidence.accept(label)
                if reason:
                    keep.append(label)
                    if evidence.key(label) not in reviewed:
                        reviewed.add(evidence.key(label))
                        self.review(self.paras[i], "review-speaker",
                                    f"'{label.text}' read as a speaker label: {reason}",
                                    label.start)
                elif position == 0 and label.kind in ("period", "colon") and len(
                        label.name.split()) <= 3:
                    self.review(self.paras[i], "review-not-speaker",
                                f"'{label.text}' looks like a label but nothing in the "
                                "document confirms a speaker; kept as text", label.start)
            if keep:
                accepted[i] = keep
        return accepted, participants

    # --- assembly -------------------------------------------------------------------------
    def build(self, parent: etree._Element | None = None) -> BodyResult:
        """The body's ``div``, made under ``parent`` when one is given."""
        self.collect_footnotes()
        opener = self.split_opener()
        head = self.split_head()
        if not opener:
            opener = self.split_opener()
        closer = self.split_closer()
        labels, participants = self.decide_speakers()

        if parent is None:
            div = tree_root("div", type="record")
        else:
            div = child(parent, "div", type="record")
        head_text = None
        if head:
            head_el = child(div, "head")
            for k, para in enumerate(head):
                if k:
                    _line_break(head_el)
                self._encode(head_el, para, para.text.strip(), 0)
            head_text = " ".join(p.text.strip() for p in head)
        if opener:
            opener_el = child(div, "opener")
            for k, para in enumerate(opener):
                if k:
                    _line_break(opener_el)
                child(opener_el, "stamp", para.text.strip(), type="classification")

        section = div
        sp: etree._Element | None = None
        for i, para in enumerate(self.paras):
            if para.page_break:
                container = sp if sp is not None else section
                if para.n:
                    child(container, "pb", n=para.n)
                else:
                    child(container, "pb")
                continue
            text = para.text
            para_labels = labels.get(i, [])
            if not para_labels:
                if _is_upper_heading(text) and find_label(text) is None and len(
                        text.split()) <= HEADING_WORDS:
                    sp = None
                    section = child(div, "div", type="section")
                    self._encode(child(section, "head"), para, text.strip(), 0)
                    continue
                if sp is not None and (self.listed[i] or NARRATIVE.match(text)):
                    sp = None
                if sp is None and self.turns and NARRATIVE.match(text) and len(text.split()) <= 40:
                    stage = child(section, "stage", type="business")
                    self._encode(stage, para, text.strip(), 0)
                    self.review(para, "review-narrative",
                                "a narrative line between turns encoded as a stage direction")
                    continue
                container = sp if sp is not None else section
                p = child(container, "p")
                self._encode(p, para, text.strip(), 0)
                note = _lone_note(p)
                if note is not None:
                    # a paragraph that is only a handwritten block note is that note; after
                    # the last words of a turn it belongs to the page, not to the speech
                    container.remove(p)
                    if sp is not None and not self._speech_follows(i, labels):
                        sp = None
                    (sp if sp is not None else section).append(note)
                    continue
                _unwrap_page_breaks(container, p)
                continue
            # text before the first label stays with the previous turn or the div
            first = para_labels[0]
            if first.start > 0 and text[: first.start].strip():
                p = child(sp if sp is not None else section, "p")
                self._encode(p, para, text[: first.start].strip(), 0)
            for k, label in enumerate(para_labels):
                end = para_labels[k + 1].start if k + 1 < len(para_labels) else len(text)
                sp = self._turn(section, label)
                speech = text[label.end:end]
                if speech.strip():
                    lead = len(speech) - len(speech.lstrip())
                    self._encode(child(sp, "p"), para, speech.strip(), label.end + lead)
        # a turn whose label stood alone and nothing followed gets no empty paragraph:
        for sp_el in self.turn_elements:
            for element in sp_el:          # a loop over a few children: no tag matcher
                if element.tag in _SPEECH_TAGS:
                    break
            else:
                child(child(sp_el, "p"), "gap", reason="omitted")
        if closer:
            closer_el = child(div, "closer")
            for k, para in enumerate(closer):
                text = para.text.strip()
                if k:
                    _line_break(closer_el)
                if REGISTRATION.match(text):
                    self._encode(child(closer_el, "seg", type="registration"), para, text, 0)
                elif DATE_ONLY.match(text):
                    self._encode(child(closer_el, "dateline"), para, text, 0)
                else:
                    self._encode(child(closer_el, "signed"), para, text, 0)

        moved = self.index.merge_short_into_long()
        if moved:
            for sp_el in self.turn_elements:
                who = sp_el.get("who", "")[1:]
                if who in moved:
                    sp_el.set("who", "#" + moved[who])
        for name in participants:
            self.index.resolve(name)
        self._names_from_title()
        turn_counts: dict[str, int] = {}
        for sp_el in self.turn_elements:
            who = sp_el.get("who", "")[1:]
            turn_counts[who] = turn_counts.get(who, 0) + 1
        unused = sorted(set(self.ctx.footnotes) - self.ctx.footnotes_used)
        return BodyResult(div=div, persons=self.index, participants=participants,
                          inferences=self.inferences, turns=self.turns,
                          speakers=turn_counts, footnotes_unused=unused, head_text=head_text)

    def _names_from_title(self) -> None:
        """A speaker labelled ``Khrushchev.`` is named ``N.S. Khrushchev`` in the title."""
        for name in title_names(self.title):
            words = core_name(name)
            if not words:
                continue
            key = slug(words)
            for pid, person in self.index.persons.items():
                if pid == key or pid.split("-")[-1] == key.split("-")[-1]:
                    person.names[name] += 1
                    break

    def _speech_follows(self, i: int, labels: dict[int, list[Label]]) -> bool:
        """Whether the paragraph after ``i`` continues the current turn."""
        for k in range(i + 1, len(self.paras)):
            if self.paras[k].page_break:
                continue
            return k not in labels and not self.listed[k]
        return False

    def _turn(self, parent: etree._Element, label: Label) -> etree._Element:
        """A new turn (``sp``) at the end of ``parent``."""
        person = self.index.resolve(label.name, spoke=True, alias=label.alias)
        self.turns += 1
        # both attributes at creation (in this order), not one set after the other
        sp = child(parent, "sp", **{"who": f"#{person.id}", XML_ID: f"turn-{self.turns}"})
        self.turn_elements.append(sp)
        # the label as printed, a direction in it included ("(after the translation
        # ended)"): TEI does not allow stage inside speaker
        child(sp, "speaker", label.text)
        return sp


#: what a turn holds besides its speaker label
_SPEECH_TAGS = frozenset(("p", "ab", "lg"))
_NOTE = "note"
_PB = "pb"


def _open_brackets(text: str) -> int:
    """Square brackets opened and not closed (negative: closed and not opened)."""
    return text.count("[") - text.count("]")


def _lone_note(p: etree._Element) -> etree._Element | None:
    """The annotation note a paragraph consists of, if that is all it holds."""
    if len(p) == 1 and p[0].tag == _NOTE and p[0].get("type") == "annotation" and \
            not (p.text or "").strip() and not (p[0].tail or "").strip():
        note = p[0]
        p.remove(note)
        note.tail = None
        return note
    return None


def _unwrap_page_breaks(container: etree._Element, p: etree._Element) -> None:
    """A paragraph that holds only page breaks (``[page break]`` on its own line) is not a
    paragraph: its breaks take its place at the end of the container."""
    # the count of children first: most paragraphs have none, and reading a long text out
    # of the tree costs a conversion
    if len(p) and not (p.text or "").strip() and all(
            c.tag == _PB and not (c.tail or "").strip() for c in p):
        for pb in list(p):
            pb.tail = None
            container.append(pb)
        container.remove(p)


def _line_break(parent: etree._Element) -> None:
    """A line break between printed lines: a newline (so the words stay apart in any
    rendering) and an ``lb``."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + "\n"
    else:
        parent.text = (parent.text or "") + "\n"
    child(parent, "lb")


def build_body(blocks: list[Block], *, title: str | None, lang: str = "en",
               aliases: dict[str, str] | None = None,
               persons: dict[str, dict[str, str]] | None = None,
               glued_words: bool = True,
               parent: etree._Element | None = None) -> tuple[BodyResult, InlineContext]:
    """The body of a document. ``parent``: the element to make the body's ``div`` in (the
    document's ``body``); without it the ``div`` is the root of a tree of its own.

    Moving a tree into another document costs lxml time in the square of the number of
    ``xml:id`` attributes it holds (one per turn): a conversion makes the ``div`` in place.
    """
    builder = BodyBuilder(blocks, title=title, lang=lang, aliases=aliases or {},
                          persons=persons or {}, glued_words=glued_words)
    result = builder.build(parent)
    return result, builder.ctx
