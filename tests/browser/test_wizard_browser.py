"""The route wizard in a real browser: keyboard only, no JavaScript needed, axe-core clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A job-seeking adult for whom neither a diploma nor a certificate is feasible yet.
ADULT_PATH = [("doelgroep", "volwassene"), ("diploma-haalbaar", "nee"),
              ("certificaat-haalbaar", "nee")]
RESULT_URL = "/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee&certificaat-haalbaar=nee"


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',"
        " text: (e.textContent || '').trim()}; }")


def tab_until(page, predicate, limit: int = 40) -> dict:
    """Press Tab until the focused element matches `predicate`; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError("keyboard focus never reached the expected element")


def choose_by_keyboard(page, question: str, option: str) -> None:
    """Tab into the radio group, pick `option` with the arrow keys, Tab to 'Volgende', Enter."""
    values = page.locator(f'input[type="radio"][name="{question}"]').evaluate_all(
        "els => els.map(e => e.value)")
    tab_until(page, lambda e: e["type"] == "radio" and e["name"] == question)
    index = values.index(option)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == option
    expect(page.locator(f"#{question}-{option}")).to_be_checked()
    tab_until(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "Volgende", limit=3)
    page.keyboard.press("Enter")


def test_keyboard_walk_to_outcome_is_accessible(page, axe_violations, screenshot) -> None:
    page.goto("/wizard")
    expect(page.locator(".wizard-step")).to_have_text("Stap 1 van 5")
    assert axe_violations(page) == []

    # Submitting without a choice: an error message inside the fieldset, focus on the options.
    tab_until(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "Volgende")
    page.keyboard.press("Enter")
    expect(page.locator(".field-error")).to_contain_text("Kies een antwoord")
    assert focused(page)["type"] == "radio"
    assert axe_violations(page) == []
    screenshot(page, "wizard-error")

    for number, (question, option) in enumerate(ADULT_PATH, start=1):
        expect(page.locator(".wizard-step")).to_contain_text(f"Stap {number} van")
        expect(page.locator(f'input[type="radio"][name="{question}"]').first).to_be_visible()
        if number == 2:
            assert axe_violations(page) == []
            screenshot(page, "wizard-question")
        choose_by_keyboard(page, question, option)

    # The result: its URL is the permalink.
    expect(page.locator("h1")).to_have_text("Praktijkleerroute op maat, met een praktijkverklaring")
    assert page.url.endswith(RESULT_URL)
    expect(page.locator(".wizard-checklist li").first).to_be_visible()
    expect(page.locator(".wizard-citations a").first).to_have_attribute(
        "href", "/kb/praktijkleerroute-praktijkverklaring#wat-is-de-praktijkleerroute")
    assert axe_violations(page) == []
    screenshot(page, "wizard-result")

    # Keyboard: the 'Vorige vraag' link goes back one step with the earlier answers kept.
    tab_until(page, lambda e: e["tag"] == "A" and e["text"] == "Vorige vraag", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator(".wizard-step")).to_have_text("Stap 3 van 3")
    assert page.url.endswith("/wizard?doelgroep=volwassene&diploma-haalbaar=nee")
    # The only console message is the 422 status of the 'no choice made' page, on purpose.
    assert [e for e in page.js_errors if "422" not in e] == []


def test_permalink_and_print_view(page, axe_violations, screenshot) -> None:
    page.goto(RESULT_URL)
    title = page.locator("h1").text_content()
    permalink = page.locator(".wizard-permalink-url")
    expect(permalink).to_have_attribute("href", RESULT_URL)
    permalink.click()
    expect(page.locator("h1")).to_have_text(title or "")

    page.get_by_role("link", name="Printversie").click()
    expect(page.locator(".site-header nav")).to_be_hidden()
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".wizard-nav")).to_be_hidden()
    expect(page.locator(".wizard-print-url").first).to_be_visible()
    screenshot(page, "wizard-print")


def test_focus_is_visible_on_options(page) -> None:
    page.goto("/wizard")
    tab_until(page, lambda e: e["type"] == "radio")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_works_without_javascript(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto("/wizard")
        for question, option in ADULT_PATH:
            pg.locator(f'label[for="{question}-{option}"]').click()
            pg.get_by_role("button", name="Volgende").click()
        assert pg.url.endswith(RESULT_URL)
        expect(pg.locator("h1")).to_contain_text("Praktijkleerroute")
    finally:
        context.close()
