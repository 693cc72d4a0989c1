"""JSON API: ask, feedback, liveness and readiness; thin handlers over the engine and the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from assistant.answers.types import Answer, QuestionError, validate_question
from assistant.insights.question_log import QuestionLog
from assistant.search.model_thread import QueueFull
from assistant.webapp.cors import allowed_origin
from assistant.webapp.deps import Engine, EngineDep, FeedbackDep, QuestionLogDep, SettingsDep
from assistant.webapp.feedback import FeedbackIn
from assistant.webapp.queueing import ClientGone, busy_response, unless_gone
from assistant.webapp.text_fields import SafeText

router = APIRouter()
MAX_CONTEXT = 5
MAX_BODY_TEXT = 20_000  # hard ceiling before the engine's own (smaller) limit


class AskIn(BaseModel):
    """A question, with the previous questions of the conversation for follow-ups."""

    model_config = ConfigDict(extra="ignore")

    question: StrictStr = Field(
        ..., max_length=MAX_BODY_TEXT, description="The question, in Dutch."
    )
    context: list[SafeText] | None = Field(
        None, max_length=50, description="Previous questions of this conversation, oldest first."
    )
    site: StrictStr | None = Field(
        None, max_length=300,
        description="Set by the widget: the origin of the page it is embedded on (counted only when "
                    "allowlisted in ASSISTANT_WIDGET_ORIGINS).",
    )


class ErrorOut(BaseModel):
    """A client error: a Dutch message for people and the field it concerns."""

    detail: str
    field: str | None = None


class FeedbackOut(BaseModel):
    """Acknowledgement, sent only after the feedback is committed."""

    status: str
    id: int
    message: str


class HealthOut(BaseModel):
    """Liveness or readiness."""

    status: str
    index_version: str | None = None
    articles: int | None = None


def clean_context(context: list[str] | None, max_chars: int) -> list[str]:
    """Keep the last few valid previous questions; raise QuestionError for unusable ones."""
    if not context:
        return []
    try:
        return [validate_question(q, max_chars) for q in context[-MAX_CONTEXT:]]
    except QuestionError as exc:
        raise QuestionError(f"Een eerdere vraag in het gesprek is ongeldig: {exc}") from exc


def log_answer(background: BackgroundTasks, qlog: QuestionLog | None, answer: Answer, channel: str,
               engine: Engine, site: str | None = None) -> None:
    """Add the answer to the question log (when on) after the response has been sent."""
    if qlog is not None:
        background.add_task(qlog.record_quietly, answer, channel, engine.index_version, site)


def error_response(message: str, field: str | None = None, status: int = 422) -> JSONResponse:
    """The one shape of every API error."""
    return JSONResponse({"detail": message, "field": field}, status_code=status)


@router.post(
    "/api/ask",
    response_model=Answer,
    responses={422: {"model": ErrorOut}, 400: {"model": ErrorOut}, 503: {"model": ErrorOut}},
    summary="Answer a question from the knowledge base",
    tags=["api"],
)
async def api_ask(body: AskIn, engine: EngineDep, settings: SettingsDep, qlog: QuestionLogDep,
                  background: BackgroundTasks, request: Request) -> Response:
    """Return the same object as `python -m assistant ask --json` (Answer.to_dict())."""
    try:
        context = clean_context(body.context, settings.max_question_chars)
        answer = await unless_gone(request, engine.ask_async(body.question, context or None))
    except QuestionError as exc:
        return error_response(str(exc), "context" if str(exc).startswith("Een eerdere") else "question")
    except QueueFull as exc:
        return busy_response(exc)
    except ClientGone:
        return Response(status_code=499)  # nobody reads it; the model was spared
    site = allowed_origin(settings, body.site)
    log_answer(background, qlog, answer, "widget" if site else "api", engine, site)
    return JSONResponse(answer.to_dict())


@router.post(
    "/api/feedback",
    status_code=201,
    response_model=FeedbackOut,
    responses={200: {"model": FeedbackOut, "description": "Already stored under this Idempotency-Key."},
               422: {"model": ErrorOut}, 400: {"model": ErrorOut}},
    summary="Rate an answer (helpful / not helpful) with an optional reason and comment",
    tags=["api"],
)
def api_feedback(
    body: FeedbackIn, store: FeedbackDep, request: Request,
    idempotency_key: Annotated[str | None, Header(
        max_length=200, description="Any unique string per rating (a UUID): a retried post is stored once.",
    )] = None,
) -> JSONResponse:
    """Store redacted feedback; acknowledge only after the commit (200 with the same id for a retry)."""
    engine = getattr(request.app.state, "routewijzer", None)
    new_id, created = store.add_once(body, getattr(engine, "index_version", None), idempotency_key or None)
    return JSONResponse(
        {"status": "ok", "id": new_id, "message": "Bedankt voor uw feedback."}, status_code=201 if created else 200
    )


@router.get(
    "/healthz", response_model=HealthOut, response_model_exclude_none=True, tags=["ops"],
    summary="The process is alive",
)
def healthz() -> dict:
    """Liveness: answers as long as the process runs."""
    return {"status": "ok"}


@router.get(
    "/readyz", response_model=HealthOut, responses={503: {"model": HealthOut}}, tags=["ops"],
    summary="Model and index are loaded",
)
def readyz(request: Request) -> JSONResponse:
    """Readiness: the model and index are loaded; reports the index version."""
    engine = getattr(request.app.state, "routewijzer", None)
    if engine is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    return JSONResponse(
        {"status": "ready", "index_version": engine.index_version,
         "articles": len(engine.kb.articles)}
    )
