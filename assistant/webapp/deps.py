"""Dependencies shared by the API and page routers, injected with `Annotated[..., Depends()]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Protocol

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from assistant.answers.types import Answer
from assistant.content.currency import Clock, system_clock
from assistant.content.kb import KnowledgeBase
from assistant.insights.question_log import QuestionLog
from assistant.search.embedder import Embedder
from assistant.search.retrieval import Retrieval
from assistant.settings import ROOT, Settings
from assistant.webapp.feedback import FeedbackStore
from assistant.webapp.render import answer_blocks, cite_links, dutch_date, markdown_html

TEMPLATES_DIR = ROOT / "web" / "templates"
STATIC_DIR = ROOT / "web" / "static"


class Engine(Protocol):
    """What the web app needs from `assistant.engine.Routewijzer`."""

    settings: Settings
    kb: KnowledgeBase
    index_version: str
    embedder: Embedder

    def ask(self, question: str, context: list[str] | None = None) -> Answer: ...

    async def ask_async(self, question: str, context: list[str] | None = None) -> Answer: ...

    async def search_async(self, text: str, k: int = 10) -> Retrieval: ...

    def close(self) -> None: ...


def make_templates(directory: Path = TEMPLATES_DIR) -> Jinja2Templates:
    """The Jinja2 environment (autoescape on) with the app's filters."""
    templates = Jinja2Templates(directory=str(directory))
    env = templates.env
    env.autoescape = True
    env.filters["dutch_date"] = dutch_date
    env.filters["markdown"] = markdown_html
    env.filters["answer_blocks"] = answer_blocks
    env.filters["cite_links"] = cite_links
    return templates


def get_settings(request: Request) -> Settings:
    """The one Settings object the app was built with."""
    return request.app.state.settings


def get_routewijzer(request: Request) -> Engine:
    """The loaded engine; 503 while it is not (yet) available."""
    engine = getattr(request.app.state, "routewijzer", None)
    if engine is None:
        raise HTTPException(503, "Routewijzer is nog niet klaar om vragen te beantwoorden.")
    return engine


def get_kb(request: Request) -> KnowledgeBase:
    """The knowledge base the engine serves."""
    return get_routewijzer(request).kb


def get_clock(request: Request) -> Clock:
    """The engine's clock (what day it is, for rules that have ended); the system clock for stand-ins."""
    return getattr(get_routewijzer(request), "clock", system_clock)


def get_templates(request: Request) -> Jinja2Templates:
    """The shared template environment (also used by the wizard and widget routes)."""
    return request.app.state.templates


def get_feedback(request: Request) -> FeedbackStore:
    """The feedback store."""
    return request.app.state.feedback


def get_question_log(request: Request) -> QuestionLog | None:
    """The question log, or None when it is switched off (ASSISTANT_QUESTION_LOG)."""
    return request.app.state.question_log


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_routewijzer)]
KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
ClockDep = Annotated[Clock, Depends(get_clock)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
QuestionLogDep = Annotated[QuestionLog | None, Depends(get_question_log)]
