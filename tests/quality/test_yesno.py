"""The closed-question set: the right "Ja"/"Nee" at the start of an answer, scored per half."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import yaml

from assistant.answers.types import Answer
from assistant.quality.yesno import load_yesno_set, opening, score_yesno
from assistant.settings import ROOT


def test_the_closed_question_set_loads_with_every_opening_and_both_halves() -> None:
    items = load_yesno_set(ROOT / "tests" / "eval" / "yesno")
    assert len(items) >= 180
    assert {i.answer for i in items} == {"ja", "nee", "hangt ervan af"}
    assert {i.split for i in items} == {"dev", "test"} and all(i.facts for i in items)


def test_a_bad_opening_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(yaml.safe_dump({"yesno": [
        {"id": "x-1", "q": "Mag dat?", "answer": "misschien", "facts": [["woord"]]}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="x.yaml item 1: answer must be one of"):
        load_yesno_set(tmp_path)


@pytest.mark.parametrize(("text", "said"), [("Ja, dat kan.", "ja"), ("Nee. Dat mag niet.", "nee"),
                                            ("Jawel", None), ("Neem contact op.", None), ("Dat kan.", None)])
def test_opening(text: str, said: str | None) -> None:
    assert opening(text) == said


def test_score_counts_right_wrong_and_no_yes_or_no(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(yaml.safe_dump({"yesno": [
        {"id": "x-1", "q": "goed", "answer": "ja", "facts": [["klas 4"]]},
        {"id": "x-2", "q": "fout", "answer": "nee", "facts": [["klas 4"]]},
        {"id": "x-3", "q": "geen", "answer": "ja", "facts": [["klas 4"]]},
        {"id": "x-4", "q": "hangt", "answer": "hangt ervan af", "facts": [["voorwaarde"]]},
    ]}), encoding="utf-8")
    answers = {"goed": "Ja, ook in klas 4.", "fout": "Ja, ook in klas 4.", "geen": "Ook in klas 4.",
               "hangt": "Nee, alleen met een voorwaarde."}
    report = score_yesno(lambda q, c: Answer(q, answers[q], False, 0.9, [], []), load_yesno_set(tmp_path))
    assert (report["n"], report["n_closed"]) == (4, 3)
    assert (report["yes_no_right"], report["yes_no_wrong"], report["yes_no_none"]) == (0.333, 0.333, 0.333)
    assert report["depends_opened_with_yes_no"] == 1.0 and report["facts_stated"] == 1.0
    assert [f["id"] for f in report["failures"]] == ["x-2"]


def test_eval_reports_both_halves_and_never_lists_the_test_halfs_failures(fake_settings, tmp_path, capsys) -> None:
    from assistant.quality.evaluation import run_eval_cli

    team = tmp_path / "team"
    (team / "yesno").mkdir(parents=True)
    (team / "out_of_scope.yaml").write_text("[]\n", encoding="utf-8")
    items = [{"id": f"y-{n}", "q": "Moet een doorlopende leerroute in klas 3 beginnen?", "answer": "ja",
              "facts": [["geen woord dat erin staat xyz"]]} for n in range(8)]
    (team / "yesno" / "y.yaml").write_text(yaml.safe_dump({"yesno": items}), encoding="utf-8")
    args = argparse.Namespace(dir=team, json=True, calibrate=False, check_floors=False, blind_only=True,
                              failures=False, held_out=None)
    assert run_eval_cli(fake_settings, args) == 0
    report = json.loads(capsys.readouterr().out)["yesno"]
    assert report["dev"]["n"] + report["test"]["n"] == 8
    assert "failures" in report["dev"] and "failures" not in report["test"]
    assert report["dev"]["facts_stated"] == 0.0
