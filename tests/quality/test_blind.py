"""The blind evaluation harness: fact matching, the fixed dev/test split, loading, scoring."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.answers.types import Answer, Citation
from assistant.quality.blind import HELD_OUT_SETS, BlindSet, load_blind_set, normalise, score, split_of, states
from assistant.quality.evaluation import BLIND_DIR


def test_normalise_ignores_case_accents_hyphens_and_spacing() -> None:
    assert normalise("De Geïntegreerde  leer-route / GLR") == "de geintegreerde leer route glr"


def test_every_fact_group_must_be_stated_by_one_of_its_wordings() -> None:
    facts = (("1 oktober", "01-10"), ("ROD", "Register Onderwijsdeelnemers"))
    assert states("Geef de fase vóór 1 oktober door in ROD.", facts)
    assert not states("Geef de fase door in ROD.", facts)
    assert states("geïntegreerde route", (("geintegreerde",),))


def test_split_is_fixed_by_id_and_roughly_half() -> None:
    blind = load_blind_set(BLIND_DIR)
    assert split_of("b004a-001") == split_of("b004a-001")
    dev, test = blind.part("dev"), blind.part("test")
    assert len(dev.questions) + len(test.questions) == len(blind.questions)
    assert 0.35 < len(dev.questions) / len(blind.questions) < 0.65
    assert not {q.id for q in dev.questions} & {q.id for q in test.questions}


def test_the_blind_set_is_as_large_as_promised() -> None:
    blind = load_blind_set(BLIND_DIR)
    assert len(blind.questions) >= 200 and len(blind.followups) >= 30 and len(blind.out_of_scope) >= 60
    assert {o.kind for o in blind.out_of_scope} == {"unrelated", "nearby", "partial"}


def test_bad_facts_are_refused(tmp_path: Path) -> None:
    (tmp_path / "inscope_x.yaml").write_text(yaml.safe_dump({"questions": [{"id": "x1", "q": "?", "facts": []}]}))
    with pytest.raises(ValueError, match="x1: facts must be"):
        load_blind_set(tmp_path)


def _answer(text: str, abstained: bool = False, not_in_kb: str | None = None) -> Answer:
    cite = Citation("a", "A", "S", "s", "/kb/a#s", text, text, "2026-01-01")
    return Answer("q", text, abstained, 0.9, [] if abstained else [cite], [], not_in_kb)


def test_score_counts_facts_followups_and_out_of_scope(tmp_path: Path) -> None:
    (tmp_path / "inscope_x.yaml").write_text(yaml.safe_dump({
        "questions": [{"id": "x1", "q": "wanneer?", "facts": [["1 oktober"]]},
                      {"id": "x2", "q": "wie?", "facts": [["de mbo-school"]]}],
        "followups": [{"id": "f1", "first": {"q": "wie?", "facts": [["vo"]]},
                       "followup": {"q": "en daarna?", "facts": [["mbo-fase"]]}}],
    }))
    (tmp_path / "out_of_scope.yaml").write_text(yaml.safe_dump({"out_of_scope": [
        {"id": "o1", "kind": "unrelated", "q": "weer?"}, {"id": "o2", "kind": "partial", "q": "bedrag?"}]}))
    blind: BlindSet = load_blind_set(tmp_path)
    replies = {"wanneer?": _answer("Voor 1 oktober."), "wie?": _answer("De vo-school."),
               "en daarna?": _answer("Dan de mbo-fase."), "weer?": _answer("", abstained=True),
               "bedrag?": _answer("De kennisbank noemt geen bedrag.", not_in_kb="bedrag")}
    seen_context = []

    def ask(q: str, context: list[str] | None) -> Answer:
        seen_context.append(context)
        return replies[q]

    r = score(ask, blind)
    assert r["answer_states_facts"] == 0.5 and r["followups_right"] == 1.0
    assert r["out_of_scope_handled"] == 1.0 and r["in_scope_marked_not_in_kb"] == 0.0
    assert ["wie?"] in seen_context  # the follow-up is asked with its first question as context
    assert [f["id"] for f in r["failures"]] == ["x2"]


def test_eval_scores_a_held_out_set_whole_and_never_lists_its_failures(fake_settings, tmp_path, capsys) -> None:
    """`eval --held-out DIR`: a later blind set is reported as one column, without its failures."""
    import argparse
    import json

    from assistant.quality.evaluation import run_eval_cli

    held = tmp_path / "held"
    held.mkdir()
    (held / "inscope_x.yaml").write_text(yaml.safe_dump({"questions": [
        {"id": "x-001", "q": "Wat is een doorlopende leerroute?", "facts": [["vmbo"]]},
        {"id": "x-002", "q": "Wat is de derde leerweg?", "facts": [["geen woord dat erin staat xyz"]]},
    ]}), encoding="utf-8")
    empty = tmp_path / "team"  # no team set and no blind/ folder: only the held-out set is scored
    empty.mkdir()
    (empty / "out_of_scope.yaml").write_text("[]\n", encoding="utf-8")
    args = argparse.Namespace(dir=empty, json=True, calibrate=False, check_floors=False, blind_only=True,
                              failures=False, held_out=held)
    assert run_eval_cli(fake_settings, args) == 0
    report = json.loads(capsys.readouterr().out)
    held_report = report["blind"]["held-out"]
    assert held_report["n_in_scope"] == 2 and "failures" not in held_report
    assert held_report["answer_states_facts"] <= 0.5  # the second question's fact is stated nowhere

    second = tmp_path / "blind9"  # two held-out sets: one column each, named by folder
    second.mkdir()
    (second / "inscope_y.yaml").write_text(yaml.safe_dump({"questions": [
        {"id": "y-001", "q": "Wat is een doorlopende leerroute?", "facts": [["vmbo"]]}]}), encoding="utf-8")
    args.held_out = [held, second]
    assert run_eval_cli(fake_settings, args) == 0
    report = json.loads(capsys.readouterr().out)["blind"]
    assert set(report) == {"held-out held", "held-out blind9"}
    assert report["held-out blind9"]["n_in_scope"] == 1 and "failures" not in report["held-out blind9"]

    args.held_out = [held, tmp_path / "nope"]
    assert run_eval_cli(fake_settings, args) == 2
    assert "geen inscope_*.yaml" in capsys.readouterr().err


def test_the_held_out_set_loads_with_every_kind() -> None:
    held = load_blind_set(BLIND_DIR.parent / "blind2")
    assert len(held.questions) == 80 and len(held.followups) == 16 and len(held.out_of_scope) == 25
    assert {o.kind for o in held.out_of_scope} == {"unrelated", "nearby", "partial"}
    assert not {q.id for q in held.questions} & {q.id for q in load_blind_set(BLIND_DIR).questions}


def test_the_second_held_out_set_loads_apart_from_the_others() -> None:
    held = load_blind_set(BLIND_DIR.parent / "blind4")
    assert len(held.questions) == 140 and len(held.followups) == 24 and len(held.out_of_scope) == 40
    assert {o.kind for o in held.out_of_scope} == {"unrelated", "nearby", "partial"}
    others = {q.id for d in ("blind", "blind2", "blind3") for q in load_blind_set(BLIND_DIR.parent / d).questions}
    assert not {q.id for q in held.questions} & others


def test_the_third_held_out_set_loads_apart_from_the_others() -> None:
    held = load_blind_set(BLIND_DIR.parent / "blind5")
    assert len(held.questions) == 140 and len(held.followups) == 24 and len(held.out_of_scope) == 40
    assert {o.kind for o in held.out_of_scope} == {"unrelated", "nearby", "partial"}
    others = {q.id for d in ("blind", "blind2", "blind3", "blind4")
              for q in load_blind_set(BLIND_DIR.parent / d).questions}
    assert not {q.id for q in held.questions} & others


def test_eval_lists_the_failures_of_a_tuning_set(fake_settings, tmp_path, capsys) -> None:
    """`eval --tuning DIR --failures`: the set written to tune on shows what it failed."""
    import argparse

    from assistant.quality.evaluation import run_eval_cli

    tuning = tmp_path / "tuning"
    tuning.mkdir()
    (tuning / "inscope_x.yaml").write_text(yaml.safe_dump({"questions": [
        {"id": "t-001", "q": "Wat is de derde leerweg?", "facts": [["geen woord dat erin staat xyz"]]},
    ]}), encoding="utf-8")
    empty = tmp_path / "team"
    empty.mkdir()
    (empty / "out_of_scope.yaml").write_text("[]\n", encoding="utf-8")
    args = argparse.Namespace(dir=empty, json=False, calibrate=False, check_floors=False, blind_only=True,
                              failures=True, held_out=None, tuning=tuning)
    assert run_eval_cli(fake_settings, args) == 0
    out = capsys.readouterr().out
    assert "blind tuning failures:" in out and '"id": "t-001"' in out


def test_the_tuning_set_loads_apart_from_the_others() -> None:
    tuning = load_blind_set(BLIND_DIR.parent / "blind3")
    assert len(tuning.questions) == 130 and len(tuning.followups) == 24 and len(tuning.out_of_scope) == 40
    others = {q.id for folder in (BLIND_DIR, BLIND_DIR.parent / "blind2") for q in load_blind_set(folder).questions}
    assert not {q.id for q in tuning.questions} & others


def test_the_follow_up_tuning_set_holds_only_follow_up_pairs() -> None:
    followups = load_blind_set(BLIND_DIR.parent / "blind8")
    assert len(followups.followups) == 50 and not followups.questions and not followups.out_of_scope
    others = {f.id for folder in ("blind", "blind3") for f in load_blind_set(BLIND_DIR.parent / folder).followups}
    assert not {f.id for f in followups.followups} & others


def test_calibration_uses_dev_and_tuning_but_never_partly_answerable_or_test() -> None:
    from assistant.quality.blind import BlindQuestion, BlindSet, OutOfScope
    from assistant.quality.evaluation import calibration_questions

    dev = BlindSet([BlindQuestion("d1", "dev vraag", (("x",),), "dev")], [],
                   [OutOfScope("d2", "dev ver weg", "nearby", "dev"), OutOfScope("d3", "dev deels", "partial", "dev")])
    tuning = BlindSet([BlindQuestion("t1", "tuning vraag", (("x",),), "test")], [],
                      [OutOfScope("t2", "tuning ver weg", "unrelated", "test")])
    pos, neg = calibration_questions([], ["team ver weg"], dev, ["extra"], tuning)
    assert pos == ["dev vraag", "tuning vraag"]
    assert neg == ["team ver weg", "extra", "dev ver weg", "tuning ver weg"]


def test_the_fourth_held_out_set_loads_apart_from_the_others() -> None:
    """blind6 was written for the next change and not scored in the round it was written."""
    held = load_blind_set(BLIND_DIR.parent / "blind6")
    assert len(held.questions) == 140 and len(held.followups) == 24 and len(held.out_of_scope) == 40
    assert {o.kind for o in held.out_of_scope} == {"unrelated", "nearby", "partial"}
    others = {q.id for d in ("blind", "blind2", "blind3", "blind4", "blind5")
              for q in load_blind_set(BLIND_DIR.parent / d).questions}
    assert not {q.id for q in held.questions} & others


def test_the_fifth_held_out_set_loads_apart_from_the_others() -> None:
    held = load_blind_set(BLIND_DIR.parent / "blind9")
    assert len(held.questions) == 120 and len(held.followups) == 20 and len(held.out_of_scope) == 30
    assert {o.kind for o in held.out_of_scope} == {"unrelated", "nearby", "partial"}
    others = {q.id for d in ("blind", "blind2", "blind3", "blind4", "blind5", "blind6")
              for q in load_blind_set(BLIND_DIR.parent / d).questions}
    assert not {q.id for q in held.questions} & others
    assert "blind9" in HELD_OUT_SETS  # the tuning harness and the redaction check refuse it
