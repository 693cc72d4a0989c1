"""No editor's note or internal word reaches a reader: not in an article, an answer, or the app's own texts."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from assistant.answers.compose import NEAR_MISS_TEXT, OFF_TOPIC_TEXT
from assistant.answers.gaps import SOURCE_SILENT, not_in_kb_text
from assistant.content.articles import parse_article
from assistant.content.currency import not_yet_text, outdated_text
from assistant.content.reader_text import EDITOR_WORDING, editor_wording, reader_texts
from assistant.search.lexical import fold
from assistant.settings import ROOT, Settings

# What `kb check` fails on is what no reader may ever see; warning-level wording is on its way out.
ENFORCED = {level for _, _, level in EDITOR_WORDING if level == "error"}


def _enforced(text: str) -> list[str]:
    return [message for _, message, level in editor_wording(text) if level in ENFORCED]


def _eval_questions() -> list[str]:
    questions = []
    for path in sorted((ROOT / "tests" / "eval").glob("questions_*.yaml")):
        questions += [item["q"] for item in yaml.safe_load(path.read_text(encoding="utf-8")) if "q" in item]
    return questions


def test_enforced_rules_exist() -> None:
    assert sum(level == "error" for _, _, level in EDITOR_WORDING) >= 5


def test_article_texts_hold_no_editor_wording(fake_routewijzer) -> None:
    texts = list(reader_texts(fake_routewijzer.kb, Settings().kb_dir))
    assert len(texts) > 200
    found = [f"{t.file}:{t.line_at(0)} {m}" for t in texts for m in _enforced(t.text)]
    assert found == []


def test_answers_hold_no_editor_wording(fake_routewijzer) -> None:
    questions = _eval_questions()
    assert len(questions) > 100
    answers = fake_routewijzer.ask_many([(q, None) for q in questions])
    found = []
    for question, answer in zip(questions, answers, strict=True):
        shown = [answer.answer, answer.stand or "", answer.outdated or ""]
        shown += [part for c in answer.citations for part in (c.passage, c.snippet, c.stand, c.title, c.section)]
        found += [f"{question!r}: {m}" for text in shown for m in _enforced(text)]
    assert found == []


def test_the_apps_own_texts_are_reader_text() -> None:
    article = parse_article((ROOT / "kb" / "articles" / "experimenten-en-pilots.md").read_text(encoding="utf-8"))
    article = article.__class__(**{**article.__dict__, "valid_until": date(2022, 7, 31),
                                   "valid_from": date(2030, 1, 1)})
    texts = [OFF_TOPIC_TEXT, NEAR_MISS_TEXT, outdated_text(article, date(2026, 1, 1)),
             not_yet_text(article, date(2026, 1, 1))]
    texts += [not_in_kb_text(kind, "Antwoord.") for kind in ("bedrag", "datum", "duur", "aantal", "contactgegevens")]
    assert all(texts)
    assert [hit for text in texts for hit in editor_wording(text)] == []


def test_a_plain_gap_sentence_still_marks_what_the_kb_does_not_say() -> None:
    """Editor notes about the source go; the reader's plain sentence keeps `not_in_kb` working."""
    for sentence in ("Een bedrag is niet bekend.", "Hoeveel geld dat is, is onbekend.",
                     "Er is geen vast bedrag bekend.", "De bron noemt geen bedragen."):
        assert SOURCE_SILENT.search(fold(sentence)), sentence
    assert not SOURCE_SILENT.search(fold("De school krijgt een bedrag per leerling."))


@pytest.fixture(scope="module")
def noted_engine(tmp_path_factory: pytest.TempPathFactory):
    """The assistant over a copy of kb/ where one section carries an editor's to-do."""
    from assistant.engine import Routewijzer
    from assistant.search.index import build_index

    root = tmp_path_factory.mktemp("noted")
    kb = root / "kb"
    shutil.copytree(ROOT / "kb", kb)
    path = kb / "articles" / "dlr-bekostiging.md"
    text = path.read_text(encoding="utf-8")
    marker = "## Wie betaalt de reiskosten van leerlingen in de vo-fase? {#reiskosten-vo-fase}\n\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "TODO: bedrag navragen bij DUO. "), encoding="utf-8")
    settings = Settings(embedder="fake", kb_dir=kb, index_dir=root / "index")
    build_index(settings)
    rw = Routewijzer.load(settings)
    yield rw
    rw.close()


def test_a_note_in_a_section_is_caught_in_kb_check_and_in_the_answer(noted_engine) -> None:
    """The checks above can fail: a to-do left in a section fails kb check and shows up in the answer."""
    from assistant.content.checks import check_kb

    errors = [str(p) for p in check_kb(noted_engine.settings.kb_dir, None) if "dlr-bekostiging" in p.file]
    assert any("a placeholder in reader text: 'TODO'" in e for e in errors), errors
    assert any("an editor's to-do in reader text: 'navragen'" in e for e in errors), errors
    answer = noted_engine.ask("Wie betaalt de reiskosten van leerlingen in de vo-fase?")
    assert answer.citations[0].url == "/kb/dlr-bekostiging#reiskosten-vo-fase"
    assert _enforced(answer.answer + answer.citations[0].passage)


def test_reader_text_skips_editor_notes_and_phrasings(tmp_path: Path, front_matter) -> None:
    from assistant.content.checks import inspect_kb

    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    front_matter(kb / "articles" / "mbo-basis.md", editor_notes=["TODO navragen"])
    loaded, problems = inspect_kb(kb, None)
    assert loaded.by_slug["mbo-basis"].editor_notes == ("TODO navragen",)
    assert not [p for p in problems if "mbo-basis" in p.file and ("TODO" in p.message or "navragen" in p.message)]
