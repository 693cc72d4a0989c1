"""The embeddable widget in Chromium: host pages on other origins (other ports on 127.0.0.1).

One plain host page, with hostile styles, is served twice by tiny http.server threads: from an
origin on the allowlist and from one that is not. Routewijzer runs in its own uvicorn thread with
ASSISTANT_WIDGET_ORIGINS = [the allowed host origin].
"""

from __future__ import annotations

import functools
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect

from assistant.content.articles import parse_article
from assistant.settings import ROOT, Settings

pytestmark = pytest.mark.browser

QUESTION = "Wat is een doorlopende leerroute?"
CITED = "/kb/dlr-wat-is-het?hl=wat-is-een-dlr#wat-is-een-dlr"
HOSTILE_CSS = """
* { color: red !important; font-size: 40px !important; font-family: serif !important;
    line-height: 3 !important; letter-spacing: 5px !important; }
button { display: none !important; }
div, iframe, span, h2, p, a { display: none !important; visibility: hidden !important; }
"""
HOST_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Schoolsite</title><link rel="icon" href="data:,">
<style>{css}</style></head>
<body><main><h1>Welkom op de schoolsite</h1><p>Informatie over onze opleidingen.</p>
<button type="button" id="eigen-knop">Knop van de school</button></main>
<script src="{rw}/widget.js" data-title="Vraag het de school" data-accent="#7a1f5c"
  data-starters="{question}|Wat is de derde leerweg?" data-contact="de decaan"
  data-contact-url="mailto:decaan@school.example" async></script>
</body></html>
"""

BAD_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Slordig</title><link rel="icon" href="data:,">
</head><body><main><h1>Slordig ingevulde widget</h1></main>
<script src="{rw}/widget.js" data-accent="red;}} * {{ display: none }}"
  data-title="&lt;img src=x onerror=alert(1)&gt;Helpdesk {long}"
  data-starters="&lt;b&gt;Vet&lt;/b&gt;?" data-contact-url="javascript:alert(2)"></script>
</body></html>
""".replace("{long}", "lang " * 100)


@dataclass
class WidgetSite:
    """Routewijzer's URL and the URLs of the same host page from an allowed and a refused origin."""

    routewijzer: str
    allowed: str
    refused: str
    bad: str  # the allowed origin, with hostile data- attributes
    db: Path  # the feedback database of this Routewijzer


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def free_socket() -> tuple[socket.socket, int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock, sock.getsockname()[1]


def static_server(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def widget_site(fake_index_dir: Path, fake_routewijzer, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[WidgetSite]:
    from assistant.webapp.app import create_app

    docroot = tmp_path_factory.mktemp("hostsite")
    allowed_srv, allowed = static_server(docroot)
    refused_srv, refused = static_server(docroot)
    db = tmp_path_factory.mktemp("widget") / "feedback.sqlite3"
    settings = Settings(embedder="fake", index_dir=fake_index_dir, widget_origins=[allowed], feedback_db=db)
    sock, port = free_socket()
    rw = f"http://127.0.0.1:{port}"
    (docroot / "index.html").write_text(
        HOST_PAGE.format(css=HOSTILE_CSS, rw=rw, question=QUESTION), encoding="utf-8")
    (docroot / "bad.html").write_text(BAD_PAGE.format(rw=rw), encoding="utf-8")
    app = create_app(settings, fake_routewijzer)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the Routewijzer server did not start")
        time.sleep(0.02)
    yield WidgetSite(routewijzer=rw, allowed=allowed + "/", refused=refused + "/",
                     bad=allowed + "/bad.html", db=db)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    for srv in (allowed_srv, refused_srv):
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def context(browser) -> Iterator[object]:
    ctx = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def host(context, widget_site: WidgetSite) -> Iterator[object]:
    """The host page from the allowed origin, with its JavaScript errors collected."""
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors  # type: ignore[attr-defined]
    pg.goto(widget_site.allowed)
    yield pg


def launcher(pg):
    return pg.get_by_role("button", name="Stel een vraag")


def embed_frame(pg):
    """The iframe's Frame, once the embed page's chat is on screen."""
    expect(pg.frame_locator("routewijzer-widget iframe").locator("#vraag")).to_be_visible()
    frame = pg.locator("routewijzer-widget iframe").element_handle().content_frame()
    assert frame is not None and "/embed?" in frame.url
    return frame


def open_and_ask(pg, question: str = QUESTION):
    launcher(pg).click()
    frame = embed_frame(pg)
    box = frame.get_by_label("Uw vraag", exact=True)
    box.fill(question)
    box.press("Enter")
    expect(frame.locator(".turn").last).to_be_visible()
    return frame


def focus_in_widget(pg) -> bool:
    return pg.evaluate("document.activeElement?.localName === 'routewijzer-widget'")


def frames_embed_page(pg, site: WidgetSite) -> bool:
    """Add an iframe of /embed (claiming the allowed origin) to the page; did the chat load?"""
    src = f"{site.routewijzer}/embed?origin={site.allowed.rstrip('/')}"
    pg.evaluate("""src => new Promise(done => { const f = document.createElement('iframe');
        f.id = 'spoof'; f.onload = done; f.src = src; document.body.append(f); })""", src)
    frame = pg.locator("#spoof").element_handle().content_frame()
    return frame is not None and frame.locator("#vraag").count() == 1


def test_allowed_site_gets_cited_answer_and_citation_opens_article(host, context, widget_site,
                                                                  screenshot) -> None:
    expect(launcher(host)).to_be_visible()
    expect(launcher(host)).to_have_attribute("aria-expanded", "false")
    frame = open_and_ask(host)
    expect(host.get_by_role("dialog", name="Vraag het de school")).to_be_visible()
    turn = frame.locator(".turn").last
    expect(turn.locator(".q")).to_contain_text(QUESTION)
    expect(turn.locator(".a")).to_contain_text("doorlopende leerroute")
    link = turn.locator("a.citation-link").first
    expect(link).to_be_hidden()  # a compact source chip, opened to show the passage and the link
    turn.locator(".citations summary").first.click()
    expect(turn.locator(".passage").first).to_contain_text("samenhangend onderwijsprogramma")
    expect(link).to_have_attribute("href", widget_site.routewijzer + CITED)
    expect(link).to_have_attribute("target", "_blank")
    expect(turn.locator(".reviewed").first).to_contain_text("Laatst gecontroleerd op")
    stand = parse_article((ROOT / "kb" / "articles" / "dlr-wat-is-het.md").read_text(encoding="utf-8")).stand
    assert stand  # every article says how current its rules are (issue 13)
    expect(turn.locator(".stand").first).to_have_text(f"Stand: {stand}")
    screenshot(host, "widget-answer")
    with context.expect_page() as new_tab:
        link.click()
    article = new_tab.value
    article.wait_for_load_state()
    assert article.url == widget_site.routewijzer + CITED
    expect(article.locator("section#wat-is-een-dlr")).to_have_class("kb-section is-cited")
    assert host.url == widget_site.allowed  # the host page stays where it was
    assert frames_embed_page(host, widget_site)  # control for the refused-origin test below
    assert host.js_errors == []


def test_starter_question_and_abstain_offers_wizard_and_site_contact(host, widget_site) -> None:
    launcher(host).click()
    frame = embed_frame(host)
    starter = frame.get_by_role("button", name="Wat is de derde leerweg?")
    expect(starter).to_be_visible()
    starter.click()
    expect(frame.locator(".turn .q").last).to_contain_text("derde leerweg")
    box = frame.get_by_label("Uw vraag", exact=True)
    box.fill("Hoe laat is het op Mars?")
    box.press("Enter")
    turn = frame.locator(".turn.abstained").last
    expect(turn).to_be_visible()
    expect(turn.get_by_role("link", name="Routewijzer-wizard")).to_have_attribute(
        "href", widget_site.routewijzer + "/wizard")
    expect(turn.get_by_role("link", name="de decaan")).to_have_attribute(
        "href", "mailto:decaan@school.example")
    assert turn.inner_text().count("Neem contact op met") == 1  # the site's contact, once
    offered = turn.locator("button.starter").first  # off-topic: the starter questions to try
    expect(offered).to_be_visible()
    offered.click()
    expect(frame.locator(".turn .q").last).to_contain_text(offered.inner_text())
    assert host.js_errors == []


def test_nearby_topic_refers_to_where_to_go_instead(host) -> None:
    launcher(host).click()
    frame = embed_frame(host)
    box = frame.get_by_label("Uw vraag", exact=True)
    box.fill("krijg ik studiefinanciering als ik via de derde leerweg een opleiding volg")
    box.press("Enter")
    turn = frame.locator(".turn.abstained").last
    expect(turn).to_contain_text("gaat deze kennisbank niet")
    expect(turn.get_by_role("link", name="DUO: Studiefinanciering")).to_have_attribute(
        "href", "https://duo.nl/particulier/studiefinanciering/")
    assert turn.inner_text().count("Neem contact op met") == 1
    assert host.js_errors == []


def test_host_page_styles_do_not_leak_into_widget(host, screenshot) -> None:
    expect(host.locator("#eigen-knop")).to_be_hidden()  # the hostile styles do apply to the host
    button = launcher(host)
    expect(button).to_be_visible()
    style = button.evaluate("b => { const s = getComputedStyle(b); return [s.color, s.fontSize, "
                            "s.display, s.backgroundColor, s.fontFamily, s.letterSpacing]; }")
    assert style[0] != "rgb(255, 0, 0)" and style[1] == "16px" and style[2] != "none"
    assert style[4].startswith("system-ui") and style[5] == "normal"
    assert style[3] == "rgb(122, 31, 92)"  # data-accent
    box = button.bounding_box()
    assert box and box["height"] < 80 and box["width"] > 40
    button.click()
    frame = embed_frame(host)
    expect(host.locator("routewijzer-widget iframe")).to_be_visible()
    label = button.locator("span")
    assert label.evaluate("s => getComputedStyle(s).fontFamily").startswith("system-ui")
    title = host.locator("routewijzer-widget h2")
    assert title.evaluate("h => getComputedStyle(h).color") != "rgb(255, 0, 0)"
    assert frame.locator("body").evaluate("b => getComputedStyle(b).fontSize") == "15px"
    screenshot(host, "widget-hostile-styles")


def test_keyboard_focus_trap_escape_and_live_region(host) -> None:
    button = launcher(host)
    button.focus()
    host.keyboard.press("Enter")
    frame = embed_frame(host)
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(frame.get_by_label("Uw vraag", exact=True)).to_be_focused()
    for _ in range(12):  # forwards around the panel, never out of it
        host.keyboard.press("Tab")
        assert focus_in_widget(host)
    inner = host.evaluate("document.activeElement.shadowRoot.activeElement.localName")
    assert inner in ("button", "iframe")
    for _ in range(12):
        host.keyboard.press("Shift+Tab")
        assert focus_in_widget(host)
    box = frame.get_by_label("Uw vraag", exact=True)
    box.focus()
    box.fill(QUESTION)
    box.press("Enter")
    status = frame.locator("#aankondiging")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("Antwoord: ")
    box.press("Escape")  # Esc inside the iframe closes the panel ...
    expect(host.get_by_role("dialog")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()  # ... and focus is back on the launcher
    host.keyboard.press("Enter")  # reopening keeps the conversation
    expect(frame.locator(".turn")).to_have_count(1)
    host.get_by_role("button", name="Sluiten").press("Escape")
    expect(button).to_be_focused()


def test_axe_finds_no_violations_in_embed_frame(host, axe_violations) -> None:
    frame = open_and_ask(host)
    box = frame.get_by_label("Uw vraag", exact=True)
    box.fill("Hoe laat is het op Mars?")
    box.press("Enter")
    expect(frame.locator(".turn.abstained")).to_be_visible()
    violations = axe_violations(frame)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_axe_finds_no_violations_in_launcher_and_panel(host) -> None:
    from axe_playwright_python.sync_playwright import Axe

    launcher(host).click()
    embed_frame(host)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(host, context={"include": [["routewijzer-widget"]]}, options=options)
    violations = results.response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_refused_origin_shows_nothing_and_warns_the_site_owner(context, widget_site) -> None:
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    warnings: list[str] = []
    pg.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    pg.goto(widget_site.refused)
    pg.wait_for_load_state("networkidle")
    expect(pg.locator("routewijzer-widget")).to_have_count(0)  # visitors see nothing
    mine = [w for w in warnings if w.startswith("Routewijzer-widget:")]
    assert len(mine) == 1 and widget_site.refused.rstrip("/") in mine[0], warnings
    assert "ASSISTANT_WIDGET_ORIGINS" in mine[0]
    # The API refuses this origin too: the CORS preflight fails, so no answer can be read ...
    result = pg.evaluate("""url => fetch(url, {method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({question: 'Wat is een doorlopende leerroute?'})})
        .then(r => 'answered ' + r.status, e => 'blocked')""", widget_site.routewijzer + "/api/ask")
    assert result == "blocked"
    # ... and framing the embed page directly (even with a spoofed origin) is blocked by the CSP.
    assert not frames_embed_page(pg, widget_site)


def test_bad_data_attributes_are_neutralised(context, widget_site) -> None:
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(widget_site.bad)
    button = launcher(pg)
    expect(button).to_be_visible()
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 85, 99)"
    button.click()
    title = pg.locator("routewijzer-widget h2")
    text = title.text_content() or ""
    assert text.startswith("Helpdesk lang") and len(text) <= 60 and "<" not in text
    assert pg.locator("routewijzer-widget img").count() == 0
    frame = embed_frame(pg)
    expect(frame.get_by_role("button", name="Vet?")).to_be_visible()
    assert frame.locator("b, img").count() == 0
    assert frame.locator("html").get_attribute("data-contact-url") == ""
    assert dialogs == []


def test_list_answer_shows_every_item_as_a_list(host, screenshot) -> None:
    frame = open_and_ask(host, "Wat moet er in de samenwerkingsovereenkomst staan?")
    turn = frame.locator(".turn").last
    expect(turn.locator(".a ul li")).to_have_count(9)  # the whole list of the cited section
    expect(turn.locator(".a p").first).to_contain_text("afspraken over deze onderwerpen:")
    screenshot(host, "widget-list-answer")


def test_widget_has_feedback_copy_and_new_conversation_and_keeps_it(host, context, widget_site,
                                                                   screenshot) -> None:
    import sqlite3

    for origin in (widget_site.routewijzer, widget_site.allowed.rstrip("/")):
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    frame = open_and_ask(host)
    turn = frame.locator(".turn").last
    turn.get_by_role("button", name="Kopieer antwoord met bronnen").click()
    expect(turn.locator(".done")).to_have_text("Gekopieerd.")
    copied = host.evaluate("navigator.clipboard.readText()")  # the frame may write, not read
    assert copied.startswith(f"Vraag: {QUESTION}") and widget_site.routewijzer + "/kb/dlr-wat-is-het#" in copied
    turn.get_by_role("button", name="Niet nuttig").click()  # the reasons open at once
    reasons = turn.get_by_role("group", name="Wat klopt er niet?")
    expect(reasons).to_be_visible()
    expect(reasons.get_by_role("radio").first).to_be_focused()
    reasons.get_by_label("Het antwoord is onduidelijk").check()
    reasons.get_by_role("button", name="Verstuur").click()
    expect(turn.locator(".done")).to_have_text("Bedankt voor uw feedback.")
    expect(turn.get_by_role("button", name="Nuttig", exact=True)).to_be_disabled()
    screenshot(host, "widget-feedback")
    with sqlite3.connect(widget_site.db) as conn:
        rows = conn.execute("SELECT rating, reason FROM feedback WHERE question = ?", (QUESTION,)).fetchall()
    assert ("not_helpful", "onduidelijk") in rows
    # The conversation survives a page change on the host site (per tab) ...
    host.reload()
    launcher(host).click()
    frame = embed_frame(host)
    expect(frame.locator(".turn")).to_have_count(1)
    expect(frame.locator(".turn").last.get_by_role("button", name="Niet nuttig")).to_be_disabled()
    # ... until "Nieuw gesprek".
    frame.get_by_role("button", name="Nieuw gesprek").click()
    expect(frame.locator(".turn")).to_have_count(0)
    expect(frame.get_by_role("button", name="Wat is de derde leerweg?")).to_be_visible()
    expect(frame.get_by_label("Uw vraag", exact=True)).to_be_focused()
    assert host.js_errors == []


def test_widget_dark_mode_passes_axe(browser, widget_site, axe_violations, screenshot) -> None:
    ctx = browser.new_context(locale="nl-NL", color_scheme="dark", viewport={"width": 1200, "height": 900})
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(10_000)
        pg.goto(widget_site.allowed)
        frame = open_and_ask(pg)
        frame.locator(".citations summary").first.click()
        frame.get_by_role("button", name="Niet nuttig").click()
        assert frame.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 25, 29)"
        violations = axe_violations(frame)
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
        screenshot(pg, "widget-dark")
    finally:
        ctx.close()
