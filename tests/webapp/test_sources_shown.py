"""Readers see where a definition comes from; search-only aliases and editor notes stay out of the glossary page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from assistant.content.glossary import Source, Term
from assistant.content.kb import KnowledgeBase


class _KBOnly:
    """Just enough of the engine for the glossary page: settings and a knowledge base."""

    index_version = "stub"

    def __init__(self, settings, kb: KnowledgeBase) -> None:
        self.settings, self.kb = settings, kb

    def ask(self, question: str, context: list[str] | None = None):  # pragma: no cover
        raise NotImplementedError

    async def ask_async(self, question: str, context: list[str] | None = None):  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        pass


def _glossary_html(client: TestClient) -> str:
    return client.get("/glossary").text


def test_every_definition_shows_its_sources(client: TestClient, fake_routewijzer) -> None:
    kb = fake_routewijzer.kb
    html = _glossary_html(client)
    for term in kb.glossary:
        block = html.split(f'id="{term.anchor}"', 1)[1].split('<div class="term"', 1)[0]
        for sid in term.sources:
            assert kb.sources[sid].title.replace("'", "&#39;").replace('"', "&#34;") in block, (term.term, sid)


def test_aliases_and_notes_are_not_shown(fake_settings) -> None:
    from assistant.webapp.app import create_app

    term = Term(term="praktijkverklaring", definition="Een bewijs van wat iemand in de praktijk kan.",
                synonyms=("praktijkbewijs",), search_aliases=("deelcertificaat",),
                editor_notes=("Alias-notitie-zq: geen bron gebruikt dit woord.",), sources=("sbb",))
    kb = KnowledgeBase([], [term], {"sbb": Source(id="sbb", title="SBB: Praktijkverklaring",
                                                     url="https://www.s-bb.nl/praktijkverklaring", date="2024")})
    with TestClient(create_app(fake_settings, _KBOnly(fake_settings, kb))) as client:
        html = _glossary_html(client)
    assert "Ook genoemd: praktijkbewijs" in html
    assert "deelcertificaat" not in html and "Alias-notitie-zq" not in html
    link = r'Bron: <a href="https://www.s-bb.nl/praktijkverklaring"[^>]*>SBB: Praktijkverklaring</a> \(2024\)'
    assert re.search(link, html)
