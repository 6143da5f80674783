"""Each editorial marker of the catalogue becomes its TEI markup (pipeline.convert.inline)."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.convert.inline import InlineContext, fill
from pipeline.tei import E


def encode(text: str, **ctx_args) -> tuple[str, InlineContext]:
    ctx = InlineContext(**ctx_args)
    p = E.p()
    fill(p, text, ctx)
    xml = etree.tostring(p, encoding=str)
    xml = xml.replace(' xmlns="http://www.tei-c.org/ns/1.0"', "")
    return xml[3:-4], ctx


CASES = [
    # handwriting
    ("see [handwritten], that",
     'see <add hand="#hand-1" cert="medium" resp="#converter">see</add>'[4:] + ", that"),
    ("we can givesell [handwritten] it",
     'we can <subst cert="medium" resp="#converter"><del rend="strikethrough">give</del>'
     '<add hand="#hand-1">sell</add></subst> it'),
    ("[Handwritten: \"Copy\"]", '<note type="annotation" hand="#hand-1">Copy</note>'),
    ("[handwritten above: A report is being given]",
     '<note type="annotation" hand="#hand-1" place="above">A report is being given</note>'),
    ("[Handwritten at the bottom of page one] Not reviewed",
     '<note type="annotation" hand="#hand-1" place="bottom" n="1">Not reviewed</note>'),
    ("[handwritten note in the left 1. Do they have pilots?\"]",
     '<note type="annotation" hand="#hand-1" place="margin-left" n="1">Do they have pilots?'
     '</note>'),
    # illegible, omissions, damage
    ("that [illegible] very", 'that <gap reason="illegible"/> very'),
    ("[Illegible], Austria", '<gap reason="illegible"/>, Austria'),
    ("(illegible signature)",
     '<gap reason="illegible" rend="parentheses"><desc>illegible signature</desc></gap>'),
    ("[signature illegible 31/XII]",
     '<gap reason="illegible"><desc>signature illegible 31/XII</desc></gap>'),
    ("end [...] and […]", 'end <gap reason="omitted"/> and <gap reason="omitted"/>'),
    # supplied
    ("the [Japanese] Socialist", 'the <supplied reason="clarification">Japanese</supplied> Socialist'),
    ("a high[er] density", 'a high<supplied reason="completion">er</supplied> density'),
    ("comr[ade].", 'comr<supplied reason="completion">ade</supplied>.'),
    ("P[olit]b[uro]", 'P<supplied reason="completion">olit</supplied>b'
     '<supplied reason="completion">uro</supplied>'),
    ("on [my?] request", 'on <supplied reason="conjecture" cert="low">my</supplied> request'),
    # sic
    ("the zone [sic] here", "the <sic>zone</sic> here"),
    ("Comrade S. [SIC; V. is correct] Kovalev",
     'Comrade <choice><sic>S</sic><corr>V.</corr></choice><note type="editorial" '
     'place="inline">sic, V. is correct</note>. Kovalev'),
    # deletions, stamps, page breaks
    ("[Crossed out: \"for example\"]", '<del rend="strikethrough">for example</del>'),
    ("[Stamp 042. 4 January 1961]", '<stamp type="other">042. 4 January 1961</stamp>'),
    # an empty stamp label stamps the rest of the paragraph, up to a page break inside it
    ("a [stamp:] Personal x\fy", 'a <stamp type="other">Personal x</stamp> <pb/>y'),
    ("[page break]", "<pb/>"),
    ("[Page 47]At", '<pb n="47"/>At'),
    ("Ки//тая", 'Ки<pb break="no"/>тая'),
    # notes
    ("cucumbers (translator's note: sea cucumbers)",
     'cucumbers <note type="translator" place="inline" rend="parentheses">'
     "translator's note: sea cucumbers</note>"),
    ("[this was cancelled--ed.]", '<note type="editorial" place="inline">this was cancelled</note>'),
    ('[literally, "the Queen"]', '<note type="translator" place="inline">literally, "the Queen"</note>'),
    ("[Chinese signature] Liu", '<note type="editorial" place="inline">Chinese signature</note> Liu'),
    # stage remarks
    ("judgment. /Laughter/. Reckless",
     'judgment. <stage type="delivery" rend="slashes">Laughter</stage>. Reckless'),
    ("us. / Japanese laugh approvingly /.",
     'us. <stage type="delivery" rend="slashes">Japanese laugh approvingly</stage>.'),
    ("(laughter)", '<stage type="delivery" rend="parentheses">laughter</stage>'),
    ("Shi Zhe /Karskii/ said", "Shi Zhe /Karskii/ said"),
    ("on 31/XII and/or", "on 31/XII and/or"),
    # glued words
    ("Bucharest and Austriainspire us",
     'Bucharest and <choice><orig>Austriainspire</orig><reg resp="#converter" cert="high">'
     "Austria inspire</reg></choice> us"),
    ("Mr. Khrushchev,will henceforth",
     'Mr. <choice><orig>Khrushchev,will</orig><reg resp="#converter" cert="high">'
     "Khrushchev, will</reg></choice> henceforth"),
    ("Mikoyan and Katayama met", "Mikoyan and Katayama met"),
    # not markers
    ("[email\u00a0protected]", "[email\u00a0protected]"),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:30] for c in CASES])
def test_marker(text: str, expected: str) -> None:
    xml, _ = encode(text)
    assert xml == expected


def test_footnote_moves_to_anchor() -> None:
    xml, ctx = encode("9 October 1973[1] was", footnotes={"1": "Written in pencil."})
    assert xml == '9 October 1973<note n="1" place="foot">Written in pencil.</note> was'
    assert ctx.footnotes_used == {"1"}


def test_unknown_bracket_is_kept_and_reported() -> None:
    xml, ctx = encode("see [Ref: X-12/4]")
    assert xml == "see [Ref: X-12/4]"
    assert [i.code for i in ctx.inferences] == ["bracket-unknown"]
    assert ctx.inferences[0].severity == "warning"


def test_inferences_are_recorded_for_review() -> None:
    _, ctx = encode("right [handwritten] and Austriainspire")
    assert [i.code for i in ctx.inferences] == ["review-handwritten-scope", "review-glued-word"]
    assert ctx.hands_used == {"#hand-1"}


def test_glued_words_only_in_english() -> None:
    xml, _ = encode("Austriainspire", lang="de")
    assert xml == "Austriainspire"
