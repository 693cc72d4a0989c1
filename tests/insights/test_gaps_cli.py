"""`python -m assistant gaps` prints the same report editors see on /beheer, as text, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from assistant.answers.types import Answer
from assistant.cli.main import main
from assistant.insights.question_log import QuestionLog
from assistant.insights.store import SqliteQuestionStore
from assistant.webapp.feedback import FeedbackIn, FeedbackStore


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.setenv("ASSISTANT_QUESTION_LOG_DB", str(tmp_path / "q.sqlite3"))
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(tmp_path / "f.sqlite3"))
    monkeypatch.setenv("ASSISTANT_GAP_SIMILARITY", "0.7")
    qlog = QuestionLog(SqliteQuestionStore(tmp_path / "q.sqlite3"), days=180)
    for text in ("Wat kost de derde leerweg voor een deelnemer?", "Hoeveel kost de derde leerweg voor een deelnemer?"):
        qlog.record(Answer(question=text, answer="", abstained=True, confidence=0.05), "chat")
    FeedbackStore(tmp_path / "f.sqlite3").add(FeedbackIn(
        question="Hoe laat gaat de kantine open?", rating="not_helpful", reason="geen-antwoord"))
    return tmp_path


def test_gaps_json(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 2 and report["not_helpful"] == 1 and report["since"] <= date.today().isoformat()
    assert [g["count"] for g in report["gaps"]] == [2, 1]
    assert report["gaps"][1]["reasons"] == {"geen-antwoord": 1}
    assert report["gaps"][0]["suggestion"]["title"] == "Nieuwe sectie nodig"


def test_gaps_text_and_csv(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps"]) == 0
    text = capsys.readouterr().out
    assert "1. 2× — geen antwoord 2" in text and "Hoe laat gaat de kantine open?" in text
    assert main(["gaps", "--csv", "--since", "2020-01-01"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["aantal"] for r in rows] == ["2", "1"] and rows[1]["redenen"] == "geen-antwoord 1"


def test_gaps_after_the_period_is_empty(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["gaps"] == []
