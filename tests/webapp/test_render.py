"""Hostile Markdown renders inert; abstentions offer related articles, the wizard, the contact."""

from __future__ import annotations

from dataclasses import dataclass, replace
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from assistant.answers.types import Answer, Related, validate_question
from assistant.content.articles import parse_article
from assistant.content.kb import KnowledgeBase
from assistant.settings import Settings
from assistant.webapp.render import dutch_date, markdown_html, strip_anchor

HOSTILE = """---
slug: hostile
title: "<script>alert('titel')</script> Titel"
summary: "<img src=x onerror=alert(1)> samenvatting"
themes: [algemeen]
audience: [helpdesk]
sources:
  - title: "<b>bron</b> <script>alert(3)</script>"
    url: "https://example.org/?q=\\"><script>alert(4)</script>"
last_reviewed: 2026-01-01
---

## Kop <em>schuin</em> {#kop}

<script>alert('body')</script>
<img src=x onerror="alert(5)">
<iframe src="https://evil.example"></iframe>

[js](javascript:alert(6)) [JS](JaVaScRiPt:alert(7)) [data](data:text/html;base64,PHNjcmlwdD4=)
[vb](vbscript:msgbox) [proto](//evil.example/x) [ok](https://example.org/ok)
[intern](/kb/hostile#kop)
![plaatje](javascript:alert(8)) <a href="javascript:alert(9)">rauw</a>
[spatie]( javascript:alert(10))

## Tweede {#tweede}

Tekst met `<code>` en een <style>body{display:none}</style> stijl.
"""


SAFE_TAGS = {"p", "a", "ul", "ol", "li", "strong", "em", "code", "pre", "h3", "br"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_inert(html: str, allowed_tags: set[str] = SAFE_TAGS) -> None:
    """Only harmless tags, no event handlers, and every link http(s), mailto or site-relative."""
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _ in parser.found}
    assert tags <= allowed_tags, tags - allowed_tags
    for tag, attrs in parser.found:
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "src"), (tag, name)
            if name in ("href", "action"):
                safe = ("https://", "http://", "mailto:", "/", "#")
                assert value and value.startswith(safe), value
                assert not value.startswith("//"), value


@dataclass
class StubEngine:
    """A throwaway engine: a fixed knowledge base and a canned answer."""

    settings: Settings
    kb: KnowledgeBase
    canned: Answer
    index_version: str = "stub"

    def ask(self, question: object, context: list[str] | None = None) -> Answer:
        return replace(self.canned, question=validate_question(question, 500))

    async def ask_async(self, question: object, context: list[str] | None = None) -> Answer:
        return self.ask(question, context)

    def close(self) -> None:
        pass


@pytest.fixture
def stub_client(fake_settings: Settings):
    from assistant.webapp.app import create_app

    article = parse_article(HOSTILE, "kb/articles/hostile.md")
    kb = KnowledgeBase([article], [], {})
    abstain = Answer("?", "Op deze vraag heb ik geen betrouwbaar antwoord.", True, 0.1, [],
                     [Related("hostile", "<script>alert('rel')</script>", "/kb/hostile")])
    settings = fake_settings.model_copy(update={"contact": "de <b>helpdesk</b>",
                                                "contact_url": "mailto:helpdesk@example.nl"})
    with TestClient(create_app(settings, StubEngine(settings, kb, abstain))) as client:
        yield client


def test_hostile_article_renders_inert(stub_client: TestClient) -> None:
    res = stub_client.get("/kb/hostile")
    assert res.status_code == 200
    html = res.text
    body = html.split('<main id="inhoud"', 1)[1].split("</main>", 1)[0]
    page_tags = {"nav", "ol", "li", "a", "article", "header", "h1", "p", "dl", "div", "dt", "dd",
                 "time", "section", "h2", "ul", "span"}
    assert_inert(body, SAFE_TAGS | page_tags)
    assert "<em>schuin" not in body and "<b>bron" not in body
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt; Titel" in html
    assert 'href="https://example.org/ok"' in body
    assert 'href="/kb/hostile#kop"' in body
    assert '<section id="kop"' in body and "{#" not in body


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))", "<script>alert(1)</script>", "<a href='javascript:x'>a</a>",
    "[x](data:text/html,<script>alert(1)</script>)", "![i](https://e.org/i.png \"t\" onerror=1)",
])
def test_markdown_html_is_safe(markdown: str) -> None:
    assert_inert(str(markdown_html(markdown)))


def test_markdown_keeps_useful_formatting() -> None:
    out = str(markdown_html("### Sub\n\n- **vet** en *schuin*\n- [link](https://a.nl)\n\n1. een"))
    assert "<h3>Sub</h3>" in out and "<strong>vet</strong>" in out and "<em>schuin</em>" in out
    assert '<a href="https://a.nl" rel="noopener noreferrer">link</a>' in out and "<ol>" in out


def test_abstention_offers_next_steps(stub_client: TestClient) -> None:
    html = stub_client.post("/ask", data={"question": "Hoe laat is het?"}).text
    assert "geen betrouwbaar antwoord" in html
    assert 'href="/kb/hostile"' in html
    assert "&lt;script&gt;alert(&#39;rel&#39;)&lt;/script&gt;" in html
    assert '<a href="/wizard">Routewijzer-wizard</a>' in html
    assert '<a href="mailto:helpdesk@example.nl">de &lt;b&gt;helpdesk&lt;/b&gt;</a>' in html


def test_helpers() -> None:
    assert strip_anchor("Melden {#melden}") == "Melden"
    assert dutch_date("2026-11-22") == "22 november 2026"
    assert dutch_date("onbekend") == "onbekend"


def test_cite_links_link_source_marks_and_escape_text() -> None:
    from assistant.webapp.render import cite_links

    html = str(cite_links("De vo-school <b>meldt</b> [1] en [2], niet [4].", 3, 2))
    assert "&lt;b&gt;meldt&lt;/b&gt;" in html
    assert '<a class="cite-ref" href="#bron-3-1" aria-label="Bron 1">[1]</a>' in html
    assert 'href="#bron-3-2"' in html
    assert "[4]" in html and "bron-3-4" not in html  # no such source: left as text
