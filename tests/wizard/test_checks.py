"""`wizard check`: the tree's shape, the "way forward" rule, outcomes, retired links, the engine."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from assistant.content.kb import KnowledgeBase
from assistant.content.problems import KBError
from assistant.settings import ROOT, Settings
from assistant.wizard.check import check_wizard_file, load_wizard
from assistant.wizard.present import to_mermaid
from assistant.wizard.tree import (
    RetiredAnswers,
    Wizard,
    WizardError,
    decode_answers,
    next_step,
    permalink,
)
from tests.wizard.conftest import FIXTURES, WIZARD, all_paths

# --- the real tree ---------------------------------------------------------------------------


def test_real_wizard_is_clean(kb: KnowledgeBase) -> None:
    assert check_wizard_file(WIZARD, kb, Settings(embedder="fake").seeds_dir) == []


def test_every_outcome_is_on_some_path(wizard: Wizard) -> None:
    assert {oid for _, oid in all_paths(wizard)} == set(wizard.outcomes)


def test_questions_have_help_and_a_way_forward(wizard: Wizard) -> None:
    for q in wizard.questions.values():
        assert q.text.endswith("?") and q.help and len(q.options) >= 3
        assert [o.id for o in q.options if o.unknown] == ["weet-niet"]


def test_outcome_kinds(wizard: Wizard) -> None:
    kinds = {o.id: o.kind for o in wizard.outcomes.values()}
    assert kinds["buiten-bereik"] == "buiten"
    assert kinds["intake"] == kinds["eerst-gesprek"] == "gesprek"
    assert all(o.arrange for o in wizard.outcomes.values() if o.kind == "route")


def test_dlr_outcome_names_what_to_arrange(wizard: Wizard) -> None:
    text = " ".join(wizard.outcomes["doorlopende-leerroute"].arrange)
    for must in ("samenwerkingsovereenkomst", "overstapoptie", "PTA/OER", "RIO", "ROD",
                 "1 oktober", "derde jaar"):
        assert must in text, must
    assert "voor elke kwalificatie" in " ".join(wizard.outcomes["derde-leerweg-diploma"].arrange)


# --- the engine ------------------------------------------------------------------------------

def test_first_step_and_numbering(wizard: Wizard) -> None:
    step = next_step(wizard, {})
    assert step.question is not None and step.question.id == "doelgroep"
    longest = max(len(a) for a, _ in all_paths(wizard))
    assert (step.number, step.total) == (1, longest)
    step = next_step(wizard, {"doelgroep": "volwassene"})
    assert step.question is not None and step.question.id == "wens"
    assert step.number == 2 and step.total == 4  # volwassene → wens → maatwerk → leervorm


def test_numbering_never_passes_the_total(wizard: Wizard) -> None:
    for answers, _ in all_paths(wizard):
        items = list(answers.items())
        for i in range(len(items)):
            step = next_step(wizard, dict(items[:i]))
            assert step.question is not None and step.number == i + 1
            assert step.total >= len(items)


def test_reasons_settle_and_unknowns_in_path_order(wizard: Wizard) -> None:
    answers = {"doelgroep": "vmbo", "leerweg": "weet-niet", "programma": "volledig",
               "niveau": "weet-niet", "vmbo-diploma": "ja", "scholen": "route"}
    step = next_step(wizard, answers)
    assert step.outcome is not None and step.outcome.id == "doorlopende-leerroute"
    assert [q.id for q in step.unknowns] == ["leerweg", "niveau"]
    assert len(step.settle) == 2 and "leerweg" in step.settle[0]
    assert len(step.reasons) == len(answers)


def test_answer_order_does_not_matter(wizard: Wizard) -> None:
    answers = {"doelgroep": "volwassene", "wens": "diploma", "maatwerk": "op-maat"}
    reordered = dict(reversed(list(answers.items())))
    assert next_step(wizard, reordered).outcome == next_step(wizard, answers).outcome


@pytest.mark.parametrize(("answers", "message"), [
    ({"bestaat-niet": "ja"}, "Onbekende vraag"),
    ({"doelgroep": "bestaat-niet"}, "Onbekend antwoord"),
    ({"doelgroep": "volwassene", "leerweg": "bb"}, "horen niet bij"),
    ({"leerweg": "bb"}, "horen niet bij"),
])
def test_engine_rejects_bad_answers(wizard: Wizard, answers: dict[str, str], message: str) -> None:
    with pytest.raises(WizardError, match=message) as info:
        next_step(wizard, answers)
    assert not isinstance(info.value, RetiredAnswers)


@pytest.mark.parametrize("answers", [
    {"doelgroep": "anders"},
    {"doelgroep": "volwassene", "diploma-haalbaar": "nee", "certificaat-haalbaar": "nee"},
    {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "ja"},
])
def test_answers_of_the_old_tree_are_retired(wizard: Wizard, answers: dict[str, str]) -> None:
    with pytest.raises(RetiredAnswers, match="oudere versie van de routewijzer"):
        next_step(wizard, answers)


def test_permalink_round_trip(wizard: Wizard) -> None:
    for answers, outcome in all_paths(wizard):
        link = permalink(next_step(wizard, answers))
        decoded = decode_answers(parse_qsl(urlsplit(link).query))
        assert decoded == answers
        assert next_step(wizard, decoded).outcome.id == outcome  # type: ignore[union-attr]


def test_decode_skips_controls_and_refuses_two_answers() -> None:
    pairs = [("a", "1"), ("_vraag", "a"), ("_weergave", "print"), ("_klaar", "0")]
    assert decode_answers(pairs) == {"a": "1"}
    with pytest.raises(WizardError, match="twee antwoorden"):
        decode_answers([("a", "1"), ("a", "2")])


def test_mermaid(wizard: Wizard) -> None:
    chart = to_mermaid(wizard)
    assert chart.startswith("flowchart TD")
    edges = chart.count(" --> ") + chart.count(" .-> ")
    assert edges == sum(len(q.options) for q in wizard.questions.values())
    assert chart.count(" .-> ") == len(wizard.questions)  # one dotted "weet ik niet" each
    assert 'q_doelgroep{"Over wie gaat uw vraag?"}' in chart
    assert "o_buiten_bereik([" in chart


# --- the checker on broken trees -------------------------------------------------------------

def _messages(name: str, kb: KnowledgeBase) -> list[str]:
    problems = check_wizard_file(FIXTURES / name, kb)
    assert all(p.file.endswith(name) and p.line > 1 for p in problems), problems
    return [p.message for p in problems]


def _variant(tmp_path: Path, kb: KnowledgeBase, *edits: tuple[str, str]) -> list[str]:
    """Check valid.yaml with text edits applied; the edits must apply."""
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "wizard.yaml"
    path.write_text(text, encoding="utf-8")
    return [p.message for p in check_wizard_file(path, kb)]


def test_valid_fixture_is_clean(kb: KnowledgeBase) -> None:
    assert check_wizard_file(FIXTURES / "valid.yaml", kb) == []


def test_check_finds_dead_ends(kb: KnowledgeBase) -> None:
    messages = _messages("dead_end.yaml", kb)
    assert any("'vraag-b' has no options (dead end)" in m for m in messages)
    assert any("vraag-a/nee has no 'next' (dead end)" in m for m in messages)


def test_check_finds_a_cycle(kb: KnowledgeBase) -> None:
    messages = _messages("cycle.yaml", kb)
    assert any(m.startswith("cycle: vraag-a → vraag-b → vraag-c → vraag-a") for m in messages)


def test_check_finds_missing_citations(kb: KnowledgeBase) -> None:
    problems = check_wizard_file(FIXTURES / "missing_citation.yaml", kb)
    assert [(p.line, p.message) for p in problems] == [
        (25, "outcome 'uitkomst-een' cites 'dlr-wat-is-het#bestaat-niet': "
             "that section does not exist"),
        (26, "outcome 'uitkomst-een' cites 'geen-artikel#ergens': that article does not exist"),
    ]


def test_check_finds_missing_citations_of_reasons(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("reason: Het antwoord was ja.",
                                       "reason: Het antwoord was ja.\n        cites: [mbo-basis#weg]"))
    assert messages == ["option vraag-a/ja cites 'mbo-basis#weg': that section does not exist"]


def test_check_finds_unreachable_nodes(kb: KnowledgeBase) -> None:
    messages = _messages("unreachable.yaml", kb)
    assert "outcome 'uitkomst-vergeten' cannot be reached from start" in messages
    assert "question 'vraag-los' cannot be reached from start" in messages


def test_check_finds_unknown_targets(kb: KnowledgeBase) -> None:
    problems = check_wizard_file(FIXTURES / "unknown_target.yaml", kb)
    assert [(p.line, p.message) for p in problems] == [
        (16, "option vraag-a/nee leads to 'uitkomst-bestaat-niet', "
             "which is no question or outcome"),
    ]


def test_check_finds_bad_fields(kb: KnowledgeBase) -> None:
    messages = " | ".join(_messages("bad_fields.yaml", kb))
    for part in ("'help' is required", "unknown field 'kleur'", "option id 'ja' is used twice",
                 "id 'Fout_Id'", "'label' is required", "'why' is required",
                 "'next_steps' must not be empty", "write it as <slug>#<anchor>"):
        assert part in messages


# The "way forward" rule: each of these breaks it in one way.
UNKNOWN_OPTION = """      - id: weet-niet
        label: Weet ik niet
        unknown: true
        settle: Zoek het uit.
        next: uitkomst-een
"""


def test_way_forward_question_without_weet_ik_niet(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, (UNKNOWN_OPTION, ""))
    assert messages == ["question 'vraag-a' needs exactly one 'unknown: true' answer "
                        "(weet ik niet), has 0"]


def test_way_forward_weet_ik_niet_without_settling_step(tmp_path: Path,
                                                        kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("        settle: Zoek het uit.\n", ""))
    assert messages == ["option vraag-a/weet-niet: a 'weet ik niet' answer needs 'settle', "
                        "the step that settles it"]


def test_way_forward_label_must_say_so(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("label: Weet ik niet", "label: Anders"))
    assert messages == ["option vraag-a/weet-niet is the unknown answer: its label must say "
                        "'weet ... niet'"]


def test_way_forward_not_knowing_is_not_out_of_scope(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(
        tmp_path, kb, ("    kind: gesprek\n", "    kind: buiten\n    refers:\n"
                       "      - {text: Hbo, source: wizard-hoger-onderwijs}\n"),
        ("        next: uitkomst-een\n      - id: ja", "        next: uitkomst-nee\n      - id: ja"))
    assert messages == ["option vraag-a/weet-niet ('weet ik niet') can end in 'uitkomst-nee', "
                        "outside the scope: not knowing needs a way forward"]


def test_outcomes_of_each_kind_have_what_they_need(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("    arrange: [Een voorwaarde.]\n", ""),
                        ("    kind: gesprek\n", "    kind: buiten\n    refers:\n"
                         "      - {text: Hbo, source: bestaat-niet}\n"))
    assert messages == [
        "outcome 'uitkomst-een' is a route: 'arrange' must list what to arrange",
        "outcome 'uitkomst-nee' refers to source 'bestaat-niet', which is not in kb/sources.yaml",
    ]
    messages = _variant(tmp_path, kb, ("    kind: gesprek\n", "    kind: soms\n"))
    assert messages == ["'kind' must be one of route, gesprek, buiten"]


def test_retired_ids_must_not_be_in_use(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("start: vraag-a\n",
                                       "start: vraag-a\nretired: [vraag-b, vraag-a=nee, oud]\n"))
    assert messages == ["retired 'vraag-a=nee' is still in the tree",
                        "retired 'vraag-b' is still in the tree"]


def test_load_refuses_broken_trees_with_file_and_line() -> None:
    for name in ("dead_end.yaml", "cycle.yaml", "unreachable.yaml", "unknown_target.yaml"):
        with pytest.raises(KBError) as info:
            load_wizard(FIXTURES / name)
        assert all(p.line > 1 for p in info.value.problems)
    with pytest.raises(KBError, match="invalid YAML"):
        load_wizard(Path(__file__))  # Python is not YAML


def test_cli_wizard_check(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli.main import main

    assert main(["wizard", "check"]) == 0
    assert "wizard check: ok" in capsys.readouterr().out
    assert main(["wizard", "check", "--mermaid"]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD")
    kb_copy = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb_copy)
    text = (kb_copy / "wizard.yaml").read_text(encoding="utf-8")
    # The employer's "weet ik niet" leads outside the scope: the way-forward rule refuses it.
    broken = text.replace("        next: eerst-gesprek\n", "        next: buiten-bereik\n", 1)
    assert broken != text
    (kb_copy / "wizard.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_KB_DIR", str(kb_copy))
    assert main(["wizard", "check"]) == 1
    assert "doelgroep/weet-niet ('weet ik niet') can end in 'buiten-bereik'" in (
        capsys.readouterr().err)
    # `kb check` includes the wizard too (the wizard's check is injected, content does not import it).
    assert main(["kb", "check"]) == 1
    assert "can end in 'buiten-bereik'" in capsys.readouterr().err


def test_a_colon_in_a_text_gets_a_clear_message(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("next_steps: [Een stap.]", "next_steps:\n"
                                       "      - Let op: dit leest YAML als een mapping"))
    assert messages == [
        "'next_steps' item 1 is not a text: put a text with ': ' in quotes or write it after '>-'",
    ]
    messages = _variant(tmp_path, kb, ("label: Nee\n", "label:\n          Nee: toch niet\n"))
    assert messages == ["'label' is not a text: put a text with ': ' in quotes"]


def test_editor_wording_in_reader_text(tmp_path: Path, kb: KnowledgeBase) -> None:
    messages = _variant(tmp_path, kb, ("why: Omdat.", "why: Omdat. TODO navragen bij seed-004."))
    assert len(messages) == 3
    assert all("in reader text" in m for m in messages)
