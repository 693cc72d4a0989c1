"""The web app logs questions only when switched on, per channel; /privacy says what is kept."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from assistant.webapp.feedback import FeedbackIn, FeedbackStore


@pytest.fixture
def logged(fake_settings: Settings, fake_routewijzer, tmp_path: Path):
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={
        "question_log": True, "question_log_db": tmp_path / "q.sqlite3", "widget_origins": ["https://school.nl"]})
    app = create_app(settings, fake_routewijzer)
    with TestClient(app) as client:
        yield client, app.state.question_log.store


def test_each_channel_is_logged_redacted(logged) -> None:
    client, store = logged
    first_day = date.today().isoformat()  # a run may cross midnight
    assert client.post("/api/ask", json={"question": "Wat is de derde leerweg? Mail a@b.nl"}).status_code == 200
    assert client.post("/api/ask", json={"question": "Wat is een DLR?", "site": "https://school.nl"}).status_code == 200
    assert client.post("/api/ask", json={"question": "Wat is een GLR?", "site": "https://elders.nl"}).status_code == 200
    assert client.post("/ask", data={"question": "Ik ben Sanne, wat is een praktijkverklaring?"}).status_code == 200
    assert client.post("/fragments/answer", data={"question": "Wat is praktijkleren?"}).status_code == 200
    rows = store.since(None)
    assert [(r.channel, r.site) for r in rows] == [
        ("api", None), ("widget", "https://school.nl"), ("api", None), ("chat", None), ("chat", None)]
    assert rows[0].question == "Wat is de derde leerweg? Mail [e-mailadres]"
    assert rows[3].question == "Ik ben [naam], wat is een praktijkverklaring?"
    assert all(r.day in (first_day, date.today().isoformat()) and r.index_version for r in rows)


def test_bad_questions_are_not_logged(logged) -> None:
    client, store = logged
    assert client.post("/api/ask", json={"question": "   "}).status_code == 422
    assert store.since(None) == []


def test_nothing_is_logged_by_default(client: TestClient, fake_settings: Settings) -> None:
    assert client.app.state.question_log is None
    assert client.post("/api/ask", json={"question": "Wat is de derde leerweg?"}).status_code == 200
    assert not (fake_settings.feedback_db.parent / "questions.sqlite3").exists()


def test_privacy_page_follows_the_settings(client: TestClient, logged) -> None:
    off = client.get("/privacy")
    assert off.status_code == 200 and 'id="vragenlog-uit"' in off.text and "IP-adres" in off.text
    assert 'href="/privacy"' in client.get("/").text  # linked in the footer
    on = logged[0].get("/privacy")
    assert 'id="vragenlog-aan"' in on.text and "180 dagen" in on.text


def test_widget_links_to_the_privacy_page(logged) -> None:
    page = logged[0].get("/embed", params={"origin": "https://school.nl"})
    assert "/privacy" in page.text


def test_feedback_retention(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add(FeedbackIn(question="Wat is de DLR?", rating="helpful"))
    old = (date.today() - timedelta(days=200)).isoformat()
    store.db.run("UPDATE feedback SET created_at = ?", (old + "T10:00:00+00:00",))
    store.add(FeedbackIn(question="Wat is de GLR?", rating="helpful"))
    assert store.purge(180) == 1
    assert [r["question"] for r in store.all()] == ["Wat is de GLR?"]


def test_feedback_retention_runs_on_the_first_write_of_a_day(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3", keep_days=30)
    store.add(FeedbackIn(question="oud", rating="helpful"))
    store.db.run("UPDATE feedback SET created_at = '2020-01-01T10:00:00+00:00'")
    store._purged_on = None  # as on a new day
    store.add(FeedbackIn(question="nieuw", rating="helpful"))
    assert [r["question"] for r in store.all()] == ["nieuw"]


def test_feedback_gets_the_same_name_redaction(client: TestClient) -> None:
    r = client.post("/api/feedback", json={"question": "Kan Fatima Yilmaz de derde leerweg doen?",
                                           "rating": "not_helpful", "comment": "Groeten, Noor Bakker"})
    assert r.status_code == 201
    [row] = client.app.state.feedback.all()
    assert (row["question"], row["comment"]) == ("Kan [naam] de derde leerweg doen?", "Groeten, [naam]")


def test_no_question_text_in_the_logs(logged, caplog: pytest.LogCaptureFixture) -> None:
    client, _ = logged
    caplog.set_level("DEBUG")
    secret = "Kan Zeynep Aydın op Dorpsstraat 3 de derde leerweg doen?"
    client.post("/api/ask", json={"question": secret})
    client.post("/api/feedback", json={"question": secret, "rating": "not_helpful", "comment": secret})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "feedback" in text  # something was logged …
    assert "Zeynep" not in text and "Dorpsstraat" not in text and "derde leerweg" not in text  # … but no question


def test_serve_runs_without_an_access_log(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from assistant.cli.main import main

    seen: dict = {}

    class Server:  # uvicorn.Server, but nothing is started
        def __init__(self, config) -> None:  # noqa: ANN001
            seen["config"] = config

        def run(self) -> None:
            seen["ran"] = True

    monkeypatch.setattr(uvicorn, "Server", Server)
    monkeypatch.setattr("assistant.webapp.app.create_app", lambda settings: object())
    assert main(["serve", "--port", "8123"]) == 0
    config = seen["config"]
    assert config.access_log is False and config.port == 8123 and seen["ran"]
