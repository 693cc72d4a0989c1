"""Editor sessions survive a restart: the signing key comes from a setting or a 0600 file made once."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from assistant.settings import Settings
from assistant.webapp.editor_auth import COOKIE, EditorAuth, hash_password
from assistant.webapp.editor_secret import FILE_NAME, SecretError, secret_path, session_key

PASSWORD = "correct paard batterij"
HASH = hash_password(PASSWORD)
SECRET = "s" * 20 + "-gedeeld-geheim-voor-de-test"


def editor_settings(fake_settings: Settings, tmp_path: Path, **extra: object) -> Settings:
    return fake_settings.model_copy(update={"editor_user": "redactie", "editor_password_hash": HASH,
                                            "feedback_db": tmp_path / "var" / "feedback.sqlite3", **extra})


def logged_in_cookie(settings: Settings, routewijzer) -> str:
    from assistant.webapp.app import create_app

    with TestClient(create_app(settings, routewijzer)) as client:
        r = client.post("/beheer/inloggen", data={"gebruiker": "redactie", "wachtwoord": PASSWORD},
                        follow_redirects=False)
        assert r.status_code == 303
        return r.cookies[COOKIE]


def status_with(settings: Settings, routewijzer, cookie: str) -> int:
    from assistant.webapp.app import create_app

    with TestClient(create_app(settings, routewijzer)) as client:
        client.cookies.set(COOKIE, cookie, path="/beheer")
        return client.get("/beheer", follow_redirects=False).status_code


def test_two_apps_with_the_same_secret_accept_the_same_cookie(fake_settings, fake_routewijzer, tmp_path) -> None:
    settings = editor_settings(fake_settings, tmp_path, editor_secret=SecretStr(SECRET))
    cookie = logged_in_cookie(settings, fake_routewijzer)
    assert status_with(settings, fake_routewijzer, cookie) == 200  # another instance, as after a restart
    other = editor_settings(fake_settings, tmp_path, editor_secret=SecretStr(SECRET + "-nieuw"))
    assert status_with(other, fake_routewijzer, cookie) == 303  # a rotated secret: log in again
    assert not (tmp_path / "var" / FILE_NAME).exists()  # with the setting no file is made


def test_without_a_setting_the_key_file_is_made_once_and_kept(fake_settings, fake_routewijzer, tmp_path) -> None:
    settings = editor_settings(fake_settings, tmp_path)
    path = secret_path(settings)
    assert path == tmp_path / "var" / FILE_NAME and not path.exists()
    cookie = logged_in_cookie(settings, fake_routewijzer)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    assert status_with(settings, fake_routewijzer, cookie) == 200  # restart: same file, same key
    assert path.read_text() == content
    path.unlink()  # rotating: delete the file; the next start makes a new key
    assert status_with(settings, fake_routewijzer, cookie) == 303
    assert path.read_text() != content


def test_key_file_setting_and_no_file_while_editor_pages_are_off(fake_settings, tmp_path) -> None:
    off = fake_settings.model_copy(update={"feedback_db": tmp_path / "feedback.sqlite3"})
    EditorAuth(off)
    assert not (tmp_path / FILE_NAME).exists()
    chosen = tmp_path / "geheim" / "sleutel"
    settings = editor_settings(fake_settings, tmp_path, editor_secret_file=chosen)
    assert session_key(settings) == session_key(settings) and chosen.exists()
    assert not (tmp_path / "var" / FILE_NAME).exists()


def test_secret_is_never_logged_nor_shown(fake_settings, tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    settings = editor_settings(fake_settings, tmp_path)
    with caplog.at_level(logging.DEBUG):
        session_key(settings)
        secret_path(settings).chmod(0o644)
        session_key(settings)
    content = secret_path(settings).read_text().strip()
    assert "chmod 600" in caplog.text  # a readable file is reported …
    assert content not in caplog.text  # … without its content
    shown = Settings(editor_secret=SECRET)
    assert SECRET not in repr(shown) and SECRET not in str(shown.model_dump())


def test_short_secrets_are_refused(fake_settings, tmp_path) -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(editor_secret="kort")
    settings = editor_settings(fake_settings, tmp_path)
    secret_path(settings).parent.mkdir(parents=True)
    secret_path(settings).write_text("kort\n")
    with pytest.raises(SecretError, match="shorter") as caught:
        session_key(settings)
    assert "kort" not in str(caught.value).split(":", 1)[1]
