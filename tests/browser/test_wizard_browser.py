"""The route wizard in a real browser: keyboard only, no JavaScript needed, axe-core clean;
the result's checklist (kept in the link), copy-link and print buttons, and the print view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A job-seeking adult who wants recognition of what he can do in practice.
ADULT_PATH = [("doelgroep", "volwassene"), ("wens", "praktijkverklaring")]
RESULT_URL = "/wizard/result?doelgroep=volwassene&wens=praktijkverklaring"
# A vmbo-bb pupil whose schools' arrangements the helpdesk does not know.
GLR_URL = ("/wizard/result?doelgroep=vmbo&leerweg=bb&programma=volledig&niveau=niveau-2"
           "&vmbo-diploma=zonder-examen&scholen-glr=weet-niet")


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
    expect(page.locator(".wizard-step")).to_have_text("Stap 1 van 7")
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
    expect(page.locator(".wizard-checklist input[type=checkbox]").first).to_be_visible()
    expect(page.locator(".wizard-citations a").first).to_have_attribute(
        "href", "/kb/praktijkleerroute-praktijkverklaring#wat-is-de-praktijkleerroute")
    assert axe_violations(page) == []
    screenshot(page, "wizard-result")

    # Keyboard: the 'Vorige vraag' link goes back one step with the earlier answers kept.
    tab_until(page, lambda e: e["tag"] == "A" and e["text"] == "Vorige vraag", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator(".wizard-step")).to_have_text("Stap 2 van 4")
    assert page.url.endswith("/wizard?doelgroep=volwassene")
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
    expect(page.locator(".wizard-print-url").first).to_contain_text("(http://127.0.0.1:")
    expect(page.locator(".wizard-date")).to_contain_text("opgesteld op ")
    expect(page.locator(".wizard-stand")).to_contain_text("Stand:")
    expect(page.locator(".wizard-copy")).to_be_hidden()
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


def test_checklist_ticks_live_in_the_link(page, axe_violations, screenshot) -> None:
    page.goto(GLR_URL)
    expect(page.locator(".wizard-settle")).to_contain_text("DUO")
    expect(page.locator(".wizard-save-ticks")).to_be_hidden()  # JavaScript saves ticks at once
    page.locator('label[for="klaar-1"]').click()
    page.locator('label[for="klaar-4"]').click()
    expect(page.locator(".wizard-ticks-status")).to_have_text("2 van 7 afgevinkt.")
    assert page.url.endswith(GLR_URL + "&_klaar=1&_klaar=4")
    permalink = page.locator(".wizard-permalink-url")
    expect(permalink).to_have_attribute("href", GLR_URL + "&_klaar=1&_klaar=4")
    assert axe_violations(page) == []
    screenshot(page, "wizard-checklist")
    page.reload()  # the ticks come back from the link alone
    expect(page.locator("#klaar-1")).to_be_checked()
    expect(page.locator("#klaar-4")).to_be_checked()
    expect(page.locator("#klaar-0")).not_to_be_checked()
    page.locator('label[for="klaar-1"]').click()
    assert page.url.endswith(GLR_URL + "&_klaar=4")
    assert page.js_errors == []


def test_copy_link_and_print_buttons(page) -> None:
    page.add_init_script("window.print = function () { window.__printed = true; };")
    page.goto(RESULT_URL + "&_klaar=0")
    copy = page.get_by_role("button", name="Kopieer de link")
    copy.click()
    expect(page.locator(".wizard-copy-status")).to_have_text("De link is gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("http://127.0.0.1:") and copied.endswith(RESULT_URL + "&_klaar=0")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.__printed === true")
    assert page.js_errors == []


def test_checklist_and_old_links_without_javascript(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(RESULT_URL)
        expect(pg.locator(".wizard-copy")).to_be_hidden()  # needs JavaScript, so not shown
        pg.locator('label[for="klaar-2"]').click()
        pg.get_by_role("button", name="Vinkjes bewaren in de link").click()
        assert pg.url.endswith(RESULT_URL + "&_klaar=2")
        expect(pg.locator("#klaar-2")).to_be_checked()
        response = pg.goto("/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee"
                           "&certificaat-haalbaar=nee")
        assert response is not None and response.status == 410
        expect(pg.locator("h1")).to_have_text("Dit advies bestaat niet meer")
    finally:
        context.close()


def test_old_link_page_copies_and_restarts_with_the_answers_left(page, axe_violations, screenshot) -> None:
    page.add_init_script("window.print = function () { window.__printed = true; };")
    old = "/wizard/result?doelgroep=volwassene&diploma-haalbaar=nee&certificaat-haalbaar=nee"
    response = page.goto(old)
    assert response is not None and response.status == 410
    expect(page.locator(".wizard-kept dd")).to_have_text(
        ["Een volwassene die werkt of werk zoekt en zich wil scholen"])
    assert axe_violations(page) == []
    screenshot(page, "wizard-gone")
    page.get_by_role("button", name="Kopieer de link").click()
    expect(page.locator(".wizard-copy-status")).to_have_text("De link is gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("http://127.0.0.1:") and copied.endswith("/wizard?_vooraf=doelgroep.volwassene")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.__printed === true")
    page.get_by_role("link", name="Opnieuw beginnen met deze antwoorden").click()
    expect(page.locator("#doelgroep-volwassene")).to_be_checked()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator(".wizard-question")).to_have_text("Wat wil de persoon halen?")
    # the only console message is Chromium reporting the page's own 410 status
    assert [e for e in page.js_errors if "status of 410" not in e] == []
