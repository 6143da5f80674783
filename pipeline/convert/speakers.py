"""Speaker labels: finding them, deciding which are real, and who is who.

A label is a candidate until the document gives evidence for it: initials (``N.S.
Khrushchev.``), an honorific (``Comrade Stalin:``), the name in the title or in a participant
list (``Participated in the conversation: Okada, Hozumi, Suzuki.``), or repetition. Field
labels (``Time:``, ``Subject:``) and sentences (``Mr. Mikoyan answered …``, ``Stalin said:``)
are never speakers. Labels naming the same person (``N.S. Khrushchev.``, ``Khrushchev.``,
``N. S. KHRUSHCHEV.``) resolve to one person id, a lowercase surname slug.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.convert.glued import zipf

UPPER = "A-ZА-ЯЁ"
LOWER = "a-zа-яёßäöüéèáíóúçñ"
NAME_WORD = rf"[{UPPER}][{UPPER}{LOWER}’'\-]*"
INITIALS = rf"(?:[{UPPER}]\.\s?){{1,3}}"

HONORIFICS = frozenset("""
comrade comrades cde cde. comr comr. tov tov. mr mr. mrs mrs. ms ms. miss dr dr. prof prof.
professor sir lord herr frau monsieur madame president vice-president vice premier prime
minister chairman chairwoman secretary general gen gen. marshal ambassador chancellor foreign
deputy first king queen prince emperor generalissimo senator governor mayor consul counsellor
counselor envoy chief head leader pm pres pres. md state party delegate representative
товарищ тов тов. господин г-н genosse bundeskanzler kanzler präsident premierminister
""".split())
PARTICLES = frozenset("van von de da di la le du del der den bin ibn al el ter zu y".split())
SIDE_WORDS = frozenset("""north south east west soviet american chinese japanese korean
vietnamese german french british polish side delegation""".split())
FIELD_WORDS = frozenset("""
time place date subject participants participant present citation summary source to from re
betr betr. archival signature interpreter interpreters recorder recorders translator
translated recorded note notes copy attachment enclosure distribution cc agenda contents
original language title author description here question answer answers questions reference
ref location venue classification telegram cable memo memorandum record minutes file
headquarters address addressee sender recipient item items topic topics point points result
results conclusion conclusions proposal proposals annex appendix p.s. ps nb n.b. also
secret top confidential urgent priority page chapter section part article paragraph
""".split())
SPEECH_VERBS = re.compile(
    r"\b(?:said|says|say|answered|answers|replied|replies|asked|asks|stated|states|noted|"
    r"notes|remarked|remarks|declared|declares|added|adds|responded|responds|continued|"
    r"continues|emphasized|stressed|explained|explains|told|wrote|writes|thinks|thought|"
    r"believes|proposed|proposes|suggested|agreed|objected|interrupted)\b", re.IGNORECASE)
COMMON_WORD_ZIPF = 4.6

TOKEN = re.compile(r"[\w’'\-]+\.?")
AN_INITIAL = re.compile(rf"[{UPPER}]\.?|(?:[{UPPER}]\.){{1,3}}")
STARTS_WITH_INITIALS = re.compile(INITIALS)
BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_SQUARE_BRACKETED = re.compile(r"\[[^\]]*\]")
_PARENTHESISED = re.compile(r"\([^)]*\)")
_DIGIT = re.compile(r"\d")
NUMBERED = re.compile(r"^\s*(?P<num>\d{1,4})\.\s+")
PERIOD_LABEL = re.compile(
    rf"^\s*(?P<label>(?P<name>(?:{INITIALS}\s?)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\.)"
    rf"(?=\s+\S)")
COLON_LABEL = re.compile(
    r"^\s*(?P<label>(?P<name>[^:\n()\[\]]{1,80}?(?:\s*\[[^\[\]\n]{1,60}\])?)"
    r"(?P<paren>\s*\([^()\n]{1,80}\))?\s*:)(?=\s|$|\.\.\.|…)")
CAPS_LABEL = re.compile(
    rf"^\s*(?P<label>(?P<name>[{UPPER}][{UPPER}.’'\-]+(?:\s+[{UPPER}][{UPPER}.’'\-]+){{0,3}}))"
    rf"\s+(?=[{UPPER}][{LOWER}])")
MIDLINE_COLON = re.compile(
    rf"(?<=[.?!…\"”»)\]])\s+(?P<label>(?P<name>(?:{INITIALS}\s?)?{NAME_WORD}"
    rf"(?:\s+{NAME_WORD}){{0,3}})(?P<paren>\s*\([^()\n]{{1,60}}\))?\s*:)(?=\s)")
ALIAS = re.compile(
    r"\((?:hereafter|hereinafter|henceforth)[,:]?\s+(?:referred to as\s+|as\s+)?(?P<a>[^()]+)\)"
    r"|\((?:to be\s+)?abbreviated\s+(?:as\s+)?(?P<b>[^()]+)\)", re.IGNORECASE)
PARTICIPANT_LINE = re.compile(
    r"^\s*(?:participated in the conversation|participating|participants|present|also present"
    r"|attending|in attendance|the conversation was attended by|present at the conversation"
    r"|present \[at the meeting\]|present at the meeting)"
    r"\s*(?:\[[^\]]*\])?\s*[:.-]\s*(?P<list>.+)$",
    re.IGNORECASE)
SPLIT_NAMES = re.compile(r"\s*(?:,|;|\band\b|\bи\b|\bund\b)\s*")


@dataclass(slots=True)
class Label:
    """A speaker label at the start of a stretch of speech."""

    text: str            # verbatim, with its punctuation: "Khrushchev.", "Comrade Stalin:"
    name: str            # the name it gives: "Khrushchev", "Comrade Stalin", "KIM"
    kind: str            # period | colon | caps
    start: int           # offset of the label in its paragraph
    end: int             # offset where the speech begins
    direction: str | None = None   # "(after the translation ended)"
    alias: str | None = None       # "(hereafter, Pham)" -> "Pham"
    number: str | None = None      # "72." in UN records
    midline: bool = False          # found inside a paragraph (flattened text)


@dataclass
class Person:
    id: str
    names: Counter[str] = field(default_factory=Counter)
    role: str = "participant"
    spoke: bool = False
    ref: str | None = None
    display: str | None = None

    def best_name(self) -> str:
        """The fullest form of the name seen, without titles: ``N.S. Khrushchev``."""
        if self.display:
            return self.display
        def quality(name: str) -> tuple[int, int, int]:
            has_initials = bool(STARTS_WITH_INITIALS.match(name))
            mixed = name != name.upper()
            return (mixed, has_initials, len(name))
        names = [_without_titles(n) for n in self.names] or [self.id]
        return max(names, key=quality)


def _without_titles(name: str) -> str:
    """``Counsellor J. Horn`` -> ``J. Horn``; a name that is only a title stays as it is."""
    words = name.split()
    k = 0
    while k < len(words) - 1 and (words[k].lower() in HONORIFICS or
                                  words[k].lower() in ARTICLES):
        k += 1
    return " ".join(words[k:])


def _tokens(name: str) -> list[str]:
    return TOKEN.findall(name)


ARTICLES = frozenset(["the", "a", "an", "der", "die", "das", "le", "la", "les"])


def core_name(name: str) -> list[str]:
    return list(_core_name(name))


@lru_cache(maxsize=4096)
def _core_name(name: str) -> tuple[str, ...]:
    """The words of a name without honorifics, initials and brackets.

    A label that is only a title (``The Chancellor:``) keeps the title as its name.
    """
    name = BRACKETED.sub(" ", name)
    words: list[str] = []
    titles: list[str] = []
    for token in _tokens(name):
        bare = token.rstrip(".")
        low = token.lower()
        if low in ARTICLES:
            continue
        if low in HONORIFICS or bare.lower() in HONORIFICS:
            titles.append(bare)
            continue
        if AN_INITIAL.fullmatch(token):
            continue  # an initial
        words.append(bare)
    return tuple(words or titles)


def slug(words: list[str]) -> str:
    text = " ".join(words).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _transliterate(text)
    text = _NOT_SLUG_CHARS.sub("-", text).strip("-")
    if not text:
        return "person"
    return text if text[0].isalpha() else f"person-{text}"


_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"],
    strict=True))


def _transliterate(text: str) -> str:
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def _is_name_word(word: str) -> bool:
    bare = word.rstrip(".")
    if not bare:
        return False
    if bare.lower() in PARTICLES or bare.lower() in HONORIFICS or word.lower() in HONORIFICS:
        return True
    return bare[0].isupper() and not any(ch.isdigit() for ch in bare)


@lru_cache(maxsize=4096)
def _has_real_name(name: str) -> bool:
    """More than titles and initials: ``Comrade Stalin`` yes, ``Tov.`` or ``Mr.`` no."""
    return any(t.lower() not in HONORIFICS and t.lower().rstrip(".") not in HONORIFICS
               and t.lower() not in ARTICLES and not AN_INITIAL.fullmatch(t)
               for t in _tokens(name))


def _has_honorific(name: str) -> bool:
    return any(t.lower() in HONORIFICS or t.lower().rstrip(".") in HONORIFICS
               for t in _tokens(name))


def _paren_is_direction(paren: str) -> bool:
    inner = paren.strip()[1:-1].strip()
    return bool(inner) and (inner[0].islower() or _words(inner) > 3)


def _words(text: str) -> int:
    return len(text.split())


def find_label(text: str) -> Label | None:
    """The label at the start of a paragraph, if its shape is a label's (evidence comes later)."""
    offset = 0
    number = None
    if m := NUMBERED.match(text):
        number, offset = m.group("num"), m.end()
    rest = text[offset:]
    head = rest[:120]
    if ":" in head and (m := COLON_LABEL.match(rest)):
        name = m.group("name").strip()
        paren = (m.group("paren") or "").strip() or None
        words = _tokens(_SQUARE_BRACKETED.sub(" ", name))
        if words and len(words) <= 7 and words[0][:1].isupper() and all(
                _is_name_word(w) for w in words) and not SPEECH_VERBS.search(name):
            label = Label(text=text[offset + m.start("label"):offset + m.end("label")].strip(),
                          name=name, kind="colon", start=offset + m.start("label"),
                          end=offset + m.end(), number=number)
            if paren:
                alias = ALIAS.search(paren)
                if alias:
                    label.alias = (alias.group("a") or alias.group("b")).strip()
                elif _paren_is_direction(paren):
                    label.direction = paren
                elif name.lower() in SIDE_WORDS or name.split()[0].lower() in SIDE_WORDS:
                    label.name = paren.strip()[1:-1].strip()
            return label
    if number is not None:
        return None
    if "." in head and (m := PERIOD_LABEL.match(rest)):
        name = m.group("name").strip()
        if _has_real_name(name):
            return Label(text=m.group("label"), name=name, kind="period",
                         start=m.start("label"), end=m.end())
    if m := CAPS_LABEL.match(rest):
        name = m.group("name").strip()
        if len(name.replace(" ", "")) >= 3 and not _DIGIT.search(name):
            return Label(text=m.group("label"), name=name, kind="caps",
                         start=m.start("label"), end=m.end())
    return None


def find_midline_labels(text: str) -> list[Label]:
    """Colon labels inside a paragraph (flattened text): ``…bureaucratic. Pham Van Dong: How``."""
    labels: list[Label] = []
    if ":" not in text:
        return labels
    for m in MIDLINE_COLON.finditer(text):
        name = m.group("name").strip()
        if SPEECH_VERBS.search(name):
            continue
        label = Label(text=m.group("label").strip(), name=name, kind="colon",
                      start=m.start("label"), end=m.end(), midline=True)
        paren = (m.group("paren") or "").strip()
        if paren and _paren_is_direction(paren):
            label.direction = paren
        labels.append(label)
    return labels


def participant_names(text: str) -> list[str]:
    """Names in a participant line (``Present: A, B and C.``), or [] if it is not one."""
    m = PARTICIPANT_LINE.match(text)
    if not m:
        return []
    names = []
    for part in SPLIT_NAMES.split(m.group("list").rstrip(". ")):
        part = _PARENTHESISED.sub("", part).strip(" .")
        if part and core_name(part) and not any(ch.isdigit() for ch in part):
            names.append(part)
    return names


def title_tokens(title: str) -> set[str]:
    """Words of a title that can name a person: capitalised and not common words."""
    found = set()
    for word in re.findall(rf"{NAME_WORD}", title):
        low = word.lower()
        if low in HONORIFICS or low in PARTICLES:
            continue
        if zipf(low) < COMMON_WORD_ZIPF:
            found.add(low)
    return found


def title_names(title: str) -> list[str]:
    """Person names in a title given with initials: ``N.S. Khrushchev``, ``M. Suzuki``."""
    pattern = rf"{INITIALS}\s?{NAME_WORD}(?:\s+{NAME_WORD})?"
    names = []
    for m in re.finditer(pattern, title):
        name = m.group(0)
        words = name.split()
        # stop before a following capitalised word that is not part of the name
        if len(words) > 1 and not STARTS_WITH_INITIALS.match(words[-2] + " ") and \
                zipf(words[-1].lower()) >= COMMON_WORD_ZIPF:
            name = " ".join(words[:-1])
        names.append(name)
    return names


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    """What labels naming the same person share: the lower-cased core of the name."""
    return " ".join(w.lower() for w in _core_name(name)) or name.lower()


@lru_cache(maxsize=4096)
def _lowered_words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _core_name(name))


class SpeakerEvidence:
    """Decides which candidate labels are speakers, from evidence across the document."""

    def __init__(self, *, title: str, participants: list[str], aliases: dict[str, str]):
        self.title_tokens = title_tokens(title)
        self.participant_tokens = {w.lower() for name in participants for w in core_name(name)}
        self.known_tokens = self.title_tokens | self.participant_tokens
        self.aliases = {k.lower(): v for k, v in aliases.items()}
        self.counts: Counter[str] = Counter()
        self.reasons: dict[str, str] = {}

    @staticmethod
    def key(label: Label) -> str:
        return _name_key(label.name)

    def observe(self, label: Label) -> None:
        self.counts[self.key(label)] += 1

    def accept(self, label: Label) -> str | None:
        """Why ``label`` is a speaker, or None if it is not one."""
        key = self.key(label)
        words = core_name(label.name)
        if not words:
            return None
        if label.name.lower() in self.aliases or key in self.aliases:
            return "declared in edition.toml"
        first = words[0].lower()
        if first in FIELD_WORDS or key in FIELD_WORDS or label.name.lower().rstrip(".") in \
                FIELD_WORDS:
            return None
        lowered = _lowered_words(label.name)
        known = bool(lowered) and lowered <= self.known_tokens
        if label.kind == "colon":
            if label.midline:
                if known:
                    return f"'{label.name}' is named in the title or participant list"
                if self.counts[key] >= 2:
                    return f"'{label.name}:' introduces {self.counts[key]} stretches of speech"
                return None
            if _has_honorific(label.name):
                return "a label with a title or honorific"
            if known:
                return f"'{label.name}' is named in the title or participant list"
            if self.counts[key] >= 2:
                return f"'{label.name}:' labels {self.counts[key]} paragraphs"
            if label.alias:
                return "a label that declares its short form"
            return None
        if label.kind == "period":
            if STARTS_WITH_INITIALS.match(label.name):
                return "initials and a surname"
            if known:
                return f"'{label.name}' is named in the title or participant list"
            if self.counts[key] >= 2 and (len(words) > 1 or zipf(key) < COMMON_WORD_ZIPF):
                return f"'{label.name}.' labels {self.counts[key]} paragraphs"
            return None
        if label.kind == "caps":
            if known and len(words) >= 1:
                return f"'{label.name}' is named in the title or participant list"
            if self.counts[key] >= 2 and zipf(key) < COMMON_WORD_ZIPF:
                return f"'{label.name}' labels {self.counts[key]} paragraphs"
        return None


class PersonIndex:
    """One person per real person, however they are labelled."""

    def __init__(self, aliases: dict[str, str] | None = None,
                 persons: dict[str, dict[str, str]] | None = None) -> None:
        self.persons: dict[str, Person] = {}
        self.aliases = {k.lower(): v for k, v in (aliases or {}).items()}
        self.configured = persons or {}
        self.short_forms: dict[str, str] = {}
        self._resolved: dict[str, str] = {}   # label name -> person id, once decided

    def resolve(self, name: str, *, spoke: bool = False, alias: str | None = None) -> Person:
        pid = self._resolved.get(name)
        if pid is None:
            words = core_name(name)
            pid = self.aliases.get(name.lower()) or self.aliases.get(" ".join(words).lower())
            if pid is None:
                key = slug(words)
                pid = self.short_forms.get(key) or self._match_existing(words) or key
            self._resolved[name] = pid
        person = self.persons.get(pid)
        if person is None:
            person = Person(pid)
            data = self.configured.get(pid, {})
            person.display = data.get("name")
            person.ref = data.get("ref") or (
                f"https://www.wikidata.org/wiki/{data['wikidata']}" if data.get("wikidata")
                else None)
            self.persons[pid] = person
        person.names[_display(name)] += 1
        person.spoke = person.spoke or spoke
        if alias:
            self.short_forms[slug(core_name(alias))] = pid
            self._resolved.pop(alias, None)
        return person

    def _match_existing(self, words: list[str]) -> str | None:
        low = [w.lower() for w in words]
        if not low:
            return None
        matches = []
        for pid, person in self.persons.items():
            for seen in person.names:
                seen_words = [w.lower() for w in core_name(seen)]
                if not seen_words:
                    continue
                if len(low) == 1 and low[0] in (seen_words[0], seen_words[-1]):
                    matches.append(pid)
                    break
                if len(seen_words) == 1 and seen_words[0] in (low[0], low[-1]):
                    matches.append(pid)
                    break
        matches = list(dict.fromkeys(matches))
        return matches[0] if len(matches) == 1 else None

    def merge_short_into_long(self) -> dict[str, str]:
        """After all names are known: ``mao`` joins ``mao-zedong``. Returns old -> new ids."""
        moved: dict[str, str] = {}
        ids = sorted(self.persons, key=lambda p: -len(p))
        for pid in list(self.persons):
            if "-" in pid:
                continue
            longer = [other for other in ids if other != pid and "-" in other and
                      pid in (other.split("-")[0], other.split("-")[-1])]
            if len(longer) == 1:
                target = self.persons[longer[0]]
                source = self.persons.pop(pid)
                target.names.update(source.names)
                target.spoke = target.spoke or source.spoke
                moved[pid] = longer[0]
        return moved


@lru_cache(maxsize=4096)
def _display(name: str) -> str:
    """A label's name in reading case: ``N. S. KHRUSHCHEV`` -> ``N. S. Khrushchev``."""
    name = re.sub(r"\s+", " ", name).strip().rstrip(".:")
    if name.isupper():
        name = " ".join(w if re.fullmatch(rf"(?:[{UPPER}]\.)+", w) else w.capitalize()
                        for w in name.split())
    return name
