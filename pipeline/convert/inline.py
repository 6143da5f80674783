"""Editorial markers inside a paragraph: brackets, slashes and parentheses to TEI.

:func:`fill` reads one paragraph of transcript text and fills a TEI element with
mixed content: ``[handwritten]`` becomes ``add``/``subst`` with ``@hand``, ``[illegible]`` a
``gap``, ``high[er]`` a ``supplied``, ``/Laughter/`` a ``stage`` and so on (the table in
``docs/encoding.md``). Every inference it makes (the scope of a marker, a split of glued
words) is recorded as a review item, and every bracket it cannot interpret is kept verbatim
and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from pipeline.convert.elements import child
from pipeline.convert.glued import (
    MAX_COMMA_PART_LENGTH,
    MAX_TOKEN_LENGTH,
    MIN_TOKEN_LENGTH,
    split_comma_glue,
    split_glued,
    unlisted_ascii_words,
    word_list,
)

#: a piece of text, or a glued word to encode: (as printed, regularised, certainty)
Piece = str | tuple[str, str, str]

# --- what a bracket, slash or parenthesis can hold -----------------------------------------


HANDWRITTEN = re.compile(r"^\s*hand[- ]?written\b(.*)$", re.IGNORECASE | re.DOTALL)
ILLEGIBLE = re.compile(
    r"^\s*(?:illegible|unreadable|indecipherable|undecipherable)"
    r"(?:\s+(?:word|words|text|line|lines|phrase|passage))?\s*\.?\s*$", re.IGNORECASE)
ILLEGIBLE_ANY = re.compile(r"\billegible\b|\bunreadable\b|\bindecipherable\b", re.IGNORECASE)
OMISSION = re.compile(r"^\s*(?:\.\s*){3,}$|^\s*…\s*$|^\s*(?:text\s+)?omitted\s*$", re.IGNORECASE)
REDACTED = re.compile(r"blacked out|redacted|excised|deleted by|withheld|sanitized",
                      re.IGNORECASE)
DAMAGED = re.compile(r"\b(?:torn|damaged|burnt|stain(?:ed)?|hole in)\b", re.IGNORECASE)
SIC = re.compile(r"^\s*sic\b[.!]?\s*(?:[;,:]\s*(.*))?$", re.IGNORECASE | re.DOTALL)
CROSSED = re.compile(
    r"(?:crossed[- ]out|struck[- ]out|struck through|strikethrough)\s*[:.]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL)
STAMP = re.compile(r"^\s*stamp(?:ed)?\b\s*[:.]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
STAMP_ANY = re.compile(r"\bstamp(?:ed)?\b", re.IGNORECASE)
PAGE_BREAK = re.compile(r"^\s*page[- ]break\s*$", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^\s*(?:page|p\.|pg\.|стр\.|s\.)\s*(\d{1,5}[a-z]?)\s*$", re.IGNORECASE)
FOOTNOTE_ANCHOR = re.compile(r"^\s*(\d{1,3}|\*{1,3})\s*$")
EDITOR_SUFFIX = re.compile(r"\s*(?:-{1,2}|–|—)\s*ed\.?\s*$", re.IGNORECASE)
EDITOR_PREFIX = re.compile(r"^\s*(?:ed(?:itor)?(?:'s|’s)?\.?\s*note|note)\s*[:.]\s*(.*)$",
                           re.IGNORECASE | re.DOTALL)
TRANSLATOR_PREFIX = re.compile(
    r"^\s*(?:translator(?:'s|’s)?\s*note|trans(?:l)?\.?\s*note|tr\.\s*note)\s*[:.]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL)
GLOSS_PREFIX = re.compile(r"^\s*(?:literally|lit\.|i\.\s?e\.|that is|meaning)\b",
                          re.IGNORECASE)
SIGNATURE = re.compile(r"^\s*(?:[\w-]+\s+)?signature(?:\s+\w+)?\s*$", re.IGNORECASE)
STAGE_WORDS = re.compile(
    r"\b(?:laugh\w*|applau\w*|smil\w*|pause\w*|noise|animation|stir|silence|interrupt\w*|"
    r"nod\w*|sigh\w*|cheer\w*|agree\w*|express\w*|repl\w*|exchang\w*|shak\w*|"
    r"смех|смеются|оживление|аплодисменты|heiterkeit|lachen|beifall)\b", re.IGNORECASE)
VOCAL_WORDS = re.compile(r"\b(?:laugh\w*|applau\w*|cheer\w*|sigh\w*|noise|silence|"
                         r"смех|смеются|оживление|аплодисменты|heiterkeit|lachen|beifall)\b",
                         re.IGNORECASE)
PAREN_TRANSLATOR = re.compile(r"^\s*(?:translator(?:'s|’s)?\s*note|tr\.\s*note)\s*:\s*(.*)$",
                              re.IGNORECASE | re.DOTALL)
PAREN_NOTE = re.compile(r"^\s*(?:note|n\.b\.)\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)
PAREN_EDITORIAL = re.compile(r"^\s*(?:uncorrected|not corrected|unverified)\s*$",
                             re.IGNORECASE)
PLACE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bleft\b", re.IGNORECASE), "margin-left"),
    (re.compile(r"\bright\b", re.IGNORECASE), "margin-right"),
    (re.compile(r"\bmargins?\b", re.IGNORECASE), "margin"),
    (re.compile(r"\bbottom\b|\bfoot\b", re.IGNORECASE), "bottom"),
    (re.compile(r"\btop\b|\bhead\b", re.IGNORECASE), "top"),
    (re.compile(r"\babove\b|\bover\b", re.IGNORECASE), "above"),
    (re.compile(r"\bbelow\b|\bunder(?:neath)?\b", re.IGNORECASE), "below"),
)
NUMBER_WORDS = {
    "one": "1", "first": "1", "two": "2", "second": "2", "three": "3", "third": "3",
    "four": "4", "fourth": "4", "five": "5", "fifth": "5", "six": "6", "sixth": "6",
    "seven": "7", "seventh": "7", "eight": "8", "eighth": "8", "nine": "9", "ninth": "9",
    "ten": "10", "tenth": "10", "last": "last",
}
PAGE_REF = re.compile(
    r"\b(?:page|p\.)\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|"
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\s+page\b",
    re.IGNORECASE)
PLACE_PHRASE = re.compile(
    r"^(?P<desc>(?:note\s+|notes\s+|text\s+)?(?:(?:in|on|at|to|along)\s+(?:the\s+)?)?"
    r"(?:left|right|top|bottom|upper|lower|margin|margins|corner)"
    r"(?:\s+(?:left|right|hand|side|margin|corner))*"
    r"(?:\s+(?:of|on)\s+(?:the\s+)?(?:page\s+\w+|\w+\s+page|page|document|sheet))?)"
    r"[\s.,:]*(?P<content>.*)$", re.IGNORECASE | re.DOTALL)
OBFUSCATED_EMAIL = re.compile(r"^email\s+protected$", re.IGNORECASE)
LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})[.)]\s+")
LAST_WORD = re.compile(r"([\w’'\-]+)([^\w’'\-]*)$")
#: how far back from a marker to look for the word it scopes
LAST_WORD_WINDOW = 200
#: how far back from a marker :func:`_recent_words` looks, in turn, before the whole text
#: (the words sought are a few: most often in the first window)
RECENT_WORDS_WINDOWS = (48, LAST_WORD_WINDOW)


def _last_word(text: str) -> re.Match[str] | None:
    """The last word of ``text`` and what follows it, looking only at the end (an anchored
    search over a whole paragraph would cost time quadratic in its length).

    The word is found by stepping back from the end over the last ``LAST_WORD_WINDOW``
    characters, then matched where it starts. When the window holds no word there is none;
    when the word reaches back to the window's edge, it is looked for in the whole text if
    a letter or digit stands before the edge, and there is none otherwise.
    """
    floor = max(len(text) - LAST_WORD_WINDOW, 0)
    end = len(text)
    while end > floor and not _is_word_char(text[end - 1]):
        end -= 1
    if end == floor:
        return None
    start = end - 1
    while start > floor and _is_word_char(text[start - 1]):
        start -= 1
    if start == floor and floor > 0:
        return _last_word_slow(text) if text[floor - 1].isalnum() else None
    return LAST_WORD.match(text, start)


def _is_word_char(char: str) -> bool:
    """What ``[\\w’'\\-]`` matches: ``\\w`` is a character ``str.isalnum`` accepts, or ``_``."""
    return char.isalnum() or char in "_’'-"


def _last_word_slow(text: str) -> re.Match[str] | None:
    return LAST_WORD.search(text)


def _recent_words(text: str, count: int) -> list[re.Match[str]]:
    """The last ``count`` words of ``text``, looking only at its end when that end holds
    more words than asked for (the first word of a window may be cut, so it must not be
    among them). The end is searched in a short window first, then in a wider one, then
    whole: a match after the first of a search is a whole word, the same in every window
    that holds it."""
    for window in RECENT_WORDS_WINDOWS:
        start = max(len(text) - window, 0)
        words = list(WORD.finditer(text, start))
        if not start or len(words) > count:
            return words[-count:]
    return list(WORD.finditer(text))[-count:]


def _capital_before(text: str, end: int) -> bool:
    """Whether ``CAPITAL_BEFORE`` finds a match in ``text[:end]``, searching only the last
    word and the white space after it (a search of the whole text before every slash would
    cost time in the square of the paragraph's length).

    A match is a run of word characters followed by at most two characters of white space
    (``\\s?`` and the line end ``$`` may stand before): it lies in the run of word characters
    that ends where the last non-word characters (at most two) begin.
    """
    start = end
    while start > 0 and end - start < 2 and not _is_word_char(text[start - 1]):
        start -= 1
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    return CAPITAL_BEFORE.search(text, start, end) is not None


_NOT_SPACE = re.compile(r"\S")
WORD = re.compile(r"[\w’'\-]+")
CLAUSE_END = re.compile(r"[.;:!?]")
NAME_ALIAS = re.compile(r"^[A-ZА-Я][\w’'\-]*(?:\s+[A-ZА-Я][\w’'\-.]*){0,2}$")
CAPITAL_BEFORE = re.compile(r"[A-ZА-Я][\w’'\-]*\s?$")
QUOTED = re.compile(r'^\s*["“«„‘\']\s*(.*?)\s*["”»“’\']?\s*$', re.DOTALL)
MAX_SUPPLIED_WORDS = 6
_LETTER = re.compile(r"[^\W\d_]")
LOOKBACK_WORDS = 4


@dataclass(slots=True)
class Inference:
    """An inference (or a problem) to list in the conversion report for review."""

    code: str
    message: str
    offset: int
    severity: str = "info"    # info for review items, warning for uninterpreted constructs


@dataclass
class InlineContext:
    """What inline encoding needs from the document: hands, footnote texts, language."""

    lang: str = "en"
    hand: str = "#hand-1"
    footnotes: dict[str, str] = field(default_factory=dict)
    inferences: list[Inference] = field(default_factory=list)
    hands_used: set[str] = field(default_factory=set)
    footnotes_used: set[str] = field(default_factory=set)
    glued_words: bool = True
    #: the document's glued tokens and comma-glued pairs, found once per document
    #: (None: look in every paragraph)
    glued_tokens: frozenset[str] | None = None

    def find_glued_tokens(self, text: str) -> None:
        """Scan a whole document once for tokens the word list does not know and that split
        into words, and for words glued by a comma; text without any of them skips the
        glued-word pass (a substring test, far cheaper than a scan per paragraph)."""
        unknown = unlisted_ascii_words(text, self.lang)
        tokens = {w for w in unknown if split_glued(w, self.lang)}
        for m in _COMMA_BEFORE_LETTER.finditer(text):
            start, end = m.start(), m.end()
            if not start or text[start - 1] not in _ASCII_LETTERS:
                continue
            # widen "v,w" to the whole pair of words around the comma, no further than a
            # part of a pair can reach (a longer word is no part of one)
            lowest = max(start - _COMMA_PART_REACH, 0)
            while start > lowest and text[start - 1].isalpha():
                start -= 1
            highest = min(end + _COMMA_PART_REACH, len(text))
            while end < highest and text[end].isalpha():
                end += 1
            if (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
                continue
            left, _, right = text[start:end].partition(",")
            if left.isascii() and right.isascii() and split_comma_glue(left, right, self.lang):
                tokens.add(text[start:end])
        self.glued_tokens = frozenset(tokens)

    def may_hold_glued_words(self, value: str) -> bool:
        if self.glued_tokens is None:
            known = word_list(self.lang)
            return bool(_COMMA_BETWEEN_LETTERS.search(value)) or not all(
                w.lower() in known for w in _LONG_WORD.findall(value))
        return any(map(value.__contains__, self.glued_tokens))

    def glued_matches(self, value: str) -> Iterator[re.Match[str]]:
        """The glued-word expression's matches in ``value`` that can split: all of them
        without a document scan, else those in the stretches of ASCII letters and commas
        that hold one of the document's glued tokens.

        Every match that splits is one of those tokens, and no match reaches beyond a
        stretch, so a scan of each stretch from its start finds the same matches there as a
        scan of all of ``value``.
        """
        if self.glued_tokens is None or \
                len(value) * len(self.glued_tokens) > _STRETCH_SEARCH_LIMIT:
            # finding every token in a long text costs more than one scan of it
            yield from _GLUE.finditer(value)
            return
        for start, end in _stretches_holding(value, self.glued_tokens):
            for match in _GLUE.finditer(value, start):
                if match.start() >= end:
                    break
                yield match

    def is_plain(self, text: str, *, glued_free: bool = False) -> bool:
        """Whether ``text`` is plain prose: no character that can start a marker and no
        glued word to split, so its encoding is the text itself. ``glued_free``: the caller
        knows that ``text`` holds none of the document's glued tokens."""
        return not _may_hold_markers(text) and self.may_be_plain(text, glued_free=glued_free)

    def may_be_plain(self, text: str, *, glued_free: bool = False) -> bool:
        """:meth:`is_plain` for a text known to hold no marker character: whether no glued
        word in it is to be split."""
        return glued_free or not (self.glued_words and self.lang == "en"
                                  and self.may_hold_glued_words(text))

    def infer(self, code: str, message: str, offset: int) -> None:
        self.inferences.append(Inference(code, message, offset))

    def warn(self, code: str, message: str, offset: int) -> None:
        self.inferences.append(Inference(code, message, offset, "warning"))

    def use_hand(self) -> str:
        self.hands_used.add(self.hand)
        return self.hand


#: how far the words of a comma-glued pair are followed from the comma (one letter more than
#: a part can have, so that a longer word is seen to be one)
_COMMA_PART_REACH = MAX_COMMA_PART_LENGTH + 1
#: up to this many characters searched (text length times tokens), glued words are looked
#: for only around the tokens; beyond it the text is scanned once
_STRETCH_SEARCH_LIMIT = 1_000_000


def _stretches_holding(value: str, tokens: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of each stretch of ASCII letters and commas in ``value`` that holds one
    of ``tokens``, in order."""
    found = []
    for token in tokens:
        position = value.find(token)
        while position >= 0:
            found.append(position)
            position = value.find(token, position + 1)
    stretches: list[tuple[int, int]] = []
    for position in sorted(found):
        if stretches and position < stretches[-1][1]:
            continue                 # in the stretch found last
        start = position
        while start > 0 and value[start - 1] in _LETTERS_AND_COMMA:
            start -= 1
        end = position
        while end < len(value) and value[end] in _LETTERS_AND_COMMA:
            end += 1
        stretches.append((start, end))
    return stretches


# --- the mixed-content buffer --------------------------------------------------------------

class Mixed:
    """Mixed content written straight into its parent element.

    Elements are created in place under the parent (an element built on its own is the
    root of a document of its own until it is moved, which costs about as much again as
    creating it). The text after the last element stays open, because a marker such as
    ``[handwritten]`` reaches back into it; it is handed to ``settle`` (which writes it,
    splitting glued words) when an element follows it or the content is closed.
    """

    def __init__(self, parent: etree._Element, settle: Callable[[str], None]) -> None:
        self.parent = parent
        self.settle = settle
        self.open = ""               # text after the last element, not yet written
        self.added = 0               # elements this content added to the parent
        #: the element the next text follows (None: the text goes into the parent's text)
        self.last: etree._Element | None = parent[-1] if len(parent) else None

    def text(self, value: str) -> None:
        self.open += value

    def add(self, local: str, text: str | None = None, /, **attrib: str) -> etree._Element:
        """A new element at the end of the content (after the open text, written first)."""
        self._write_open()
        element = child(self.parent, local, text, **attrib)
        self.last = element
        self.added += 1
        return element

    def wrap_last(self, local: str, **attrib: str) -> etree._Element:
        """A new element at the end of the content that takes in the element before it."""
        previous = self.last
        wrapper = self.add(local, **attrib)
        wrapper.append(previous)
        return wrapper

    def last_element(self) -> etree._Element | None:
        """The element the content ends with, if no text follows it."""
        return self.last if self.added and not self.open else None

    def is_empty(self) -> bool:
        return not self.added and not self.open

    def trailing_text(self) -> str:
        return self.open

    def replace_trailing_text(self, value: str) -> None:
        self.open = value

    def write_text(self, value: str) -> None:
        """Write text at the end of the content now (``settle`` calls this)."""
        if not value:
            return
        if self.last is None:
            self.parent.text = (self.parent.text or "") + value
        else:
            self.last.tail = (self.last.tail or "") + value

    def close(self) -> None:
        """Write the open text: the content is complete.

        ``settle`` is let go: it belongs to the encoder that holds this content, and the
        reference back would make a cycle that only the garbage collector can free (with
        each paragraph's elements, a collection every few documents).
        """
        self._write_open()
        self.settle = _content_closed

    def _write_open(self) -> None:
        if self.open:
            value, self.open = self.open, ""
            self.settle(value)


def _content_closed(value: str) -> None:
    raise RuntimeError("text written to mixed content after it was closed")


def _strip_quotes(value: str) -> tuple[str, bool]:
    """Strip one pair of surrounding quotes; report whether a quote was unbalanced."""
    value = value.strip()
    match = QUOTED.match(value)
    if not match or value[:1] not in "\"“«„‘'":
        if value.endswith(('"', "”")) and value.count('"') + value.count("”") == 1:
            return value[:-1].rstrip(), True
        return value, False
    inner = match.group(1)
    closing = value[-1:] in "\"”»“’'"
    return inner, not closing


def _place_of(descriptor: str) -> str | None:
    for pattern, place in PLACE_WORDS:
        if pattern.search(descriptor):
            return place
    return None


def _page_of(descriptor: str) -> str | None:
    match = PAGE_REF.search(descriptor)
    if not match:
        return None
    word = (match.group(1) or match.group(2)).lower()
    return NUMBER_WORDS.get(word, word)


def _words(text: str) -> int:
    return len(text.split())


# --- the encoder -------------------------------------------------------------------------

class InlineEncoder:
    """Encodes one paragraph; a fresh instance per paragraph, sharing the context."""

    def __init__(self, text: str, ctx: InlineContext, base: int, parent: etree._Element, *,
                 glued_free: bool = False) -> None:
        self.text = text
        self.ctx = ctx
        self.base = base
        self.out = Mixed(parent, self._settle)
        #: glued-word inferences, reported after those of the markers (as they are found
        #: once every marker has had its look back)
        self.glued_inferences: list[Inference] = []
        #: ``text`` holds none of the document's glued tokens (known to the caller)
        self.glued_free = glued_free
        #: a text of the content runs from before a marker on to after it (see
        #: :meth:`handwritten_scope`), so it is no longer a piece of ``text``
        self.joined_across_marker = False
        #: where the search for the next glued word's offset starts
        self.glued_from = 0

    # entry point ---------------------------------------------------------------------------
    def run(self, *, may_hold_markers: bool | None = None) -> None:
        """Encode the text into the parent element. ``may_hold_markers``: whether a marker
        character stands in the text, when the caller has looked."""
        text = self.text
        pos = 0
        if may_hold_markers is None:
            may_hold_markers = _may_hold_markers(text)
        if not may_hold_markers:
            self.plain(text, 0)
            self._close()
            return
        for match in _marker_matches(text):
            start, end = match.span()
            if start < pos:
                continue
            self.plain(text[pos:start], pos)
            consumed = self.marker(match)
            pos = end if consumed is None else consumed
        self.plain(text[pos:], pos)
        self._close()

    def _close(self) -> None:
        self.out.close()
        self.ctx.inferences.extend(self.glued_inferences)

    # plain text, then glued words once every marker has had its look back -------------
    def plain(self, value: str, offset: int) -> None:
        self.out.text(value)

    def _settle(self, value: str) -> None:
        """Write a text of the content, its glued words split (a text is settled once no
        marker can reach back into it: an element follows it or the content is complete)."""
        if not self.ctx.glued_words or self.ctx.lang != "en" or (
                self.glued_free and not self.joined_across_marker):
            # a piece of a text that holds none of the document's glued tokens holds none
            self.out.write_text(value)
            return
        for piece in self._split_glued_in(value):
            if isinstance(piece, str):
                self.out.write_text(piece)
            else:
                self._reg_choice(*piece)

    def _split_glued_in(self, value: str) -> list[Piece]:
        if not self.ctx.may_hold_glued_words(value):
            return [value]   # the common case: every long word is in the list
        known = word_list(self.ctx.lang)
        out: list[Piece] = []
        pos = 0
        for match in self.ctx.glued_matches(value):
            token = match.group("token")
            if token is not None and token.lower() in known:
                continue   # the common case: a word the list knows
            start, end = match.span()
            original = match.group(0)
            if match.group("comma_left"):
                left, right = match.group("comma_left"), match.group("comma_right")
                if not split_comma_glue(left, right, self.ctx.lang):
                    continue
                reading, cert, why = f"{left}, {right}", "high", "comma without a space"
            else:
                split = split_glued(match.group("token"), self.ctx.lang)
                if split is None:
                    continue
                reading, cert = split.regularised, split.cert
                why = f"cert {cert}; lost formatting glued the words"
            out.append(value[pos:start])
            out.append((original, reading, cert))
            self.glued_inferences.append(Inference(
                "review-glued-word", f"'{original}' read as '{reading}' ({why})",
                self.base + self._glued_offset(original)))
            pos = end
        out.append(value[pos:])
        return [piece for piece in out if not isinstance(piece, str) or piece]

    def _glued_offset(self, original: str) -> int:
        """Where a glued word stands in the paragraph: texts are settled in order, so it is
        looked for after the glued word found last (a search from the start for each would
        cost time in the square of the paragraph's length), and from the start only when a
        marker changed the text around it."""
        found = self.text.find(original, self.glued_from)
        if found < 0:
            return max(self.text.find(original), 0)
        self.glued_from = found + len(original)
        return found

    def _reg_choice(self, orig: str, reg: str, cert: str) -> None:
        choice = self.out.add("choice")
        child(choice, "orig", orig)
        child(choice, "reg", reg, resp="#converter", cert=cert)

    # markers -----------------------------------------------------------------------------
    def marker(self, match: re.Match[str]) -> int | None:
        kind = _KIND.get(match.lastgroup or "", "")
        if kind in ("bracket", "slash", "paren") and "\f" in match.group(0):
            # a marker running over a page boundary: encode it whole, then the break
            inner = InlineEncoder(match.group(0).replace("\f", " "), self.ctx,
                                  self.base + match.start(), self.out.parent)
            inner.out = self.out
            inner_match = _MARKERS.match(inner.text)
            if inner_match is not None and inner_match.end() == len(inner.text):
                inner.marker(inner_match)
            else:
                self.out.text(inner.text)
            self.out.add("pb")
            return None
        offset = match.start()
        if kind == "bracket":
            content = match.group("bracket")
            if content is None:
                content = match.group("double")
            return self.bracket(content, match, offset)
        if kind == "slash":
            self.slash(match.group("slash"), match, offset)
        elif kind == "paren":
            self.paren(match.group("paren"), match, offset)
        elif kind == "wordbreak":
            if self.text[match.start() - 1] == " ":
                # "материке // Ки": a page boundary between words (the spaces stay around it)
                self.out.add("pb")
            else:
                self.out.add("pb", **{"break": "no"})
        elif kind == "asterisk":
            marker = match.group(0)
            if marker in self.ctx.footnotes:
                return self.footnote(marker, match, offset)
            self.out.text(marker)
        elif kind == "formfeed":
            # a page boundary inside a paragraph, standing where the joining space stood
            trailing = self.out.trailing_text()
            if trailing.endswith(" "):
                self.out.replace_trailing_text(trailing.rstrip(" "))
            self.out.text(" ")
            self.out.add("pb")
        return None

    def slash(self, content: str, match: re.Match[str], offset: int) -> None:
        stripped = content.strip()
        if (not _LETTER.search(stripped) or stripped[:1].isdigit()) or (
                NAME_ALIAS.match(stripped) and _capital_before(self.text, offset)
                and not STAGE_WORDS.search(stripped)):
            # a name between slashes after a name is an alias (Shi Zhe /Karskii/)
            self.out.text(match.group(0))
            return
        kind = "delivery" if VOCAL_WORDS.search(stripped) else "business"
        stage = self.out.add("stage", stripped, type=kind)
        stage.set("rend", "slashes")

    def paren(self, content: str, match: re.Match[str], offset: int) -> None:
        stripped = content.strip()
        # a parenthesised note keeps its own words ("translator's note: …") as printed
        if PAREN_TRANSLATOR.match(stripped):
            self._note("translator", stripped, rend="parentheses")
        elif PAREN_NOTE.match(stripped) or PAREN_EDITORIAL.match(stripped):
            self._note("editorial", stripped, rend="parentheses")
        elif ILLEGIBLE_ANY.search(stripped) and _words(stripped) <= 6:
            gap = self.out.add("gap", reason="illegible")
            child(gap, "desc", stripped)
            gap.set("rend", "parentheses")
        elif STAGE_WORDS.search(stripped) and VOCAL_WORDS.search(stripped) and _words(
                stripped) <= 8:
            stage = self.out.add("stage", stripped, type="delivery")
            stage.set("rend", "parentheses")
        else:
            self.out.text(match.group(0))

    def _note(self, kind: str, content: str, *, rend: str | None = None,
              place: str = "inline") -> etree._Element:
        note = self.out.add("note", content.strip(), type=kind, place=place)
        if rend:
            note.set("rend", rend)
        return note

    def bracket(self, content: str, match: re.Match[str], offset: int) -> int | None:
        """Encode one ``[...]``; return a new scan position when it consumed more text."""
        stripped = content.strip()
        start, end = match.span()
        glued_before = start > 0 and self.text[start - 1].isalnum()
        glued_after = end < len(self.text) and self.text[end].isalpha()

        if m := HANDWRITTEN.match(stripped):
            return self.handwritten(m.group(1), match, offset)
        if not stripped:
            self.out.text(match.group(0))
            self.ctx.warn("bracket-unknown", "empty brackets kept as they are", offset)
            return None
        if OBFUSCATED_EMAIL.match(stripped):
            self.out.text(match.group(0))   # a web page's hidden e-mail address, not editorial
            return None
        if OMISSION.match(stripped):
            self.out.add("gap", reason="omitted")
            return None
        if ILLEGIBLE.match(stripped):
            self.out.add("gap", reason="illegible")
            return None
        if m := SIC.match(stripped):
            self.sic(m.group(1), offset)
            return None
        if m := CROSSED.search(stripped):
            return self.crossed(stripped, m, offset)
        if PAGE_BREAK.match(stripped):
            self.out.add("pb")
            return None
        if m := PAGE_NUMBER.match(stripped):
            self.out.add("pb", n=m.group(1))
            return None
        if m := FOOTNOTE_ANCHOR.match(stripped):
            return self.footnote(m.group(1), match, offset)
        if REDACTED.search(stripped):
            child(self.out.add("gap", reason="redacted"), "desc", stripped)
            return None
        if m := STAMP.match(stripped):
            return self.stamp(m.group(1), stripped, match)
        if STAMP_ANY.search(stripped):
            self.out.add("stamp", stripped, type=_stamp_type(stripped))
            return None
        if ILLEGIBLE_ANY.search(stripped):
            child(self.out.add("gap", reason="illegible"), "desc", stripped)
            return None
        if DAMAGED.search(stripped) and _words(stripped) <= 8:
            child(self.out.add("gap", reason="damaged"), "desc", stripped)
            return None
        if m := TRANSLATOR_PREFIX.match(stripped):
            self._note("translator", m.group(1) or stripped)
            return None
        if EDITOR_SUFFIX.search(stripped):
            self._note("editorial", EDITOR_SUFFIX.sub("", stripped))
            return None
        if m := EDITOR_PREFIX.match(stripped):
            self._note("editorial", m.group(1) or stripped)
            return None
        if GLOSS_PREFIX.match(stripped):
            self._note("translator", stripped)
            return None
        if SIGNATURE.match(stripped):
            self._note("editorial", stripped)
            return None
        if stripped == "?":
            # "Kailan [?]": the translator doubts the reading before it
            self._note("editorial", "?")
            self.ctx.infer("review-uncertain-reading",
                           "'[?]': the translator marks the reading before it as uncertain",
                           offset)
            return None
        if stripped.endswith("?") and _words(stripped) <= MAX_SUPPLIED_WORDS:
            self.out.add("supplied", stripped[:-1].rstrip(), reason="conjecture", cert="low")
            self.ctx.infer("review-conjecture",
                           f"'[{stripped}]' read as a conjectural reading", offset)
            return None
        if (glued_before or glued_after) and _words(stripped) <= 2:
            self.out.add("supplied", stripped, reason="completion")
            return None
        if _words(stripped) <= MAX_SUPPLIED_WORDS and ":" not in stripped and ";" not in stripped:
            self.out.add("supplied", stripped, reason="clarification")
            return None
        if ";" in stripped or _words(stripped) > MAX_SUPPLIED_WORDS or (
                "," in stripped and ":" not in stripped):
            self._note("editorial", stripped)
            self.ctx.infer("review-editorial-note",
                           f"'[{_short(stripped)}]' read as an editorial note", offset)
            return None
        self.out.text(match.group(0))
        self.ctx.warn("bracket-unknown",
                      f"'[{_short(stripped)}]' is not a known editorial convention; kept as "
                      "text. Encode it by hand or add the convention", offset)
        return None

    def handwritten(self, rest: str, match: re.Match[str], offset: int) -> int | None:
        rest = rest.strip()
        if not rest or rest in {".", ","}:
            # (the rest of the paragraph is looked at only at its start: a paragraph of many
            # markers would cost time in the square of its length)
            after = ""
            if self.out.is_empty() and _NOT_SPACE.search(self.text, 0, match.start()) is None:
                after = self.text[match.end():].strip()
            if after:
                # "[handwritten] Copy sent to P.R./UN.": the marker labels the paragraph
                content, _ = _strip_quotes(after)
                note = self.out.add("note", type="annotation", hand=self.ctx.use_hand(),
                                    cert="medium", resp="#converter")
                InlineEncoder(content, self.ctx, self.base + match.end(), note).run()
                self.ctx.infer("review-handwritten-scope",
                               "[handwritten] at the start of a paragraph taken to cover the "
                               f"whole paragraph: '{_short(content)}' (cert medium)", offset)
                return len(self.text)
            self.handwritten_scope(offset)
            return None
        descriptor, sep, content = rest.partition(":")
        number = None
        if not sep:
            # numbered marginalia carry their text inside the bracket:
            # [handwritten note in the left 1. Do they have pilots? ...]
            numbered = re.search(r"\s(\d{1,3})[.)]\s+", rest)
            placed = PLACE_PHRASE.match(rest)
            if numbered:
                descriptor, content = rest[:numbered.start()], rest[numbered.end():]
                number = numbered.group(1)
            elif placed:
                descriptor, content = placed.group("desc"), placed.group("content")
            else:
                descriptor, content = rest, ""
        elif m := LEADING_NUMBER.match(content):
            number = m.group(1)
            content = content[m.end():]
        content, unbalanced = _strip_quotes(content)
        consumed: int | None = None
        if not content:
            # the marker labels what follows it: the rest of the paragraph
            tail = self.text[match.end():]
            content, unbalanced = _strip_quotes(tail.strip())
            consumed = len(self.text)
            if not content:
                marker = _short(match.group(0).strip("[]"))
                self.ctx.warn("handwritten-empty",
                              f"'[{marker}]' names a handwritten note but no text follows it",
                              offset)
                self.out.text(match.group(0))
                return None
        place = _place_of(descriptor)
        page = _page_of(descriptor)
        note = self.out.add("note", type="annotation", hand=self.ctx.use_hand())
        if place:
            note.set("place", place)
        if number or page:
            note.set("n", number or page or "")
        InlineEncoder(content, self.ctx, self.base + offset, note).run()
        if unbalanced:
            self.ctx.infer("review-unbalanced-quote",
                           "an unbalanced quotation mark in a handwritten note was dropped",
                           offset)
        where = f"{place or 'unplaced'}" + (f", page {page}" if page else "")
        self.ctx.infer("review-handwritten-note",
                       f"handwritten note ({where}): '{_short(content)}'", offset)
        return consumed

    def handwritten_scope(self, offset: int) -> None:
        """``word [handwritten]``: the preceding word was written by hand (a guess)."""
        hand = self.ctx.use_hand()
        trailing = self.out.trailing_text()
        # a glued word a few words back is a struck word + its handwritten replacement
        recent = _recent_words(trailing, LOOKBACK_WORDS)
        for word in reversed(recent):
            # only within the same clause
            if CLAUSE_END.search(trailing, word.end()):
                break
            split = split_glued(word.group(0), self.ctx.lang, max_parts=2)
            if split is None or len(split.parts) != 2:
                continue
            cert = "medium" if word is recent[-1] else "low"
            self.out.replace_trailing_text(trailing[:word.start()])
            subst = self.out.add("subst", cert=cert, resp="#converter")
            child(subst, "del", split.parts[0], rend="strikethrough")
            child(subst, "add", split.parts[1], hand=hand)
            self.out.text(trailing[word.end():].rstrip())
            # the text after the marker will run on from this one
            self.joined_across_marker = True
            self.ctx.infer("review-handwritten-subst",
                           f"'{split.original}' before [handwritten] read as '{split.parts[0]}' "
                           f"struck through and '{split.parts[1]}' added by hand (cert {cert})",
                           offset)
            return
        match = _last_word(trailing)
        if match and match.group(1):
            self.out.replace_trailing_text(trailing[:match.start()])
            self.out.add("add", match.group(1), hand=hand, cert="medium", resp="#converter")
            self.out.text(_punctuation_only(match.group(2)))
            self.ctx.infer("review-handwritten-scope",
                           f"[handwritten] taken to cover the word before it: "
                           f"'{match.group(1)}' (cert medium)", offset)
            return
        if self.out.last_element() is not None:
            self.out.wrap_last("add", hand=hand, cert="low", resp="#converter")
            self.ctx.infer("review-handwritten-scope",
                           "[handwritten] taken to cover the element before it (cert low)",
                           offset)
            return
        self.out.add("add", hand=hand, cert="unknown", resp="#converter")
        self.ctx.warn("handwritten-scope-unknown",
                      "[handwritten] with nothing before it: its scope is unknown", offset)

    def sic(self, rest: str | None, offset: int) -> None:
        trailing = self.out.trailing_text()
        match = _last_word(trailing)
        rest = (rest or "").strip()
        if not match or not match.group(1):
            self.out.add("sic")
            return
        self.out.replace_trailing_text(trailing[:match.start()])
        if rest:
            cert = None
            correction = rest
            if m := re.match(r"^(?:probably|possibly|perhaps|likely)\s+(.*)$", rest,
                             re.IGNORECASE):
                correction, cert = m.group(1), "low"
            if m := re.match(r"^(.*?)\s+is\s+correct\.?$", correction, re.IGNORECASE):
                correction = m.group(1)
            correction, _ = _strip_quotes(correction)
            if _words(correction) <= 3 and correction:
                choice = self.out.add("choice")
                child(choice, "sic", match.group(1))
                corr = child(choice, "corr", correction)
                if cert:
                    corr.set("cert", cert)
                if correction != rest:
                    self._note("editorial", f"sic, {rest}")
            else:
                self.out.add("sic", match.group(1))
                self._note("editorial", rest)
        else:
            self.out.add("sic", match.group(1))
        self.out.text(_punctuation_only(match.group(2)))

    def crossed(self, stripped: str, match: re.Match[str], offset: int) -> int | None:
        content, _ = _strip_quotes(match.group(1) or "")
        if content:
            self.out.add("del", content, rend="strikethrough")
        else:
            trailing = self.out.trailing_text()
            word = _last_word(trailing)
            if word and word.group(1):
                self.out.replace_trailing_text(trailing[:word.start()])
                self.out.add("del", word.group(1), rend="strikethrough", cert="medium",
                             resp="#converter")
                self.out.text(_punctuation_only(word.group(2)))
                self.ctx.infer("review-deletion-scope",
                               f"'[{_short(stripped)}]' taken to cover '{word.group(1)}'", offset)
            else:
                self.out.add("del", rend="strikethrough")
        return None

    def stamp(self, content: str, stripped: str, match: re.Match[str]) -> int | None:
        content = content.strip()
        if content:
            self.out.add("stamp", content, type=_stamp_type(content))
            return None
        # an empty label stamps the rest of the paragraph, up to a page break (the break
        # and what follows it are encoded as usual)
        page_break = self.text.find("\f", match.end())
        tail = self.text[match.end():None if page_break < 0 else page_break].strip()
        if tail:
            self.out.add("stamp", tail, type=_stamp_type(tail))
            return len(self.text) if page_break < 0 else page_break
        self.out.add("stamp", stripped, type="other")
        return None

    def footnote(self, n: str, match: re.Match[str], offset: int) -> int | None:
        text = self.ctx.footnotes.get(n)
        if text is None or n in self.ctx.footnotes_used:
            self.out.text(match.group(0))
            if text is None:
                self.ctx.warn("footnote-unmatched",
                              f"footnote anchor [{n}] has no note text at the end of the "
                              "document; kept as text", offset)
            else:
                self.ctx.warn("footnote-repeated",
                              f"a second anchor for note {n}: the note stands at the first "
                              "one; this one is kept as text", offset)
            return None
        self.ctx.footnotes_used.add(n)    # before encoding: a note may quote its own anchor
        note = self.out.add("note", n=n, place="foot")
        InlineEncoder(text, self.ctx, self.base + offset, note).run()
        return None


def _punctuation_only(between: str) -> str:
    """What stood between a word and the marker after it, less the space before the marker."""
    return between.rstrip()


def _stamp_type(content: str) -> str:
    lowered = content.lower()
    if re.search(r"secret|confidential|classified|classification|restricted|top", lowered):
        return "classification"
    if re.search(r"\bno\.|\bnº|№|registr|incoming|outgoing|\bisk\b|\bvkh\b|\d+/\d+", lowered):
        return "registration"
    if re.search(r"receiv|arriv|eingang", lowered):
        return "received"
    return "other"


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


_MARKERS = re.compile(
    # every alternative starts with one of these characters: test that first, cheaply
    r"(?=[\[/(\f*])(?:"
    r"(?P<double_all>\[\[(?P<double>[^\[\]\n]{0,600})\]\])"
    r"|(?P<bracket_all>\[(?P<bracket>[^\[\]\n]{0,600})\])"
    r"|(?P<wordbreak>(?<=\w)//(?=\w)|(?<=\w )//(?= \w))"
    r"|(?P<slash_all>(?<![\w/:])/(?=[ \w])(?P<slash>[^/\[\]\n]{1,400}?)/(?![\w/]))"
    r"|(?P<paren_all>\((?P<paren>[^()\[\]\n]{1,400})\))"
    r"|(?P<formfeed>\f)"
    r"|(?P<asterisk>(?<=\w)\*{1,3}(?![\w*]))"
    r")"
)
#: the characters a marker can start with
_MARKER_START = ("[", "/", "(", "\f", "*")
_MARKER_START_CHAR = re.compile(r"[\[/(\f*]")


def _marker_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_MARKERS.finditer(text)`` finds, trying the markers only where one of their
    first characters stands (a search for a character class runs several times faster
    than one for the lookahead that opens ``_MARKERS``)."""
    candidate = _MARKER_START_CHAR.search(text)
    while candidate is not None:
        match = _MARKERS.match(text, candidate.start())
        if match is not None:
            yield match
            candidate = _MARKER_START_CHAR.search(text, match.end())
        else:
            candidate = _MARKER_START_CHAR.search(text, candidate.start() + 1)


def _may_hold_markers(text: str) -> bool:
    """Whether a marker can start anywhere in ``text`` (five substring tests: far cheaper
    than a regular expression scanning the text for a character class)."""
    return any(map(text.__contains__, _MARKER_START))

_LONG_WORD = re.compile(r"[A-Za-z]{6,}")
_COMMA_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z]),(?=[A-Za-z])")
#: the same commas, found faster from the comma (a literal the search can skip to)
_COMMA_BEFORE_LETTER = re.compile(r",(?=[A-Za-z])")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_LETTERS_AND_COMMA = _ASCII_LETTERS | {","}
_GLUE = re.compile(
    rf"(?<![\w\-'’])(?:(?P<comma_left>[A-Za-z]{{2,{MAX_COMMA_PART_LENGTH}}}),"
    rf"(?P<comma_right>[A-Za-z]{{2,{MAX_COMMA_PART_LENGTH}}})"
    rf"|(?P<token>[A-Za-z]{{{MIN_TOKEN_LENGTH},{MAX_TOKEN_LENGTH}}}))(?![\w\-'’])")

# ``lastgroup`` names the outer group; map it to the kind the encoder expects.
_KIND = {"double_all": "bracket", "bracket_all": "bracket", "slash_all": "slash",
         "paren_all": "paren", "wordbreak": "wordbreak", "formfeed": "formfeed",
         "asterisk": "asterisk"}


def fill(parent: etree._Element, text: str, ctx: InlineContext, base: int = 0, *,
         glued_free: bool = False) -> None:
    """Append the encoding of ``text`` to ``parent``'s content. Plain prose (most paragraphs
    of a transcript) goes straight into the text node. ``glued_free``: ``text`` is known to
    hold none of the document's glued tokens (see :meth:`InlineContext.is_plain`)."""
    may_hold_markers = _may_hold_markers(text)
    if not may_hold_markers and ctx.may_be_plain(text, glued_free=glued_free):
        if not text:
            return
        if len(parent):
            last = parent[-1]
            last.tail = text if last.tail is None else last.tail + text
        else:
            parent.text = text if parent.text is None else parent.text + text
        return
    InlineEncoder(text, ctx, base, parent, glued_free=glued_free).run(
        may_hold_markers=may_hold_markers)


__all__ = ["Inference", "InlineContext", "Mixed", "fill"]
