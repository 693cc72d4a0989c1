"""/beheer: off unless configured, refuses without login and after wrong passwords, shows the gaps."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from assistant.settings import Settings
from assistant.webapp.editor_auth import COOKIE, EditorAuth, Throttle, hash_password, verify_password

PASSWORD = "correct paard batterij"
HASH = hash_password(PASSWORD)


@pytest.fixture
def editor(fake_settings: Settings, fake_routewijzer, tmp_path: Path):
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={
        "editor_user": "redactie", "editor_password_hash": HASH, "question_log": True,
        "question_log_db": tmp_path / "q.sqlite3", "gap_similarity": 0.7})
    with TestClient(create_app(settings, fake_routewijzer)) as client:
        yield client


def login(client: TestClient, password: str = PASSWORD, user: str = "redactie"):
    return client.post("/beheer/inloggen", data={"gebruiker": user, "wachtwoord": password}, follow_redirects=False)


def test_pages_are_off_unless_configured(client: TestClient) -> None:
    for path in ("/beheer", "/beheer/inloggen", "/beheer/secties", "/beheer/hiaten.csv"):
        assert client.get(path, follow_redirects=False).status_code == 404
    assert client.post("/beheer/inloggen", data={"gebruiker": "x", "wachtwoord": "y"}).status_code == 404


def test_refuses_without_login(editor: TestClient) -> None:
    editor.post("/api/ask", json={"question": "Hoe laat gaat de kantine open?"})
    for path in ("/beheer", "/beheer/secties", "/beheer/verouderd", "/beheer?dagen=30"):
        r = editor.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/beheer/inloggen"
    csv = editor.get("/beheer/hiaten.csv")
    assert csv.status_code == 401 and "kantine" not in csv.text
    editor.cookies.set(COOKIE, "cmVkYWN0aWU|9999999999|vervalst", path="/beheer")
    assert editor.get("/beheer", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused_then_rate_limited(editor: TestClient) -> None:
    r = login(editor, "fout")
    assert r.status_code == 401 and "Onjuiste gebruikersnaam of wachtwoord." in r.text and COOKIE not in r.cookies
    assert login(editor, PASSWORD, user="iemand").status_code == 401
    for _ in range(3):
        assert login(editor, "fout").status_code == 401
    locked = login(editor, PASSWORD)  # the right password no longer helps
    assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.text
    assert int(locked.headers["retry-after"]) > 0 and COOKIE not in locked.cookies


def test_editor_sees_gaps_sections_stale_and_csv(editor: TestClient) -> None:
    editor.post("/api/ask", json={"question": "Hoe laat gaat de kantine open?"})
    editor.post("/api/feedback", json={"question": "Wat is een DLR?", "rating": "not_helpful", "reason": "onvolledig",
                                       "citations": ["/kb/dlr-wat-is-het#wat-is-een-dlr"]})
    r = login(editor)
    assert r.status_code == 303 and r.headers["location"] == "/beheer"
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    page = editor.get("/beheer")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Hoe laat gaat de kantine open?" in page.text and "Nieuwe sectie nodig" in page.text
    assert "Wat is een DLR?" in page.text and "Het antwoord is onvolledig" in page.text
    sections = editor.get("/beheer/secties?dagen=30")
    assert sections.status_code == 200 and "/kb/dlr-wat-is-het?hl=wat-is-een-dlr" in sections.text
    assert editor.get("/beheer/verouderd").status_code == 200
    csv = editor.get("/beheer/hiaten.csv?dagen=7")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "kantine" in csv.text and "attachment" in csv.headers["content-disposition"]
    out = editor.post("/beheer/uitloggen", follow_redirects=False)
    assert out.status_code == 303
    assert editor.get("/beheer", follow_redirects=False).status_code == 303


def test_password_hash_and_session_cookie() -> None:
    assert verify_password(PASSWORD, HASH) and not verify_password(PASSWORD + " ", HASH)
    assert not verify_password(PASSWORD, "scrypt$kapot") and hash_password(PASSWORD) != HASH  # salted
    settings = Settings(editor_user="redactie", editor_password_hash=HASH)
    auth = EditorAuth(settings, key=b"k" * 32)
    cookie = auth.session("redactie", now=1000.0)
    assert auth.valid(cookie, now=1001.0) and not auth.valid(cookie, now=1000.0 + 9 * 3600)
    assert not EditorAuth(settings, key=b"x" * 32).valid(cookie, now=1001.0)  # another key (a restart)
    other = Settings(editor_user="redactie", editor_password_hash=hash_password("een ander wachtwoord"))
    assert not EditorAuth(other, key=b"k" * 32).valid(cookie, now=1001.0)  # a new password
    assert not auth.valid(cookie.replace("|", "x|", 1), now=1001.0)


def test_throttle_window() -> None:
    t = Throttle(per_client=2, total=3, window=60)
    t.fail("a", now=0)
    assert t.wait("a", now=1) == 0
    t.fail("a", now=1)
    assert t.wait("a", now=2) > 0 and t.wait("b", now=2) == 0
    assert t.wait("a", now=61.5) == 0  # the first failure left the window
    t.fail("b", now=62)
    t.fail("c", now=62)
    assert t.wait("d", now=63) == 0
    t.fail("e", now=62)
    assert t.wait("d", now=63) > 0  # too many failures in total, from anywhere


def test_malformed_hash_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="beheer wachtwoord"):
        Settings(editor_password_hash="geheim")


def test_cli_makes_a_hash(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["beheer", "wachtwoord"]) == 0
    assert verify_password("een lang wachtwoord", capsys.readouterr().out.strip())
    monkeypatch.setattr(sys, "stdin", io.StringIO("kort\n"))
    assert main(["beheer", "wachtwoord"]) == 2


def test_half_a_login_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="both"):
        Settings(editor_user="redactie")
    with pytest.raises(ValidationError, match="both"):
        Settings(editor_password_hash=HASH)


def test_only_the_newest_gap_questions_are_grouped(editor: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.insights import report

    monkeypatch.setattr(report, "MAX_GAP_ITEMS", 1)
    for q in ("Hoe laat gaat de kantine open?", "Waar staat de fietsenstalling?"):
        editor.post("/api/ask", json={"question": q})
    login(editor)
    page = editor.get("/beheer")
    assert "alleen de nieuwste" in page.text and page.text.count('class="gap"') == 1
