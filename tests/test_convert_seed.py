"""The reference page converts to the document the acceptance criteria describe."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.convert import convert_path
from pipeline.tei import NS
from tests.conftest import SEED_PAGE, check_golden, needs_shared

pytestmark = needs_shared


@pytest.fixture(scope="module")
def seed():
    return convert_path(SEED_PAGE)


def xp(conversion, expression: str):
    return conversion.tree.xpath(expression, namespaces=NS)


def test_golden(seed, update_goldens):
    from tests.conftest import ROOT

    check_golden(ROOT / "tests/golden/convert/1960-08-29_khrushchev-suzuki.xml",
                 seed.tei_bytes.decode("utf-8"), update_goldens)


def test_turns_by_speaker(seed):
    assert len(xp(seed, "//tei:sp")) == 25
    counts = {who: int(xp(seed, f"count(//tei:sp[@who='#{who}'])"))
              for who in ("khrushchev", "suzuki", "okada", "hozumi")}
    assert counts == {"khrushchev": 13, "suzuki": 8, "okada": 3, "hozumi": 1}
    assert len(xp(seed, "//tei:sp/tei:speaker")) == 25
    assert not xp(seed, "//tei:sp[not(tei:p)]")


def test_continuation_paragraphs_stay_in_the_turn(seed):
    second = xp(seed, "//tei:sp[2]")[0]
    assert [etree.QName(c).localname for c in second] == ["speaker", "p", "p"]


def test_illegible_gaps(seed):
    assert len(xp(seed, "//tei:body//tei:gap[@reason='illegible']")) == 3
    assert not xp(seed, "//tei:gap/@quantity")


def test_handwritten_markers(seed):
    adds = xp(seed, "//tei:body//tei:add[@hand='#hand-1'][not(parent::tei:subst)]")
    substs = xp(seed, "//tei:body//tei:subst")
    assert len(adds) + len(substs) == 6
    assert sorted(a.text for a in adds) == ["Marxist-Leninist", "right", "see", "some"]
    for subst in substs:
        assert [etree.QName(c).localname for c in subst] == ["del", "add"]
        assert subst[0].text == "give" and subst[1].text == "sell"
        assert subst[1].get("hand") == "#hand-1" and subst.get("cert")
    assert all(a.get("cert") == "medium" and a.get("resp") == "#converter" for a in adds)
    assert xp(seed, "//tei:handNote[@xml:id='hand-1']")


def test_bottom_of_page_note(seed):
    note = xp(seed, "//tei:body//tei:note[@type='annotation']")
    assert len(note) == 1
    assert note[0].get("place") == "bottom" and note[0].get("hand") == "#hand-1"
    assert note[0].get("n") == "1"
    assert note[0].text == "Not reviewed by N.S. Khrushchev"


def test_supplied(seed):
    supplied = [(s.text, s.get("reason")) for s in xp(seed, "//tei:body//tei:supplied")]
    assert ("Japanese", "clarification") in supplied
    assert ("er", "completion") in supplied
    assert ("government", "clarification") in supplied


def test_stage_remarks(seed):
    stages = xp(seed, "//tei:body//tei:stage")
    assert len(stages) == 4
    assert {s.get("type") for s in stages} == {"delivery"}
    assert all(s.getparent().tag.endswith("}p") for s in stages)
    assert [s.text for s in stages] == ["Japanese laugh approvingly", "Laughter", "Laughter",
                                        "laughter"]


def test_glued_words(seed):
    origs = [c.findtext("tei:orig", namespaces=NS) for c in xp(seed, "//tei:choice")]
    assert "Austriainspire" in origs and "beconvincedthe" in origs
    reg = xp(seed, "//tei:choice[tei:orig='Austriainspire']/tei:reg")[0]
    assert reg.text == "Austria inspire" and reg.get("resp") == "#converter"
    assert reg.get("cert") in {"high", "medium", "low"}


def test_closer(seed):
    closer = xp(seed, "//tei:closer")[0]
    assert [s.text for s in closer.findall("tei:signed", NS)] == [
        "Translated:Rozhetskin A.M.", "Recorded:Tugarinov I. I. and Rozhetskin A.M."]
    assert closer.findtext("tei:seg[@type='registration']", namespaces=NS) == "Isk. 837/86-ne"


def test_header(seed):
    assert xp(seed, "string(/tei:TEI/@xml:id)") == "wcda-1960-08-29-khrushchev-suzuki"
    assert xp(seed, "string(//tei:creation/tei:date/@when)") == "1960-08-29"
    assert xp(seed, "string(//tei:titleStmt/tei:title[@type='main'])").startswith(
        "Record of Conversation of N.S. Khrushchev")
    ms = xp(seed, "//tei:msIdentifier")[0]
    assert ms.findtext("tei:repository", namespaces=NS) == "RGANI"
    assert [(i.get("type"), i.text) for i in ms.findall("tei:idno", NS)] == [
        ("fond", "52"), ("opis", "1"), ("delo", "596")]
    locus = xp(seed, "//tei:msItem/tei:locus")[0]
    assert (locus.get("from"), locus.get("to"), locus.text) == ("110", "123", "ll. 110-123")
    assert xp(seed, "string(//tei:bibl[@type='citation'])") == \
        "RGANI, f. 52, op. 1, d. 596 , ll. 110-123"
    resp = {(r.findtext("tei:resp", namespaces=NS), r.findtext("tei:persName", namespaces=NS))
            for r in xp(seed, "//tei:titleStmt/tei:respStmt")}
    assert resp == {("Contributed by", "Sergey Radchenko"), ("Translated by", "Allison Smith")}
    assert xp(seed, "string(//tei:funder)") == "Blavatnik Family Foundation"
    assert "welcomes reuse of Digital Archive materials" in xp(seed, "string(//tei:licence)")
    assert xp(seed, "string(//tei:abstract/tei:p)").startswith("Khrushchev and Suzuki discuss")
    assert xp(seed, "string(//tei:term[@type='genre'])") == "Memorandum of Conversation"
    persons = {p.get("{http://www.w3.org/XML/1998/namespace}id"): p.findtext(
        "tei:persName", namespaces=NS) for p in xp(seed, "//tei:person")}
    assert persons == {"khrushchev": "N.S. Khrushchev", "suzuki": "M. Suzuki",
                       "okada": "Okada", "hozumi": "Hozumi"}


def test_every_line_accounted_for(seed):
    covered: set[int] = set()
    for entry in seed.report.details["accounting"]:
        covered.update(range(entry["first"], entry["last"] + 1))
    assert covered == set(range(1, seed.source.line_count + 1))


def test_review_lists_the_inferences(seed):
    codes = [item["code"] for item in seed.report.details["review"]]
    assert codes.count("review-handwritten-scope") == 4
    assert codes.count("review-handwritten-subst") == 2
    assert "review-glued-word" in codes and "review-speaker" in codes
    assert not [d for d in seed.report.diagnostics if d.severity.value == "error"]


def test_deterministic(seed):
    assert convert_path(SEED_PAGE).tei_bytes == seed.tei_bytes
