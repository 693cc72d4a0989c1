"""Nearby topics the knowledge base leaves to others (kb/outside.yaml): loading, errors, matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.content.glossary import Source
from assistant.content.kb import load_kb
from assistant.content.outside import OutsideTopic, load_outside, outside_topic
from assistant.content.problems import KBError
from assistant.settings import ROOT

SOURCES = {"duo": Source("duo", "DUO: Studiefinanciering", url="https://duo.nl/particulier/studiefinanciering/"),
           "seed": Source("seed", "Een seed", seed="000.txt")}


def test_the_kb_lists_topics_whose_sources_exist() -> None:
    kb = load_kb(ROOT / "kb")
    ids = {t.id for t in kb.outside}
    assert {"studiefinanciering", "hoger-onderwijs", "inburgering"} <= ids
    assert all(t.source is None or kb.sources[t.source].url for t in kb.outside)


def test_words_match_whole_words_compounds_and_spelling_variants() -> None:
    topic = OutsideTopic("studiefinanciering", "studiefinanciering", ("studiefinanciering", "stufi", "ov-kaart"))
    assert topic.named_in("Krijg ik Studiefinanciering in de derde leerweg?")
    assert topic.named_in("hoe zit het met studiefinancieringsaanvragen")  # a long word also in compounds
    assert topic.named_in("krijg ik stufi?") and topic.named_in("en mijn ov kaart?")
    assert not topic.named_in("stufis en zo")  # a short word only whole
    assert not topic.named_in("Wat is de derde leerweg?")


def test_a_topic_the_best_section_names_is_not_outside() -> None:
    hbo = OutsideTopic("hoger-onderwijs", "het hbo", ("hbo", "universiteit"))
    assert outside_topic("kan ik na mbo 4 naar het hbo?", "Mbo-niveau 4 geeft toegang tot het hbo.", [hbo]) is None
    assert outside_topic("kan ik na mbo 4 naar het hbo?", "Een doorlopende leerroute loopt tot het mbo-diploma.",
                         [hbo]) is hbo


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outside.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_name_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, """topics:
  - id: a
    name: studiefinanciering
    words: [stufi]
    source: nergens
  - id: b
    name: nog iets
    words: [stufi]
  - id: c
    name: zonder woorden
    words: []
  - id: d
    name: seed als verwijzing
    words: [iets]
    source: seed
    kleur: rood
""")
    with pytest.raises(KBError) as exc:
        load_outside(path, SOURCES)
    messages = [str(p) for p in exc.value.problems]
    assert any(m.endswith(":5: topic 'a': source 'nergens' is not in kb/sources.yaml") for m in messages)
    assert any(":8: topic 'b': word 'stufi' is also a word of 'a'" in m for m in messages)
    assert any(":11: topic 'c': 'words' must be a non-empty list of text" in m for m in messages)
    assert any(":15: topic 'd': source 'seed' has no url to refer to" in m for m in messages)
    assert any(":16: topic 'd': unknown field 'kleur'" in m for m in messages)


def test_a_missing_file_means_no_topics_and_a_bad_one_fails_kb_check(tmp_path: Path) -> None:
    assert load_outside(tmp_path / "outside.yaml", SOURCES) == []
    with pytest.raises(KBError):
        load_outside(_write(tmp_path, "- just a list\n"), SOURCES)
