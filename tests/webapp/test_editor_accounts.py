"""Several editor accounts: from ASSISTANT_EDITORS and a file, beside the old single pair; throttled per account."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from assistant.webapp.editor_accounts import AccountsError, load_accounts, parse_accounts
from assistant.webapp.editor_auth import EditorAuth, Throttle, hash_password, verify_password

ANNA, BERT, OUD = "anna's wachtwoord 1", "bert zijn wachtwoord", "het oude wachtwoord"
HASHES = {"anna": hash_password(ANNA), "bert.de-vries": hash_password(BERT), "redactie": hash_password(OUD)}


@pytest.fixture
def accounts_file(tmp_path: Path) -> Path:
    path = tmp_path / "redacteuren.txt"
    path.write_text(f"# redactie Routewijzer\nanna:{HASHES['anna']}\n\nbert.de-vries:{HASHES['bert.de-vries']}"
                    "  # sinds december\n", encoding="utf-8")
    return path


@pytest.fixture
def editors(fake_settings: Settings, fake_routewijzer, accounts_file: Path, tmp_path: Path):
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={
        "editor_user": "redactie", "editor_password_hash": HASHES["redactie"], "editors_file": accounts_file,
        "feedback_db": tmp_path / "feedback.sqlite3"})
    with TestClient(create_app(settings, fake_routewijzer)) as client:
        yield client


def login(client: TestClient, user: str, password: str):
    return client.post("/beheer/inloggen", data={"gebruiker": user, "wachtwoord": password}, follow_redirects=False)


def test_every_account_logs_in_with_its_own_password(editors: TestClient) -> None:
    for user, password in (("anna", ANNA), ("bert.de-vries", BERT), ("redactie", OUD)):
        editors.cookies.clear()
        r = login(editors, user, password)
        assert r.status_code == 303, user
        assert editors.get("/beheer", follow_redirects=False).status_code == 200
    editors.cookies.clear()
    assert login(editors, "anna", BERT).status_code == 401  # another account's password
    assert login(editors, "Anna", ANNA).status_code == 401  # names are exact


def test_a_cookie_names_its_account_and_ends_with_its_password(fake_settings, accounts_file: Path) -> None:
    settings = fake_settings.model_copy(update={"editors_file": accounts_file})
    auth = EditorAuth(settings, key=b"k" * 32)
    cookie = auth.session("anna", now=1000.0)
    assert auth.user_of(cookie, now=1001.0) == "anna"
    forged = cookie.replace(cookie.split("|")[0], "YmVydC5kZS12cmllcw", 1)  # bert's name, anna's signature
    assert auth.user_of(forged, now=1001.0) is None
    accounts_file.write_text(f"anna:{hash_password('een nieuw wachtwoord')}\nbert.de-vries:{HASHES['bert.de-vries']}\n")
    renewed = EditorAuth(settings, key=b"k" * 32)
    assert renewed.user_of(cookie, now=1001.0) is None  # anna's new password ends her sessions …
    assert renewed.user_of(auth.session("bert.de-vries", now=1000.0), now=1001.0) == "bert.de-vries"  # … not bert's
    accounts_file.write_text(f"bert.de-vries:{HASHES['bert.de-vries']}\n")
    assert EditorAuth(settings, key=b"k" * 32).user_of(cookie, now=1001.0) is None  # a removed account


def test_failures_are_throttled_per_account_from_any_address(monkeypatch: pytest.MonkeyPatch,
                                                               editors: TestClient) -> None:
    from assistant.webapp import editor_auth

    auth = editors.app.state.editor_auth
    monkeypatch.setattr(auth, "throttle", editor_auth.Throttle(per_client=100, per_account=3, total=100))
    for _ in range(3):
        assert login(editors, "anna", "fout").status_code == 401
    assert login(editors, "anna", ANNA).status_code == 429  # anna's account waits …
    assert login(editors, "bert.de-vries", BERT).status_code == 303  # … bert's does not
    for _ in range(5):
        assert login(editors, "niemand", "fout").status_code == 401  # unknown names count per client only
    assert "niemand" not in auth.throttle._accounts


def test_throttle_per_account() -> None:
    t = Throttle(per_client=10, per_account=2, total=10, window=60)
    t.fail("a", now=0, account="anna")
    t.fail("b", now=1, account="anna")
    assert t.wait("c", now=2, account="anna") > 0 and t.wait("c", now=2, account="bert") == 0
    assert t.wait("c", now=61, account="anna") == 0


def test_parsing_and_clear_errors(fake_settings: Settings, accounts_file: Path, tmp_path: Path) -> None:
    inline = f"anna:{HASHES['anna']}, bert.de-vries:{HASHES['bert.de-vries']}"
    assert [u for u, _ in parse_accounts(inline, "ASSISTANT_EDITORS")] == ["anna", "bert.de-vries"]
    both = fake_settings.model_copy(update={"editors": f"carla:{HASHES['anna']}", "editors_file": accounts_file})
    assert list(load_accounts(both)) == ["carla", "anna", "bert.de-vries"]
    assert load_accounts(fake_settings) == {} and not EditorAuth(fake_settings).enabled
    bad = tmp_path / "fout.txt"
    for text, message in ((f"anna {HASHES['anna']}\n", r"fout.txt:1: expected naam:scrypt"),
                          (f"# kop\nan na:{HASHES['anna']}\n", r"fout.txt:2: expected"),
                          ("anna:scrypt$geheim\n", r"fout.txt:1: the hash for 'anna'"),
                          (f"Ånna:{HASHES['anna']}\n", r"user name"),
                          (f"anna:{HASHES['anna']}\nanna:{HASHES['anna']}\n", r"'anna' is given twice")):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(AccountsError, match=message) as caught:
            load_accounts(fake_settings.model_copy(update={"editors_file": bad}))
        assert HASHES["anna"] not in str(caught.value)
    twice = fake_settings.model_copy(update={"editor_user": "anna", "editor_password_hash": HASHES["anna"],
                                             "editors_file": accounts_file})
    with pytest.raises(AccountsError, match="twice"):
        load_accounts(twice)
    with pytest.raises(AccountsError, match="cannot be read"):
        load_accounts(fake_settings.model_copy(update={"editors_file": tmp_path / "weg.txt"}))


def test_the_app_does_not_start_with_a_bad_accounts_file(fake_settings, fake_routewijzer, tmp_path: Path) -> None:
    from assistant.webapp.app import create_app

    bad = tmp_path / "fout.txt"
    bad.write_text("anna\n", encoding="utf-8")
    with pytest.raises(AccountsError, match="fout.txt:1"):
        create_app(fake_settings.model_copy(update={"editors_file": bad}), fake_routewijzer)


def test_env_settings_reach_the_accounts(monkeypatch: pytest.MonkeyPatch, accounts_file: Path) -> None:
    monkeypatch.setenv("ASSISTANT_EDITORS", f"carla:{HASHES['anna']}")
    monkeypatch.setenv("ASSISTANT_EDITORS_FILE", str(accounts_file))
    assert list(load_accounts(Settings())) == ["carla", "anna", "bert.de-vries"]


def test_cli_prints_a_line_to_add(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                  tmp_path: Path) -> None:
    from assistant.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["beheer", "wachtwoord", "--gebruiker", "dirk"]) == 0
    out, err = capsys.readouterr()
    line = out.strip()
    assert line.startswith("dirk:scrypt$") and "ASSISTANT_EDITORS_FILE" in err
    path = tmp_path / "redacteuren.txt"
    path.write_text(line + "\n", encoding="utf-8")
    accounts = load_accounts(Settings(editors_file=path))
    assert verify_password("een lang wachtwoord", accounts["dirk"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["beheer", "wachtwoord", "--gebruiker", "dirk de vries"]) == 2
    assert "gebruikersnaam" in capsys.readouterr().err
