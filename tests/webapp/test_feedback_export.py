"""`python -m assistant feedback export`: what reviewers read is the redacted, stored feedback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.webapp.feedback import FeedbackIn, FeedbackStore


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(path))
    return path


def test_export_prints_redacted_feedback_as_json_lines_and_csv(db: Path, capsys) -> None:
    store = FeedbackStore(db)
    store.add(FeedbackIn(question="Wat is een DLR?", rating="helpful",
                         citations=["/kb/dlr-wat-is-het#wat-is-een-dlr"]), "v1")
    store.add(FeedbackIn(question="Wat is de derde leerweg?", rating="not_helpful", reason="onvolledig",
                         comment="Bel me op 06-12345678"), "v1")

    assert main(["feedback", "export"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in rows] == ["Wat is een DLR?", "Wat is de derde leerweg?"]
    assert rows[0]["citations"] == ["/kb/dlr-wat-is-het#wat-is-een-dlr"]
    assert rows[1]["comment"] == "Bel me op [telefoonnummer]"
    assert "2 item(s), 1 helpful, 1 not helpful" in err

    assert main(["feedback", "export", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["rating"], r["reason"]) for r in table] == [("helpful", ""), ("not_helpful", "onvolledig")]

    assert main(["feedback", "export", "--since", "2999-01-01"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 item(s)" in err


def test_export_without_a_database_says_so_and_creates_nothing(db: Path, capsys) -> None:
    assert main(["feedback", "export"]) == 1
    assert "no feedback database" in capsys.readouterr().err
    assert not db.exists()


def test_csv_cells_cannot_become_formulas(db: Path, capsys) -> None:
    store = FeedbackStore(db)
    for text in ("=HYPERLINK(\"http://evil\")", "+31 zijn cijfers", "-2+3", "@SUM(A1)", "Gewone vraag?"):
        store.add(FeedbackIn(question=text, rating="not_helpful", comment=text), "v1")
    assert main(["feedback", "export", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    cells = [r["question"] for r in table] + [r["comment"] for r in table]
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert table[0]["question"] == "'=HYPERLINK(\"http://evil\")" and table[4]["question"] == "Gewone vraag?"


def test_one_stored_lone_surrogate_does_not_break_the_export(db: Path, capsys) -> None:
    import sqlite3

    store = FeedbackStore(db)
    store.add(FeedbackIn(question="Wat is een DLR?", rating="helpful"), "v1")
    with sqlite3.connect(db) as conn:  # as an older version could store it: JSON-escaped in citations
        conn.execute("UPDATE feedback SET citations = ?", (json.dumps(["/kb/x\udfff"]),))
    store.add(FeedbackIn(question="Tweede vraag", rating="helpful"), "v1")
    for args in (["feedback", "export"], ["feedback", "export", "--csv"]):
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "Tweede vraag" in out and "/kb/x\ufffd" in out
        out.encode("utf-8")
