"""Search in the articles and the glossary: the same retrieval as questions, matches highlighted.

`GET /api/search` serves the search-as-you-type boxes on /kb and /glossary; the pages render the
same results server-side for `?q=` (a plain form without JavaScript).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.content.glossary import Term
from assistant.content.kb import KnowledgeBase
from assistant.content.text import markdown_to_text
from assistant.search.lexical import fold
from assistant.webapp.deps import EngineDep

router = APIRouter()
MAX_QUERY = 100
SNIPPET_WORDS = 28
_WORD = re.compile(r"\w+", re.UNICODE)
Scope = Literal["kb", "glossary"]


class Part(BaseModel):
    """A piece of a snippet; `match` pieces are what the search words found."""

    text: str
    match: bool = False


class SearchHit(BaseModel):
    """One article section or glossary term."""

    title: str
    section: str = ""
    url: str
    parts: list[Part]


class SearchOut(BaseModel):
    """The results for one search."""

    query: str
    scope: Scope
    results: list[SearchHit]


@dataclass
class Search:
    """Cleaned search words and the query's folded stems (prefixes) used for highlighting."""

    text: str
    stems: list[str] = field(default_factory=list)


def clean_query(q: str | None) -> Search | None:
    """Search words without control characters; None when there is nothing to search for."""
    text = " ".join("".join(ch for ch in (q or "")[:MAX_QUERY] if ch.isprintable()).split())
    words = [fold(w) for w in _WORD.findall(text)]
    stems = sorted({w[:max(4, len(w) - 2)] if len(w) > 4 else w for w in words if len(w) >= 2},
                   key=len, reverse=True)
    return Search(text, stems) if stems else None


def highlight(text: str, stems: list[str], words: int = SNIPPET_WORDS) -> list[Part]:
    """A window of `text` around its first match, with every word that starts with a stem marked."""
    tokens = re.split(r"(\s+)", " ".join(text.split()))
    marks = [bool(t.strip()) and any(fold(m).startswith(s) for m in _WORD.findall(t)[:1] for s in stems)
             for t in tokens]
    first = next((i for i, m in enumerate(marks) if m), 0)
    start = max(0, first - 8)  # a few words of lead-in (tokens alternate word / space)
    start -= start % 2
    end = min(len(tokens), start + 2 * words)
    parts: list[Part] = [Part(text="… ")] if start else []
    for t, m in zip(tokens[start:end], marks[start:end], strict=True):
        if parts and parts[-1].match == m:
            parts[-1].text += t
        else:
            parts.append(Part(text=t, match=m))
    if end < len(tokens):
        parts.append(Part(text=" …"))
    return parts


async def search_kb(engine: EngineDep, search: Search, limit: int = 8) -> list[SearchHit]:
    """Article sections for the search words, ranked like a question; only sections that hold a
    search word (after spelling correction), so a search never lists unrelated sections."""
    kb: KnowledgeBase = engine.kb
    retrieval = await engine.search_async(search.text, k=limit * 2)
    hits = [h for h in retrieval.hits if h.coverage > 0][:limit]
    out = []
    for h in hits:
        article = kb.by_slug.get(h.slug)
        section = article.section(h.anchor) if article else None
        if article is None or section is None:
            continue
        out.append(SearchHit(title=article.title, section=section.heading,
                             url=f"/kb/{article.slug}?hl={section.anchor}#{section.anchor}",
                             parts=highlight(markdown_to_text(section.body), search.stems)))
    return out


def term_matches(term: Term, stems: list[str]) -> int:
    """How well a term matches: 2 for its name or abbreviation or synonym, 1 for its definition."""
    def has(text: str) -> bool:
        words = [fold(w) for w in _WORD.findall(text)]
        return all(any(w.startswith(s) for w in words) for s in stems)

    if any(has(n) for n in term.names):
        return 2
    return 1 if has(term.definition) else 0


def search_glossary(terms: list[Term], search: Search) -> list[SearchHit]:
    """Glossary terms holding every search word, names before definitions."""
    scored = sorted(((term_matches(t, search.stems), t) for t in terms),
                    key=lambda st: (-st[0], st[1].term.lower()))
    return [SearchHit(title=t.term, url=f"/glossary#{t.anchor}",
                      parts=highlight(t.definition, search.stems, words=40))
            for score, t in scored if score]


@router.get("/api/search", response_model=SearchOut, tags=["api"],
            summary="Zoek in de artikelen of de begrippen",
            responses={422: {"description": "Geen zoekwoorden"}})
async def api_search(
    engine: EngineDep,
    q: Annotated[str, Query(max_length=MAX_QUERY * 2, description="De zoekwoorden.")] = "",
    scope: Annotated[Scope, Query(description="'kb' (artikelen) of 'glossary' (begrippen).")] = "kb",
) -> JSONResponse:
    """Sections (or terms) for the search words, each with a snippet whose matches are marked."""
    search = clean_query(q)
    if search is None:
        return JSONResponse({"detail": "Typ een of meer zoekwoorden.", "field": "q"}, status_code=422)
    if scope == "glossary":
        results = search_glossary(engine.kb.glossary, search)
    else:
        results = await search_kb(engine, search)
    body = SearchOut(query=search.text, scope=scope, results=results)
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store"})
