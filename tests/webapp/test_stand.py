"""Readers see how current a rule is: the Stand line and the 'mogelijk verouderd' note, on pages and in answers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.settings import ROOT, Settings

STAND = "Techniekpact-experimenten 2015 tot en met 2021/2022; FAQ bij het webinar van 16 mei (jaar niet genoemd)"
NOTE = "Redactienotitie-zq: het jaar van het webinar staat niet in de bron."
QUESTION = "Wanneer liepen de experimenten vakmanschapsroute en technologieroute af?"
AFTER, BEFORE = date(2026, 12, 7), date(2022, 7, 1)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, front_matter) -> Iterator[object]:
    """The assistant over a copy of kb/ in which one article has a Stand line, an end date and a note,
    and another has no Stand line."""
    from assistant.engine import Routewijzer
    from assistant.search.index import build_index

    root = tmp_path_factory.mktemp("stand")
    kb = root / "kb"
    shutil.copytree(ROOT / "kb", kb)
    front_matter(kb / "articles" / "experimenten-en-pilots.md", stand=STAND, valid_until=date(2022, 7, 31),
                 editor_notes=[NOTE])
    front_matter(kb / "articles" / "mbo-basis.md", drop=("stand",))
    settings = Settings(embedder="fake", kb_dir=kb, index_dir=root / "index", feedback_db=root / "fb.sqlite3")
    build_index(settings)
    rw = Routewijzer.load(settings, clock=lambda: AFTER)
    yield rw
    rw.close()


@pytest.fixture
def client(engine) -> Iterator[TestClient]:
    from assistant.webapp.app import create_app

    engine.clock = lambda: AFTER
    with TestClient(create_app(engine.settings, engine)) as test_client:
        yield test_client


def test_article_page_shows_stand_and_that_the_rules_ended(client: TestClient, engine) -> None:
    html = client.get("/kb/experimenten-en-pilots").text
    assert f"<dt>Stand</dt><dd>{STAND}</dd>" in html
    assert "Deze informatie is mogelijk verouderd" in html and "31 juli 2022" in html
    engine.clock = lambda: BEFORE
    html = client.get("/kb/experimenten-en-pilots").text
    assert STAND in html
    assert "mogelijk verouderd" not in html


def test_article_without_stand_shows_no_empty_line(client: TestClient) -> None:
    html = client.get("/kb/mbo-basis").text
    assert "<dt>Stand</dt>" not in html
    assert "mogelijk verouderd" not in html


def test_api_answer_carries_stand_and_outdated(client: TestClient, engine) -> None:
    body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert body["citations"][0]["article"] == "experimenten-en-pilots", body["citations"]
    assert body["stand"] == STAND
    assert body["citations"][0]["stand"] == STAND
    assert body["citations"][0]["valid_until"] == "2022-07-31"
    assert body["outdated"].startswith("Deze informatie is mogelijk verouderd")
    assert "31 juli 2022" in body["outdated"]
    engine.clock = lambda: BEFORE
    assert client.post("/api/ask", json={"question": QUESTION}).json()["outdated"] is None


def test_answer_partial_shows_stand_next_to_review_date(client: TestClient) -> None:
    html = client.post("/fragments/answer", data={"question": QUESTION}).text
    stand_at = html.index(f'<span class="stand">Stand: {STAND}</span>')
    assert stand_at < html.index('<span class="reviewed">Laatst gecontroleerd', stand_at)
    assert '<p class="currency-note" role="note">Deze informatie is mogelijk verouderd' in html
    page = client.post("/ask", data={"question": QUESTION}).text  # the page without JavaScript
    assert f"Stand: {STAND}" in page and "mogelijk verouderd" in page


def test_editor_notes_reach_no_reader(client: TestClient) -> None:
    marker = "Redactienotitie-zq"
    assert marker not in client.get("/kb/experimenten-en-pilots").text
    assert marker not in client.post("/api/ask", json={"question": QUESTION}).text
    assert marker not in client.post("/fragments/answer", data={"question": QUESTION}).text
    assert marker not in client.post("/api/ask", json={"question": "staat het jaar van het webinar in de bron?"}).text


def test_index_holds_no_editor_notes(engine) -> None:
    chunks = list(Path(engine.settings.index_dir).rglob("chunks.json"))
    assert chunks
    text = chunks[0].read_text(encoding="utf-8")
    assert "vakmanschapsroute" in text  # the article itself is indexed …
    assert "Redactienotitie-zq" not in text  # … its editor notes are not
