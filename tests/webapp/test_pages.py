"""HTML pages: chat without JavaScript, articles, index, glossary, 404, security headers."""

from __future__ import annotations

import re
import sqlite3

import pytest
from fastapi.testclient import TestClient

QUESTION = "Wat is een doorlopende leerroute?"


def test_chat_page(client: TestClient) -> None:
    res = client.get("/")
    assert res.status_code == 200
    html = res.text
    assert '<html lang="nl">' in html
    assert 'id="aankondiging" class="visually-hidden" role="status" aria-live="polite"' in html
    assert '<label for="vraag" class="visually-hidden">Uw vraag</label>' in html
    assert '<textarea id="vraag" name="question"' in html and 'maxlength="500"' in html
    assert 'href="#inhoud"' in html and '<main id="inhoud"' in html
    for label, href in (("Vraag stellen", "/"), ("Artikelen", "/kb"), ("Begrippen", "/glossary"),
                        ("Routewijzer-wizard", "/wizard")):
        link = re.search(rf'<a href="{href}"[^>]*>(.*?)</a>', html)
        assert link and re.sub(r"<[^>]+>", "", link.group(1)) == label
    assert 'value="Wat is een doorlopende leerroute?"' in html  # a starter question
    assert "<script" in html and "<script>" not in html  # only external scripts


@pytest.mark.parametrize("path", ["/", "/ask"])
def test_ask_without_javascript(client: TestClient, path: str) -> None:
    res = client.post(path, data={"question": QUESTION})
    assert res.status_code == 200
    html = res.text
    assert "samenhangend onderwijsprogramma" in html
    assert 'href="/kb/dlr-wat-is-het?hl=wat-is-een-dlr#wat-is-een-dlr"' in html
    assert "Laatst gecontroleerd op" in html
    assert f'<input type="hidden" name="context" value="{QUESTION}">' in html
    assert 'action="/feedback"' in html


def test_follow_up_without_javascript_keeps_context(client: TestClient) -> None:
    first = "Wat is het verschil tussen een DLR en een GLR?"
    follow_up = "en bij de geïntegreerde route?"
    res = client.post("/ask", data={"question": follow_up, "context": [first]})
    assert res.status_code == 200
    hidden = re.findall(r'<input type="hidden" name="context" value="([^"]*)">', res.text)
    assert hidden == [first, "en bij de geïntegreerde route?"]


@pytest.mark.parametrize(("question", "message"), [
    ("", "Typ eerst een vraag."), ("   ", "Typ eerst een vraag."), ("x" * 600, "te lang"),
])
def test_bad_question_without_javascript(client: TestClient, question: str, message: str) -> None:
    res = client.post("/ask", data={"question": question})
    assert res.status_code == 422
    assert 'aria-invalid="true"' in res.text
    error = re.search(r'<p id="vraag-fout" class="field-error" >(.*?)</p>', res.text, re.S)
    assert error and message in error.group(1)


def test_answer_fragment_for_javascript(client: TestClient) -> None:
    res = client.post("/fragments/answer", data={"question": QUESTION, "context": ["eerder"]})
    assert res.status_code == 200
    assert res.text.lstrip().startswith("<article") or "<article" in res.text[:200]
    assert 'id="antwoord-2"' in res.text and "<html" not in res.text
    bad = client.post("/fragments/answer", data={"question": " "})
    assert bad.status_code == 422 and bad.json()["detail"] == "Typ eerst een vraag."


def test_feedback_without_javascript(client: TestClient, fake_settings) -> None:
    res = client.post("/feedback", data={
        "question": QUESTION, "answer": "…", "abstained": "false", "rating": "helpful",
        "reason": "", "comment": "Top! Mail: piet@roc.nl",
        "citations": ["/kb/dlr-wat-is-het#wat-is-een-dlr"],
    })
    assert res.status_code == 201 and "Bedankt voor uw feedback" in res.text
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        assert conn.execute("SELECT rating, comment FROM feedback").fetchall() == [
            ("helpful", "Top! Mail: [e-mailadres]")]
    bad = client.post("/feedback", data={"question": QUESTION, "rating": "misschien"})
    assert bad.status_code == 422 and "niet worden opgeslagen" in bad.text


def test_not_helpful_without_javascript_asks_why_first(client: TestClient, fake_settings) -> None:
    form = {"question": QUESTION, "answer": "…", "abstained": "false", "rating": "not_helpful",
            "citations": ["/kb/dlr-wat-is-het#wat-is-een-dlr"]}
    ask = client.post("/feedback", data=form)
    assert ask.status_code == 200 and "Wat klopt er niet?" in ask.text
    assert 'name="reason" value="onvolledig"' in ask.text and 'name="step" value="reason"' in ask.text
    assert f'name="question" value="{QUESTION}"' in ask.text
    with sqlite3.connect(fake_settings.feedback_db) as conn:  # nothing stored before the reason
        assert conn.execute("SELECT count(*) FROM feedback").fetchone() == (0,)
    done = client.post("/feedback", data={**form, "step": "reason", "reason": "onvolledig"})
    assert done.status_code == 201
    skipped = client.post("/feedback", data={**form, "step": "reason"})  # a reason is not required
    assert skipped.status_code == 201
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        rows = conn.execute("SELECT rating, reason, citations FROM feedback ORDER BY id").fetchall()
    assert rows == [("not_helpful", "onvolledig", '["/kb/dlr-wat-is-het#wat-is-een-dlr"]'),
                    ("not_helpful", None, '["/kb/dlr-wat-is-het#wat-is-een-dlr"]')]


def test_article_page(client: TestClient, fake_routewijzer) -> None:
    article = fake_routewijzer.kb.by_slug["dlr-melden-bij-duo"]
    res = client.get("/kb/dlr-melden-bij-duo")
    assert res.status_code == 200
    html = res.text
    assert f"<h1>{article.title}</h1>" in html
    for section in article.sections:
        assert f'<section id="{section.anchor}" class="kb-section"' in html
    assert "{#" not in html
    assert 'datetime="2026-11-22"' in html or article.last_reviewed.isoformat() in html
    assert "FAQ n.a.v. webinar" in html  # a seed source, by title
    assert 'href="https://rio-kennisbank.duo.nl/' in html  # a public source, as a link
    assert 'href="/kb/dlr-fasen-vo-mbo"' in html  # related
    assert "phrasings" not in html and "Heeft het zin om onze DLR" not in html


def test_article_highlights_cited_section(client: TestClient) -> None:
    html = client.get("/kb/dlr-wat-is-het", params={"hl": "wat-is-een-dlr"}).text
    assert '<section id="wat-is-een-dlr" class="kb-section is-cited"' in html
    assert html.count("is-cited") == 1
    unknown = client.get("/kb/dlr-wat-is-het", params={"hl": '"><script>'}).text
    assert "is-cited" not in unknown and "<script>" not in unknown


def test_kb_index_lists_every_article_by_theme(client: TestClient, fake_routewijzer) -> None:
    html = client.get("/kb").text
    for article in fake_routewijzer.kb.articles:
        assert f'href="/kb/{article.slug}"' in html
    assert 'id="doorlopende-leerroutes"' in html


def test_glossary_page(client: TestClient, fake_routewijzer) -> None:
    html = client.get("/glossary").text
    for term in fake_routewijzer.kb.glossary:
        assert f'id="{term.anchor}"' in html
        if term.see:
            assert f'href="{term.see}"' in html


@pytest.mark.parametrize("path", ["/bestaat-niet", "/kb/bestaat-niet"])
def test_dutch_404(client: TestClient, path: str) -> None:
    res = client.get(path, headers={"accept": "text/html"})
    assert res.status_code == 404
    assert "Pagina niet gevonden" in res.text and '<html lang="nl">' in res.text


def test_api_404_is_json(client: TestClient) -> None:
    res = client.get("/api/bestaat-niet")
    assert res.status_code == 404 and res.json()["detail"] == "Deze pagina bestaat niet."


@pytest.mark.parametrize(
    "path", ["/", "/kb/dlr-wat-is-het", "/healthz", "/static/app.css", "/nope"]
)
def test_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"


def test_security_headers_on_api(client: TestClient) -> None:
    headers = client.post("/api/ask", json={"question": QUESTION}).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_hostile_question_stays_inert(client: TestClient) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> wat is een DLR?'
    for path in ("/ask", "/fragments/answer"):
        html = client.post(path, data={"question": hostile}).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    api = client.post("/api/ask", json={"question": hostile})
    assert api.headers["content-type"] == "application/json"


def test_off_topic_question_offers_starters_and_names_the_contact_once(client: TestClient, fake_settings) -> None:
    res = client.post("/fragments/answer", data={"question": "Geef me een recept voor erwtensoep"})
    html = res.text
    assert "Routewijzer beantwoordt vragen over de derde leerweg" in html
    assert 'class="starter-form"' in html and 'value="Wat is de derde leerweg?"' in html
    assert "Lees ook" not in html and "/kb/" not in html  # no unrelated sections offered
    assert html.count(fake_settings.contact) == 1


def test_answer_the_kb_cannot_give_says_so(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "hoeveel geld krijgt een school per dlr leerling"}).json()
    assert body["not_in_kb"] == "bedrag" and not body["abstained"]
    assert body["answer"].startswith("De kennisbank noemt geen bedrag hierover.")
    assert body["citations"]  # the nearest section is still cited
