"""/api/search and the search forms on /kb and /glossary (without JavaScript)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from assistant.webapp.search import clean_query, highlight


def marked(parts: list[dict]) -> list[str]:
    return [p["text"] for p in parts if p["match"]]


def test_api_search_finds_sections_and_marks_the_words(client: TestClient) -> None:
    res = client.get("/api/search", params={"q": "praktijkverklaring"})
    assert res.status_code == 200 and res.headers["cache-control"] == "no-store"
    body = res.json()
    assert body["scope"] == "kb" and body["query"] == "praktijkverklaring"
    results = body["results"]
    assert results and all(r["url"].startswith("/kb/") and "?hl=" in r["url"] for r in results)
    assert all(any(m.lower().startswith("praktijkverklaring") for m in marked(r["parts"])) for r in results)
    top = results[0]
    assert "praktijkverklaring" in (top["section"] + top["title"]).lower()


def test_api_search_glossary_folds_accents(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "geintegreerde", "scope": "glossary"}).json()
    titles = [r["title"] for r in body["results"]]
    assert any("geïntegreerde" in t.lower() for t in titles), titles
    assert all(r["url"].startswith("/glossary#") for r in body["results"])
    first = body["results"][0]
    assert re.fullmatch(r"/glossary#[a-z0-9-]+", first["url"])


def test_api_search_refuses_empty_and_bad_scope(client: TestClient) -> None:
    empty = client.get("/api/search", params={"q": "  "})
    assert empty.status_code == 422 and empty.json()["detail"] == "Typ een of meer zoekwoorden."
    assert client.get("/api/search", params={"q": "dlr", "scope": "alles"}).status_code == 422
    assert client.get("/api/search", params={"q": "x" * 500}).status_code == 422


def test_highlight_marks_word_starts_and_cuts_a_window() -> None:
    text = " ".join(["vulwoord"] * 40 + ["De", "praktijkverklaring", "geeft", "bewijs."] + ["staart"] * 40)
    parts = [p.model_dump() for p in highlight(text, clean_query("praktijkverklaringen").stems)]
    assert marked(parts) == ["praktijkverklaring"]
    joined = "".join(p["text"] for p in parts)
    assert joined.startswith("… ") and joined.endswith(" …") and len(joined.split()) < 40
    assert clean_query("\x00 \u202e ") is None


def test_kb_search_without_javascript(client: TestClient) -> None:
    res = client.get("/kb", params={"q": "praktijkverklaring"})
    assert res.status_code == 200
    assert 'role="search"' in res.text and 'value="praktijkverklaring"' in res.text
    assert re.search(r"\d+ resultat?en? voor “praktijkverklaring”", res.text)
    assert re.search(r"<mark>[Pp]raktijkverklaring", res.text)
    assert 'id="themas-titel"' in res.text  # the full list stays below
    none = client.get("/kb", params={"q": "zzqqxx"})
    assert "Geen resultaten voor “zzqqxx”" in none.text
    plain = client.get("/kb")
    assert 'id="zoekresultaten" class="search-results" hidden' in plain.text


def test_glossary_search_without_javascript(client: TestClient) -> None:
    res = client.get("/glossary", params={"q": "BPV"})
    assert res.status_code == 200 and "<mark>" in res.text
    assert re.search(r'<li><a href="/glossary#[a-z0-9-]+">', res.text)
