"""The route wizard on the web: a stateless JSON API and pages that work without JavaScript.

Answers travel in the query string (`?doelgroep=vmbo&leerweg=bb`), so every step and every
result is a plain GET link; the result's permalink is `/wizard/result?<answers>`. Parameters
starting with '_' are form controls, never answers: `_vraag` names the question the form showed
(to tell "no choice made" from "first visit"), `_weergave=print` gives the print view and
`_klaar=<n>` (repeated) the ticked items of the checklist, so ticks live in the link only.
A link with answers of an older version of the tree gets 410 Gone with a Dutch explanation: the
questions changed, which of its answers still exist, and a restart with those answers ticked in
advance (`_vooraf=<question>.<option>`, see `assistant.wizard.salvage`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.content.currency import dutch_date
from assistant.content.problems import KBError
from assistant.webapp.api import ErrorOut, error_response
from assistant.webapp.deps import KBDep, SettingsDep, TemplatesDep
from assistant.wizard.check import cached_wizard
from assistant.wizard.present import (
    HEADINGS,
    all_cites,
    citation,
    outcome_json,
    question_json,
    referrals,
    stands,
)
from assistant.wizard.salvage import HINT, hint_params, read_hints, restart_link, salvage
from assistant.wizard.tree import (
    RESULT_PATH,
    RetiredAnswers,
    Step,
    Wizard,
    WizardError,
    decode_answers,
    next_step,
    permalink,
    previous_answers,
)

router = APIRouter()
NO_CHOICE = "Kies een antwoord om verder te gaan."


class WizardIn(BaseModel):
    """The answers so far: question id → option id."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={
        "examples": [{"answers": {"doelgroep": "vmbo", "leerweg": "bb"}}]})

    answers: Any = Field(None, description="Object: question id → chosen option id.")


def get_wizard(settings: SettingsDep) -> Wizard:
    """The tree from kb/wizard.yaml (reloaded when the file changes); 503 when it is broken."""
    try:
        return cached_wizard(settings.kb_dir / "wizard.yaml")
    except (KBError, OSError) as exc:
        raise HTTPException(503, "De routewijzer-wizard is nu niet beschikbaar.") from exc


def _link(path: str, answers: dict[str, str], hints: dict[str, str] | None = None) -> str:
    query = urlencode([*answers.items(), *hint_params(hints or {})])
    return f"{path}?{query}" if query else path


@router.get("/api/wizard", tags=["wizard"], summary="The first question of the route wizard")
def api_wizard_start(settings: SettingsDep) -> JSONResponse:
    """`{"question": {"id", "text", "help", "options": [{"id", "label"}]}, "step", "total"}`."""
    return JSONResponse(question_json(next_step(get_wizard(settings), {})))


@router.post("/api/wizard", tags=["wizard"], summary="The next question, or the recommended route",
             responses={422: {"model": ErrorOut}, 400: {"model": ErrorOut}})
def api_wizard_next(body: WizardIn, settings: SettingsDep, kb: KBDep) -> JSONResponse:
    """Send every answer so far; get the next question, or the outcome with its permalink."""
    answers = {} if body.answers is None else body.answers
    if not isinstance(answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        return error_response('"answers" moet een object zijn met per vraag-id de id van het '
                              'gekozen antwoord, bijvoorbeeld {"doelgroep": "vmbo"}.', "answers")
    try:
        step = next_step(get_wizard(settings), answers)
    except RetiredAnswers as exc:
        left = salvage(get_wizard(settings), answers)
        return JSONResponse({  # the usual error shape, plus what is left of the old answers
            "detail": str(exc), "field": "answers", "answers_kept": left.hints,
            "answers_lost": left.lost, "restart": restart_link(left.hints)}, status_code=410)
    except WizardError as exc:
        return error_response(str(exc), "answers")
    if step.outcome is None:
        return JSONResponse(question_json(step))
    return JSONResponse(outcome_json(step, kb))


def _walk(request: Request, settings: SettingsDep) -> tuple[Step | None, WizardError | None]:
    try:
        answers = decode_answers(request.query_params.multi_items())
        return next_step(get_wizard(settings), answers), None
    except WizardError as exc:
        return None, exc


def _broken(request: Request, templates: TemplatesDep, settings: SettingsDep,
            problem: WizardError | None) -> Response:
    if isinstance(problem, RetiredAnswers):
        return _gone(request, templates, settings, problem)
    return templates.TemplateResponse(
        request, "wizard.html",
        {"title": "Routewijzer-wizard", "broken": str(problem or ""), "gone": False, "step": None},
        status_code=422)


def _gone(request: Request, templates: TemplatesDep, settings: SettingsDep, problem: RetiredAnswers) -> Response:
    """410 for a link of an older tree: what changed, which answers still exist, a restart with them."""
    left = salvage(get_wizard(settings), decode_answers(request.query_params.multi_items()))
    restart = restart_link(left.hints)
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    plain = [(k, v) for k, v in request.query_params.multi_items() if k != "_weergave"]
    here = f"{request.url.path}?{urlencode(plain)}"
    return templates.TemplateResponse(
        request, "wizard.html",
        {"title": "Dit advies bestaat niet meer", "broken": str(problem), "gone": True, "step": None,
         "kept": left.kept, "lost": left.lost, "restart": restart, "restart_full": base + restart,
         "base": base, "today": dutch_date(today()), "print_view": request.query_params.get("_weergave") == "print",
         "plain_url": here, "print_url": here + "&_weergave=print"},
        status_code=410)


def today() -> date:
    """Today in the Netherlands: the date an advice is given on."""
    try:
        return datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    except ZoneInfoNotFoundError:  # no time zone database: the server's own date
        return date.today()


def ticked(request: Request, count: int) -> list[int]:
    """The checklist items ticked in the link (`_klaar=0&_klaar=2`); others are ignored."""
    values = request.query_params.getlist("_klaar")
    return sorted({int(v) for v in values if v.isdigit() and int(v) < count})


@router.get("/wizard", include_in_schema=False)
def wizard_page(request: Request, templates: TemplatesDep, settings: SettingsDep) -> Response:
    """One question per screen; a finished set of answers redirects to the result page."""
    step, problem = _walk(request, settings)
    if step is None:
        return _broken(request, templates, settings, problem)
    if step.outcome is not None:
        return RedirectResponse(permalink(step), status_code=303)
    question = step.question
    assert question is not None
    error = NO_CHOICE if request.query_params.get("_vraag") == question.id else None
    title = f"Stap {step.number} van {step.total}: {question.text}"
    hints = read_hints(get_wizard(settings), request.query_params.getlist(HINT))
    return templates.TemplateResponse(
        request, "wizard.html",
        {"title": f"Fout: {title}" if error else title,
         "step": step, "question": question, "error": error, "broken": None,
         "hints": hint_params(hints), "preselect": hints.get(question.id),
         "back_url": _link("/wizard", previous_answers(step), hints) if step.path else None},
        status_code=422 if error else 200,
    )


@router.get(RESULT_PATH, include_in_schema=False)
def wizard_result(request: Request, templates: TemplatesDep, settings: SettingsDep,
                  kb: KBDep) -> Response:
    """The recommendation for a complete set of answers; this URL is the permalink."""
    step, problem = _walk(request, settings)
    if step is None:
        return _broken(request, templates, settings, problem)
    outcome = step.outcome
    if outcome is None:
        return RedirectResponse(_link("/wizard", step.answers), status_code=303)
    done = ticked(request, len(outcome.arrange))
    link = permalink(step)
    link_ticked = link + "".join(f"&_klaar={i}" for i in done)
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    changes = [(q, opt, _link("/wizard", dict(list(step.answers.items())[:i])))
               for i, (q, opt) in enumerate(step.path)]
    reasons = [(o, [citation(c, kb) for c in o.cites]) for o in step.reasons]
    return templates.TemplateResponse(
        request, "wizard_result.html",
        {"title": f"Advies: {outcome.title}", "step": step, "outcome": outcome,
         "heading": HEADINGS[outcome.kind], "reasons": reasons, "done": done,
         "citations": [citation(c, kb) for c in all_cites(step)],
         "referrals": referrals(outcome, kb), "stands": stands(step, kb),
         "advice_date": dutch_date(today()), "base": base,
         "permalink": link, "permalink_ticked": link_ticked,
         "permalink_full": base + link_ticked, "changes": changes, "settings": settings,
         "print_view": request.query_params.get("_weergave") == "print",
         "back_url": _link("/wizard", previous_answers(step))},
    )
