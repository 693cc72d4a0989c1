"""The chat page, article pages and glossary in a real browser (Debian Chromium via Playwright)."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import expect

QUESTION = "Wat is een doorlopende leerroute?"
CITED = "/kb/dlr-wat-is-het?hl=wat-is-een-dlr#wat-is-een-dlr"


def ask(page, question: str) -> None:
    """Type a question in the box and submit it with Enter."""
    page.get_by_label("Uw vraag", exact=True).fill(question)
    page.get_by_label("Uw vraag", exact=True).press("Enter")


def test_ask_shows_cited_answer(page, screenshot) -> None:
    page.goto("/")
    expect(page).to_have_title("Vraag stellen · Routewijzer")
    ask(page, QUESTION)
    turn = page.locator("#gesprek .turn").last
    expect(turn.locator(".turn-question")).to_contain_text(QUESTION)
    expect(turn.locator(".answer-text")).to_contain_text("doorlopende leerroute")
    citation = turn.locator(".citations a").first
    expect(citation).to_have_attribute("href", CITED)
    expect(turn.locator(".reviewed").first).to_contain_text("Laatst gecontroleerd op")
    screenshot(page, "chat-answer")
    assert page.js_errors == []


def test_citation_lands_on_highlighted_section(page, screenshot) -> None:
    page.goto("/")
    ask(page, QUESTION)
    page.locator("#gesprek .citations summary").first.click()
    page.locator("#gesprek .citations a").first.click()
    assert page.url.endswith("/kb/dlr-wat-is-het?hl=wat-is-een-dlr#wat-is-een-dlr")
    section = page.locator("section#wat-is-een-dlr")
    expect(section).to_have_class("kb-section is-cited")
    assert section.evaluate("el => el.matches(':target')")
    bg = section.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg != "rgba(0, 0, 0, 0)"
    expect(section.locator("h2")).to_have_text("Wat is een doorlopende leerroute? # link naar dit deel")
    # WCAG 2.5.3: the "#" link's accessible name contains its visible text
    expect(section.get_by_role("link", name="# link naar dit deel")).to_have_attribute("href", "#wat-is-een-dlr")
    screenshot(page, "article-cited")


def test_empty_question_shows_error_next_to_field(page, screenshot) -> None:
    page.goto("/")
    page.get_by_role("button", name="Vraag", exact=True).click()
    error = page.locator("#vraag-fout")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Typ eerst een vraag.")
    expect(page.get_by_label("Uw vraag", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Uw vraag", exact=True)).to_be_focused()
    screenshot(page, "chat-empty-error")


def test_feedback_is_stored(page, live_server, screenshot) -> None:
    page.goto("/")
    ask(page, QUESTION)
    turn = page.locator("#gesprek .turn").last
    reasons = turn.get_by_role("group", name="Wat klopt er niet aan dit antwoord?")
    expect(reasons).to_be_hidden()
    turn.get_by_role("button", name="Niet nuttig").click()  # asks why right then, stores nothing yet
    expect(reasons).to_be_visible()
    expect(turn.get_by_role("button", name="Niet nuttig")).to_have_attribute("aria-expanded", "true")
    expect(reasons.get_by_role("radio").first).to_be_focused()
    reasons.get_by_label("Het antwoord is onvolledig").check()
    reasons.get_by_label("Opmerking").fill("Mail mij op docent@school.nl of bel 06-12345678")
    reasons.get_by_role("button", name="Verstuur").click()
    expect(turn.locator(".feedback-status")).to_have_text("Bedankt voor uw feedback.")
    expect(reasons).to_be_hidden()
    expect(turn.get_by_role("button", name="Niet nuttig")).to_be_disabled()
    screenshot(page, "chat-feedback")
    with sqlite3.connect(live_server.settings.feedback_db) as conn:
        rows = conn.execute(
            "SELECT rating, reason, comment, question FROM feedback WHERE comment LIKE 'Mail mij%'"
        ).fetchall()
    comment = "Mail mij op [e-mailadres] of bel [telefoonnummer]"
    assert rows == [("not_helpful", "onvolledig", comment, QUESTION)]


def test_keyboard_only_chat(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "vraag":
            break
    expect(page.get_by_label("Uw vraag", exact=True)).to_be_focused()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator("#gesprek .turn")).to_have_count(1)
    expect(page.get_by_label("Uw vraag", exact=True)).to_be_focused()
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.closest('.source') !== null"):
            break
    page.keyboard.press("Enter")  # the source chip opens to show the passage and the link
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused.startswith("/kb/dlr-wat-is-het")
    page.keyboard.press("Enter")
    expect(page.locator("section#wat-is-een-dlr")).to_have_class("kb-section is-cited")


def test_no_accessibility_violations(page, axe_violations, screenshot) -> None:
    pages = (("/", "chat"), ("/kb/dlr-melden-bij-duo", "article"), ("/glossary", "glossary"),
             ("/kb", "kb-index"), ("/docs", "api-docs"), ("/nope", "404"), ("/privacy", "privacy"))
    for url, name in pages:
        page.goto(url)
        violations = axe_violations(page)
        assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                                  for v in violations]
        screenshot(page, f"axe-{name}")
    page.goto("/")
    ask(page, QUESTION)
    page.locator("#gesprek .turn").wait_for()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_follow_up_sends_context(page) -> None:
    page.goto("/")
    ask(page, "Wat is het verschil tussen een DLR en een GLR?")
    expect(page.locator("#gesprek .turn")).to_have_count(1)
    with page.expect_request("**/fragments/answer") as request:
        ask(page, "en bij de geïntegreerde route?")
    assert "Wat is het verschil tussen een DLR en een GLR?" in (request.value.post_data or "")
    expect(page.locator("#gesprek .turn")).to_have_count(2)
    second = page.locator("#gesprek .turn").nth(1)
    expect(second.locator(".citations a").first).to_have_attribute("href", re.compile("/kb/dlr-"))


def test_copy_answer_with_sources(page, live_server) -> None:
    page.goto("/")
    ask(page, QUESTION)
    turn = page.locator("#gesprek .turn").last
    turn.get_by_role("button", name="Kopieer antwoord met bronnen").click()
    expect(turn.locator(".copy-status")).to_have_text("Gekopieerd.")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith(f"Vraag: {QUESTION}")
    assert "samenhangend onderwijsprogramma" in text
    assert f"[1] Wat is een doorlopende leerroute? (Wat is een doorlopende leerroute vmbo-mbo?): " \
           f"{live_server.url}/kb/dlr-wat-is-het#wat-is-een-dlr" in text


def test_abstention_offers_wizard_and_contact(page) -> None:
    page.goto("/")
    ask(page, "Hoe laat vertrekt de trein naar Utrecht?")
    turn = page.locator("#gesprek .turn").last
    expect(turn).to_have_class(re.compile("abstained"))
    expect(turn.get_by_role("link", name="Routewijzer-wizard")).to_have_attribute("href", "/wizard")
    expect(turn.locator(".next-steps")).to_contain_text("Neem contact op met")
    expect(turn.locator(".next-steps")).not_to_contain_text("Lees ook")
    assert turn.inner_text().count("Neem contact op met") == 1  # the contact once, not also in the text
    # off-topic: the themes in the text and the starter questions to try, not unrelated sections
    expect(turn.locator(".answer-text")).to_contain_text("derde leerweg")
    expect(turn.locator(".next-steps a[href^='/kb/']")).to_have_count(0)
    starter = turn.locator(".next-steps button.starter").first
    expect(starter).to_be_visible()
    question = starter.inner_text()
    starter.click()
    expect(page.locator("#gesprek .turn").last.locator(".turn-question")).to_contain_text(question)
    expect(page.locator("#gesprek .turn").last.locator(".citations summary").first).to_be_visible()


def test_works_without_javascript(browser, live_server, screenshot) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("button", name="Wat is een doorlopende leerroute?").click()
        expect(page).to_have_url(re.compile("/ask$"))
        turn = page.locator("#gesprek .turn")
        expect(turn.locator(".citations a").first).to_have_attribute("href", CITED)
        expect(turn.get_by_role("button", name="Kopieer antwoord met bronnen")).to_be_hidden()
        page.get_by_label("Uw vraag", exact=True).fill("en bij de geïntegreerde route?")
        page.get_by_role("button", name="Vraag", exact=True).click()
        expect(page.locator("input[name=context]")).to_have_count(2)
        page.get_by_role("button", name="Nuttig", exact=True).click()
        expect(page.get_by_role("heading", name="Bedankt voor uw feedback")).to_be_visible()
        page.goto("/")
        page.get_by_role("button", name="Vraag", exact=True).click()
        expect(page.locator("#vraag-fout")).to_contain_text("Typ eerst een vraag.")
        screenshot(page, "chat-no-js-error")
    finally:
        context.close()


def test_list_answer_is_a_list_and_copies_with_every_item(page) -> None:
    page.goto("/")
    ask(page, "Wat moet er in de samenwerkingsovereenkomst staan?")
    turn = page.locator("#gesprek .turn").last
    expect(turn.locator(".answer-text ul li")).to_have_count(9)  # the whole list of kb section (9 items)
    expect(turn.locator(".related li")).to_have_count(3)  # "Lees ook": the next-best sections
    expect(turn.locator(".related a").first).to_have_attribute("href", re.compile(r"^/kb/[a-z0-9-]+#[a-z0-9-]+$"))
    turn.get_by_role("button", name="Kopieer antwoord met bronnen").click()
    expect(turn.locator(".copy-status")).to_have_text("Gekopieerd.")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.count("\n- ") == 9 and "- afspraken over de medezeggenschap. [1]" in text
