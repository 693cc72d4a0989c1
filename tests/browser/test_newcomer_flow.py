"""The README's promise, end to end: `python -m assistant serve` with the real model, a browser,
FAQ questions asked verbatim, a correct cited answer, the citation followed, feedback stored."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from assistant.settings import ROOT

pytestmark = pytest.mark.slow

# Verbatim from the FAQ document (tests/eval/questions_faq.yaml) with the section that answers it
# and the number of list items the answer shows (a list comes whole or not at all).
FAQ = [
    ("Hoe hard is de aanmelddatum van 15 oktober voor een doorlopende leerroute?",
     "dlr-melden-bij-duo", "melddatum-15-oktober", 0),
    ("Is er extra bekostiging voor doorlopende en geïntegreerde leerroutes?",
     "dlr-bekostiging", "geen-extra-bekostiging", 2),
]


@pytest.fixture(scope="module")
def served(real_routewijzer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real command, `python -m assistant serve`, on 127.0.0.1 with the real model and index."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path_factory.mktemp("served") / "feedback.sqlite3"
    env = {**os.environ, "ASSISTANT_MODEL": str(real_routewijzer.settings.model),
           "ASSISTANT_INDEX_DIR": str(real_routewijzer.settings.index_dir),
           "ASSISTANT_FEEDBACK_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not become ready:\n{proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.3)
        yield url, db
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize(("question", "slug", "anchor", "items"), FAQ)
def test_newcomer_asks_a_faq_question_and_follows_the_citation(
    browser, served, screenshot, question: str, slug: str, anchor: str, items: int
) -> None:
    url, db = served
    context = browser.new_context(base_url=url, locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto("/")
        page.get_by_label("Uw vraag", exact=True).fill(question)
        page.get_by_label("Uw vraag", exact=True).press("Enter")
        turn = page.locator("#gesprek .turn").last
        expect(turn.locator(".turn-question")).to_contain_text(question)
        citation = turn.locator(".citations a").first
        expect(citation).to_have_attribute("href", f"/kb/{slug}?hl={anchor}#{anchor}")
        expect(turn.locator(".reviewed").first).to_contain_text("Laatst gecontroleerd op")
        expect(turn.locator(".answer-text li")).to_have_count(items)
        answer = " ".join(turn.locator(".answer-text").inner_text().split())

        turn.get_by_role("button", name="Nuttig", exact=True).click()
        expect(turn.locator(".feedback-status")).to_have_text("Bedankt voor uw feedback.")
        screenshot(page, f"newcomer-{anchor}")

        turn.locator(".citations summary").first.click()  # the source chip opens to its passage
        citation.click()
        section = page.locator(f"section#{anchor}")
        expect(section).to_have_class("kb-section is-cited")
        assert section.evaluate("el => el.matches(':target')")
        cited_text = " ".join(section.inner_text().split())
        first_sentence = answer.split(". ")[0].rstrip(" .[]1")
        # the answer is text of the section it cites (a "Nee, " the question did not ask for is left out)
        assert first_sentence[:60].lower() in cited_text.lower()
    finally:
        context.close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT rating FROM feedback WHERE question = ?", (question,)).fetchall()
    assert rows == [("helpful",)]
