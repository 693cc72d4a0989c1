"""HTML pages: the chat (with or without JavaScript), articles, the article index, the glossary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from assistant.answers.types import Answer, QuestionError
from assistant.content.articles import THEMES
from assistant.content.currency import not_yet_text, outdated_text
from assistant.search.model_thread import QueueFull
from assistant.webapp import search
from assistant.webapp.api import MAX_CONTEXT, clean_context, log_answer
from assistant.webapp.deps import (
    ClockDep,
    EngineDep,
    FeedbackDep,
    KBDep,
    QuestionLogDep,
    SettingsDep,
    TemplatesDep,
)
from assistant.webapp.feedback import REASONS, FeedbackIn
from assistant.webapp.queueing import RETRY_AFTER, ClientGone, busy_response, busy_status, unless_gone

router = APIRouter(include_in_schema=False)

STARTERS: tuple[str, ...] = (
    "Wat is een doorlopende leerroute?",
    "Wat is het verschil tussen een DLR en een GLR?",
    "Tot wanneer kunnen we een doorlopende leerroute melden bij DUO?",
    "Wat is de derde leerweg?",
    "Wat is een praktijkverklaring?",
    "Hoe wordt een doorlopende leerroute bekostigd?",
)
FormText = Annotated[str, Form()]
FormList = Annotated[list[str], Form()]


def cited_link(url: str) -> str:
    """A citation link that also names the cited section in `?hl=` (highlighted on the page)."""
    path, _, anchor = url.partition("#")
    return f"{path}?hl={anchor}#{anchor}" if anchor else url


def _chat(
    request: Request, templates: TemplatesDep, settings: SettingsDep, **extra: object
) -> Response:
    context = {
        "title": "Vraag stellen",
        "starters": STARTERS,
        "reasons": REASONS,
        "settings": settings,
        "answer": None,
        "error": None,
        "question": "",
        "history": [],
        "turn": 1,
        "cited_link": cited_link,
    }
    context.update(extra)
    status = 422 if context["error"] else 200
    return templates.TemplateResponse(request, "chat.html", context, status_code=status)


async def _ask(request: Request, engine: EngineDep, settings: SettingsDep, question: str,
               context: list[str]) -> Answer:
    previous = clean_context([c for c in context if c.strip()], settings.max_question_chars)
    return await unless_gone(request, engine.ask_async(question, previous or None))


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, templates: TemplatesDep, settings: SettingsDep) -> Response:
    """The chat page with starter questions."""
    return _chat(request, templates, settings)


@router.get("/ask")
def ask_get() -> RedirectResponse:
    """A bookmarked or reloaded /ask goes back to the chat page."""
    return RedirectResponse("/", status_code=303)


@router.post("/", response_class=HTMLResponse)
@router.post("/ask", response_class=HTMLResponse)
async def chat_submit(
    request: Request, templates: TemplatesDep, settings: SettingsDep, engine: EngineDep,
    qlog: QuestionLogDep, background: BackgroundTasks, question: FormText = "", context: FormList = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Without JavaScript: answer the posted question server-side and render the page."""
    history = [c for c in context if c.strip()][-MAX_CONTEXT:]
    try:
        answer = await _ask(request, engine, settings, question, history)
    except QuestionError as exc:
        return _chat(request, templates, settings, error=str(exc), question=question[:2000],
                     history=history)
    except QueueFull as exc:
        status, message = busy_status(exc)
        page = _chat(request, templates, settings, error=message, question=question[:2000], history=history)
        page.status_code = status
        page.headers.update(RETRY_AFTER)
        return page
    except ClientGone:
        return Response(status_code=499)
    log_answer(background, qlog, answer, "chat", engine)
    return _chat(request, templates, settings, answer=answer, history=[*history, answer.question],
                 turn=len(history) + 1)


@router.post("/fragments/answer", response_class=HTMLResponse)
async def answer_fragment(
    request: Request, templates: TemplatesDep, settings: SettingsDep, engine: EngineDep,
    qlog: QuestionLogDep, background: BackgroundTasks, question: FormText = "", context: FormList = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """For chat.js: one answer as an HTML fragment (same template as the server-side page)."""
    try:
        answer = await _ask(request, engine, settings, question, context)
    except QuestionError as exc:
        field = "context" if str(exc).startswith("Een eerdere") else "question"
        return JSONResponse({"detail": str(exc), "field": field}, status_code=422)
    except QueueFull as exc:
        return busy_response(exc)
    except ClientGone:
        return Response(status_code=499)
    log_answer(background, qlog, answer, "chat", engine)
    return templates.TemplateResponse(
        request, "_answer.html",
        {"answer": answer, "turn": len(context) + 1, "settings": settings, "reasons": REASONS,
         "cited_link": cited_link, "starters": STARTERS},
    )


@router.post("/feedback", response_class=HTMLResponse)
def feedback_submit(
    request: Request, templates: TemplatesDep, store: FeedbackDep,
    question: FormText = "", rating: FormText = "", reason: FormText = "", comment: FormText = "",
    answer: FormText = "", abstained: FormText = "", citations: FormList = [],  # noqa: B006
    step: FormText = "",
) -> Response:
    """Without JavaScript: store feedback from the form and say thank you.

    "Niet nuttig" without a reason first asks why (nothing is stored until that form is sent).
    """
    if rating == "not_helpful" and not reason and step != "reason":
        hidden = {"question": question, "answer": answer, "abstained": abstained}
        return templates.TemplateResponse(
            request, "feedback_reason.html",
            {"title": "Wat klopt er niet?", "hidden": hidden, "citations": citations,
             "reasons": REASONS, "comment": comment},
        )
    try:
        item = FeedbackIn(
            question=question, rating=rating, reason=reason or None, comment=comment or None,  # type: ignore[arg-type]
            answer=answer or None, citations=citations,
            abstained=abstained == "true" if abstained else None,
        )
    except ValueError:
        return templates.TemplateResponse(
            request, "feedback_done.html",
            {"title": "Feedback niet opgeslagen", "ok": False,
             "message": "Uw feedback kon niet worden opgeslagen. Kies 'nuttig' of 'niet nuttig' en "
                        "houd de toelichting korter dan 1000 tekens."},
            status_code=422,
        )
    engine = getattr(request.app.state, "routewijzer", None)
    store.add(item, getattr(engine, "index_version", None))
    return templates.TemplateResponse(
        request, "feedback_done.html",
        {"title": "Bedankt voor uw feedback", "ok": True, "message": "Bedankt voor uw feedback."},
        status_code=201,
    )


@router.get("/kb", response_class=HTMLResponse)
async def kb_index(request: Request, templates: TemplatesDep, engine: EngineDep, q: str = "") -> Response:
    """All articles, grouped by theme; with `?q=` first the sections that match (search without JS)."""
    kb = engine.kb
    groups = [(theme, sorted((a for a in kb.articles if theme in a.themes), key=lambda a: a.title))
              for theme in THEMES]
    query = search.clean_query(q)
    results = await search.search_kb(engine, query) if query else None
    return templates.TemplateResponse(
        request, "kb_index.html",
        {"title": "Artikelen", "groups": [g for g in groups if g[1]], "q": q[:search.MAX_QUERY],
         "results": results},
    )


@router.get("/kb/{slug}", response_class=HTMLResponse)
def article_page(
    request: Request, slug: str, templates: TemplatesDep, kb: KBDep, clock: ClockDep, hl: str | None = None
) -> Response:
    """One article, rendered from Markdown, with stable section anchors and how current its rules are."""
    article = kb.by_slug.get(slug)
    if article is None:
        raise HTTPException(404)
    sources = []
    for ref in article.sources:
        src = kb.sources.get(ref.id) if ref.id else None
        if src is not None:
            sources.append({"title": src.title, "url": src.url, "date": src.date,
                            "seed": bool(src.seed)})
        elif ref.title:
            sources.append({"title": ref.title, "url": ref.url, "date": None, "seed": False})
    related = [kb.by_slug[s] for s in article.related if s in kb.by_slug]
    return templates.TemplateResponse(
        request, "article.html",
        {"title": article.title, "article": article, "sources": sources, "related": related,
         "hl": hl if hl and article.section(hl) else None,
         "currency_note": outdated_text(article, clock()) or not_yet_text(article, clock())},
    )


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(request: Request, templates: TemplatesDep, kb: KBDep, q: str = "") -> Response:
    """Every term with abbreviations, synonyms, definition, its sources and a link to read more;
    with `?q=` first the terms that match (search without JS)."""
    groups: dict[str, list] = {}
    for term in sorted(kb.glossary, key=lambda t: t.term.lower()):
        first = term.term[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(term)
    query = search.clean_query(q)
    return templates.TemplateResponse(
        request, "glossary.html",
        {"title": "Begrippen", "groups": groups, "sources": kb.sources, "q": q[:search.MAX_QUERY],
         "results": search.search_glossary(kb.glossary, query) if query else None},
    )
