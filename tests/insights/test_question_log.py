"""The question log keeps what editors need and nothing personal, and forgets after the retention period."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.answers.types import Answer, Citation
from assistant.insights.question_log import QuestionLog, kb_vocabulary, section_key
from assistant.insights.store import LoggedQuestion, SqliteQuestionStore
from assistant.settings import Settings

TODAY = date(2027, 3, 1)  # not the real today: the log purged on that day when made
# Personal data that must never reach the log, each inside a question as users type them.
PERSONAL = {
    "jan.devries@school.nl": "Mail mij op jan.devries@school.nl over de derde leerweg",
    "06-12345678": "Bel me op 06-12345678 over de DLR",
    "+31 20 123 4567": "Mijn nummer is +31 20 123 4567, wat is een praktijkverklaring?",
    "111222333": "Mijn BSN is 111222333, kan ik de derde leerweg doen?",
    "NL91ABNA0417164300": "Rekening NL91ABNA0417164300, wie betaalt de DLR?",
    "Jan de Vries": "Mijn naam is Jan de Vries, wat is een doorlopende leerroute?",
    "Sanne": "Ik ben Sanne en ik wil weten wat een mbo-certificaat is",
    "Fatima Yilmaz": "Kan Fatima Yilmaz de derde leerweg doen?",
    "Kerkstraat 12": "Ik woon op de Kerkstraat 12, welke mbo-school is dichtbij?",
    "3512 AB": "Postcode 3512 AB: waar vind ik een praktijkleerroute?",
    "Noor Bakker": "Wat moet mijn leerling Noor Bakker doen voor een praktijkverklaring?",
}


def answer(question: str, abstained: bool = False, confidence: float = 0.8) -> Answer:
    cites = [] if abstained else [Citation("derde-leerweg", "De derde leerweg", "Voor wie", "voor-wie",
                                           "/kb/derde-leerweg#voor-wie", "", "", "2026-11-22")]
    return Answer(question=question, answer="…", abstained=abstained, confidence=confidence, citations=cites)


@pytest.fixture
def qlog(tmp_path: Path, kb) -> QuestionLog:
    return QuestionLog(SqliteQuestionStore(tmp_path / "q.sqlite3"), days=180, known=kb_vocabulary(kb))


@pytest.mark.parametrize("secret", list(PERSONAL))
def test_entries_carry_no_personal_data(qlog: QuestionLog, tmp_path: Path, secret: str) -> None:
    qlog.record(answer(PERSONAL[secret]), "chat", "v1", today=TODAY)
    raw = (tmp_path / "q.sqlite3").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("q.sqlite3-*"))  # the WAL too
    assert secret.encode() not in raw
    stored = qlog.store.since(None)[0].question
    assert secret not in stored and "[" in stored


def test_entry_holds_what_editors_need_and_no_more(qlog: QuestionLog) -> None:
    qlog.record(answer("Voor wie is de derde leerweg?", confidence=0.4321), "widget", "v7",
                site="https://school.nl", today=TODAY)
    entry = qlog.store.since(None)[0]
    assert entry == LoggedQuestion(day="2027-03-01", question="Voor wie is de derde leerweg?",
                                   sections=("derde-leerweg#voor-wie",), confidence=0.4321, abstained=False,
                                   channel="widget", index_version="v7", site="https://school.nl")
    assert {f.name for f in fields(LoggedQuestion)} == {
        "day", "question", "sections", "confidence", "abstained", "channel", "index_version", "site", "id"}
    with sqlite3.connect(qlog.store.path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(questions)")}
    assert not columns & {"ip", "cookie", "session", "user_agent", "created_at", "answer"}


def test_site_is_kept_only_for_the_widget(qlog: QuestionLog) -> None:
    assert qlog.entry(answer("Wat is de DLR?"), "api", site="https://school.nl").site is None
    with pytest.raises(ValueError, match="channel"):
        qlog.entry(answer("Wat is de DLR?"), "cli")


def test_retention_deletes_old_rows_and_keeps_recent_ones(qlog: QuestionLog) -> None:
    for age in (0, 179, 180, 400):
        qlog.store.add(qlog.entry(answer(f"vraag {age}"), "api", today=TODAY - timedelta(days=age)))
    assert qlog.purge(TODAY) == 2
    assert [q.question for q in qlog.store.since(None)] == ["vraag 179", "vraag 0"]


def test_record_purges_once_the_day_has_changed(qlog: QuestionLog) -> None:
    qlog.store.add(qlog.entry(answer("oud"), "api", today=TODAY - timedelta(days=365)))
    qlog.record(answer("nieuw"), "api", today=TODAY)
    assert [q.question for q in qlog.store.since(None)] == ["nieuw"]


def test_log_is_off_unless_switched_on(tmp_path: Path) -> None:
    assert QuestionLog.from_settings(Settings(question_log_db=tmp_path / "q.sqlite3")) is None
    assert not (tmp_path / "q.sqlite3").exists()
    on = QuestionLog.from_settings(Settings(question_log=True, question_log_db=tmp_path / "q.sqlite3",
                                            question_log_days=30))
    assert on is not None and on.days == 30


def test_section_key() -> None:
    assert section_key("/kb/dlr-bekostiging#fasen?x=1") == "dlr-bekostiging#fasen"
