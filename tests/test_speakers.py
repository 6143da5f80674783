"""Speaker labels in every syntax of the catalogue, and the look-alikes that are not labels."""

from __future__ import annotations

import pytest

from pipeline.convert.body import build_body
from pipeline.convert.speakers import PersonIndex, SpeakerEvidence, find_label
from pipeline.source import Block


@pytest.mark.parametrize(("text", "label", "name"), [
    ("Khrushchev. I am glad", "Khrushchev.", "Khrushchev"),
    ("K. YASUI. I am very thankful", "K. YASUI.", "K. YASUI"),
    ("N. S. KHRUSHCHEV. Not at all", "N. S. KHRUSHCHEV.", "N. S. KHRUSHCHEV"),
    ("L.I. BREZHNEV. Thank you.", "L.I. BREZHNEV.", "L.I. BREZHNEV"),
    ("N.S. Khrushchev. I apologize", "N.S. Khrushchev.", "N.S. Khrushchev"),
    ("HO CHI MINH Why did Kennedy", "HO CHI MINH", "HO CHI MINH"),
    ("Mao Zedong: Just normal", "Mao Zedong:", "Mao Zedong"),
    ("Comrade Stalin: In China a war", "Comrade Stalin:", "Comrade Stalin"),
    ("Dr. Kissinger: Yes.", "Dr. Kissinger:", "Dr. Kissinger"),
    ("North (KIM): Is President Park", "North (KIM):", "KIM"),
    ("F. Castro:", "F. Castro:", "F. Castro"),
    (" Gorbachev. On the one hand", "Gorbachev.", "Gorbachev"),
    ("72. Mr. AIKEN (Ireland): Mr. President", "Mr. AIKEN (Ireland):", "Mr. AIKEN"),
    ("Comrade E. Honecker: remarked that although", "Comrade E. Honecker:",
     "Comrade E. Honecker"),
    ("Krenz:... At the Politburo", "Krenz:", "Krenz"),
    ("Хрущев. Очень хорошо.", "Хрущев.", "Хрущев"),
])
def test_label_shapes(text: str, label: str, name: str) -> None:
    found = find_label(text)
    assert found is not None
    assert (found.text, found.name) == (label, name)


def test_direction_and_alias_in_labels() -> None:
    directed = find_label("N.S. Khrushchev (after the translation ended): It is clear")
    assert directed is not None and directed.direction == "(after the translation ended)"
    declared = find_label("Prime Minister Pham (hereafter, Pham): We are very glad")
    assert declared is not None and declared.alias == "Pham"
    korean = find_label("Kim Gwang-hyeop [Kim Kwang Hyop] (to be abbreviated as Kim): Yes")
    assert korean is not None and korean.alias == "Kim"


@pytest.mark.parametrize("text", [
    "Stalin said: This is what", "comrades: we must", "Mr. Mikoyan answered that",
])
def test_not_label_shapes(text: str) -> None:
    assert find_label(text) is None


@pytest.mark.parametrize("text", [
    "Time: 10:30", "Place: Kremlin", "Subject: Fisheries", "Citation: RGANI",
    "PARTICIPANTS: A, B", "Interpreter and recorder: Ivanov", "Betr.: Besuch",
    "Archival Signature: 12", "Xinhua Press Headquarters: the news",
    "Secondly. It seemed to me", "Know. That is all",
])
def test_look_alikes_are_not_accepted(text: str) -> None:
    label = find_label(text)
    evidence = SpeakerEvidence(title="Record of Conversation with Mao Zedong", participants=[],
                               aliases={})
    if label is not None:
        evidence.observe(label)
        assert evidence.accept(label) is None


def _body(*paragraphs: str, title: str = "") -> dict[str, int]:
    blocks = [Block(text, i + 1) for i, text in enumerate(paragraphs)]
    result, _ = build_body(blocks, title=title)
    return result.speakers


def test_one_person_however_labelled() -> None:
    speakers = _body("N.S. Khrushchev. Good day.", "Suzuki. Thank you.",
                     "Khrushchev. Let us begin.", "N. S. KHRUSHCHEV. Not at all.",
                     title="Conversation of N.S. Khrushchev with M. Suzuki")
    assert speakers == {"khrushchev": 3, "suzuki": 1}


def test_declared_short_form_binds() -> None:
    speakers = _body("Prime Minister Pham (hereafter, Pham): We are glad.",
                     "Kosygin: Welcome.", "Pham: Thank you.", "Kosygin: Please sit.")
    assert speakers == {"pham": 2, "kosygin": 2}


def test_participant_list_is_evidence() -> None:
    speakers = _body("Hozumi. A question.", "Answer given.",
                     "Participated in the conversation: Okada, Hozumi.")
    assert speakers == {"hozumi": 1}


def test_reported_speech_has_no_turns() -> None:
    assert _body("N.S. Khrushchev responds that the policy is unchanged.",
                 "Stalin said: This is what we think.") == {}


def test_labels_mid_line_in_flattened_text() -> None:
    speakers = _body("Pham Van Dong: How are you. Mao Zedong: I am a bit bureaucratic. "
                     "Pham Van Dong: How is the weather. Mao Zedong: Fine.",
                     title="Mao Zedong and Pham Van Dong")
    assert speakers == {"pham-van-dong": 2, "mao-zedong": 2}


def test_label_alone_on_its_line() -> None:
    blocks = [Block("F. Castro:", 1), Block("Do you want to know", 2)]
    result, _ = build_body(blocks, title="Castro")
    assert result.speakers == {"castro": 1}


def test_short_name_joins_full_name() -> None:
    index = PersonIndex()
    index.resolve("Mao Zedong", spoke=True)
    index.resolve("Mao", spoke=True)
    assert list(index.persons) == ["mao-zedong"]
