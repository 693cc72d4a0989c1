"""Feedback through the web app on both backends; a retried post (same Idempotency-Key) is stored once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings

BODY = {"question": "Wat is een doorlopende leerroute?", "rating": "helpful"}


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, fake_settings: Settings) -> Settings:
    if request.param == "sqlite":
        return fake_settings
    return fake_settings.model_copy(update={"database_url": request.getfixturevalue("pg_url")})


def test_retried_feedback_is_stored_once(settings: Settings, fake_routewijzer) -> None:
    from assistant.webapp.app import create_app

    with TestClient(create_app(settings, fake_routewijzer)) as client:
        first = client.post("/api/feedback", json=BODY, headers={"Idempotency-Key": "a1b2"})
        retry = client.post("/api/feedback", json=BODY, headers={"Idempotency-Key": "a1b2"})
        other = client.post("/api/feedback", json=BODY)
        stored = client.app.state.feedback.all()
    assert first.status_code == 201 and retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"] and other.json()["id"] != first.json()["id"]
    assert len(stored) == 2


def test_two_app_processes_share_the_postgresql_feedback(pg_url: str, fake_settings: Settings, fake_routewijzer,
                                                         tmp_path, monkeypatch, capsys) -> None:
    """Two app instances (as behind a proxy) write to one database; the export sees both."""
    from assistant.cli.main import main
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={"database_url": pg_url})
    with TestClient(create_app(settings, fake_routewijzer)) as one, \
            TestClient(create_app(settings, fake_routewijzer)) as two:
        assert one.post("/api/feedback", json=BODY, headers={"Idempotency-Key": "k"}).status_code == 201
        assert two.post("/api/feedback", json=BODY, headers={"Idempotency-Key": "k"}).status_code == 200
        assert two.post("/api/feedback", json={**BODY, "question": "Tweede"}).status_code == 201
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", pg_url)
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(tmp_path / "nothing.sqlite3"))
    assert main(["feedback", "export"]) == 0
    out = capsys.readouterr()
    assert out.out.count('"rating": "helpful"') == 2 and "Tweede" in out.out
