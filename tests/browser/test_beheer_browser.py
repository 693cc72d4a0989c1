"""End to end: a reader asks an unanswerable question and rates an answer 'niet nuttig' with a reason;
an editor logs in and finds both in the gaps view, with a suggestion to paste."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect

from assistant.settings import Settings
from assistant.webapp.editor_auth import hash_password

PASSWORD = "een lang redactiewachtwoord"
UNANSWERABLE = "Hoe laat vertrekt de trein naar Appelscha?"
RATED = "Wat is een doorlopende leerroute?"


@pytest.fixture(scope="module")
def editor_url(fake_index_dir: Path, fake_routewijzer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server with the question log and the editor pages switched on."""
    from assistant.webapp.app import create_app

    var = tmp_path_factory.mktemp("beheer")
    settings = Settings(embedder="fake", index_dir=fake_index_dir, feedback_db=var / "f.sqlite3",
                        question_log=True, question_log_db=var / "q.sqlite3", editor_user="redactie",
                        editor_password_hash=hash_password(PASSWORD))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings, fake_routewijzer), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def epage(browser, editor_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=editor_url, locale="nl-NL", viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def ask(page, question: str):
    page.get_by_label("Uw vraag", exact=True).fill(question)
    page.get_by_label("Uw vraag", exact=True).press("Enter")
    turn = page.locator("#gesprek .turn").last
    expect(turn.locator(".turn-question")).to_contain_text(question)
    return turn


def test_reader_gaps_reach_the_editor(epage, axe_violations, screenshot) -> None:
    page = epage
    page.goto("/")
    expect(ask(page, UNANSWERABLE)).to_have_class("turn abstained")
    turn = ask(page, RATED)
    turn.get_by_role("button", name="Niet nuttig").click()  # opens the reasons
    turn.get_by_label("Het antwoord is onvolledig").check()
    turn.get_by_role("button", name="Verstuur").click()
    expect(turn.locator(".feedback-status")).to_have_text("Bedankt voor uw feedback.")

    page.goto("/beheer")
    assert page.url.endswith("/beheer/inloggen")
    page.get_by_label("Gebruikersnaam").fill("redactie")
    page.get_by_label("Wachtwoord").fill("fout wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_have_text("Onjuiste gebruikersnaam of wachtwoord.")
    assert axe_violations(page) == []
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", name="Hiaten", exact=True)).to_be_visible()
    gaps = page.locator("ol.gaps > li")
    # the place name is not a knowledge-base word: it is stored as a name (better too much out than too little)
    unanswered = gaps.filter(has_text="Hoe laat vertrekt de trein naar [naam]?")
    expect(unanswered).to_have_count(1)
    expect(unanswered).to_contain_text("geen antwoord 1")
    expect(unanswered).to_contain_text("Voorstel: Nieuwe sectie nodig")
    expect(unanswered.locator("pre.suggestion")).to_contain_text("- Hoe laat vertrekt de trein naar [naam]?")
    rated = gaps.filter(has_text=RATED)
    expect(rated).to_contain_text("niet nuttig 1")
    expect(rated).to_contain_text("Het antwoord is onvolledig: 1")
    expect(rated.locator("pre.suggestion")).to_contain_text(RATED)
    screenshot(page, "beheer-gaps")
    assert axe_violations(page) == []

    page.get_by_label("Periode").select_option("30")
    page.get_by_role("button", name="Toon").click()
    assert page.url.endswith("/beheer?dagen=30")
    page.get_by_role("link", name="Per artikel en sectie").click()
    sections = page.get_by_role("table", name="Secties, afgelopen 30 dagen")
    expect(sections).to_contain_text("Wat is een doorlopende leerroute?")
    expect(page.get_by_role("table", name="Artikelen, afgelopen 30 dagen")).to_contain_text("doorlopende leerroute")
    screenshot(page, "beheer-sections")
    assert axe_violations(page) == []
    page.emulate_media(color_scheme="dark")  # editors get the same dark scheme as readers
    assert axe_violations(page) == []
    page.goto("/beheer")
    assert axe_violations(page) == []
    screenshot(page, "beheer-gaps-dark")
    page.get_by_role("button", name="Uitloggen").click()
    assert page.url.endswith("/beheer/inloggen")
