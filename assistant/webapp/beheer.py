"""Editor pages under /beheer (Dutch, no JavaScript): gaps, per-section figures, stale articles, CSV.

Behind the login of editor_auth.py; without an editor account (editor_accounts.py) every page
answers 404. The report is the same as `python -m assistant gaps` (insights/report.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.insights.gaps import KINDS
from assistant.insights.report import Report, build_report, gaps_csv, since_days
from assistant.webapp.deps import EngineDep, FeedbackDep, QuestionLogDep, SettingsDep, TemplatesDep
from assistant.webapp.editor_auth import COOKIE, SESSION_SECONDS, EditorAuth
from assistant.webapp.feedback import REASONS

router = APIRouter(prefix="/beheer", include_in_schema=False)

PERIODS = {7: "afgelopen 7 dagen", 30: "afgelopen 30 dagen", 90: "afgelopen 90 dagen", 0: "alles wat bewaard is"}
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
WRONG = "Onjuiste gebruikersnaam of wachtwoord."


def get_auth(request: Request) -> EditorAuth:
    """The editor login; 404 while it is not configured (the pages are off)."""
    auth: EditorAuth = request.app.state.editor_auth
    if not auth.enabled:
        raise HTTPException(404)
    return auth


AuthDep = Annotated[EditorAuth, Depends(get_auth)]


class LoginRequired(Exception):
    """No valid session: HTML pages go to the login form."""


def require_editor(request: Request, auth: AuthDep) -> None:
    """Refuse without a valid session cookie."""
    if not auth.valid(request.cookies.get(COOKIE)):
        raise LoginRequired


Editor = Depends(require_editor)


def _period(dagen: int | None) -> int:
    return dagen if dagen in PERIODS else 7


def _report(engine: EngineDep, settings: SettingsDep, feedback: FeedbackDep,
            qlog: QuestionLogDep, days: int, with_gaps: bool = True) -> Report:
    return build_report(engine.kb, engine.embedder, settings, feedback.all(),
                        qlog.store if qlog is not None else None, since_days(days), date.today(), with_gaps)


def _page(request: Request, templates: TemplatesDep, name: str, status: int = 200, **context: object) -> Response:
    context.setdefault("title", "Beheer")
    return templates.TemplateResponse(request, name, {"periods": PERIODS, "kinds": KINDS, "reasons": REASONS,
                                                       **context}, status_code=status, headers=PRIVATE)


@router.get("/inloggen", response_class=HTMLResponse)
def login_form(request: Request, templates: TemplatesDep, auth: AuthDep) -> Response:
    """The login form (also where pages without a session send editors)."""
    return _page(request, templates, "beheer_login.html", title="Inloggen voor redacteuren", error=None)


@router.post("/inloggen", response_class=HTMLResponse)
def login(request: Request, templates: TemplatesDep, auth: AuthDep,
          gebruiker: Annotated[str, Form(max_length=200)] = "",
          wachtwoord: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Check the credentials; a session cookie on success, a Dutch error otherwise."""
    client = request.client.host if request.client else "?"
    account = auth.account(gebruiker)  # failures count per account too, but only for real accounts
    wait = auth.throttle.wait(client, account=account)
    if wait:
        minutes = max(1, round(wait / 60))
        error = f"Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw."
        page = _page(request, templates, "beheer_login.html", 429, title="Inloggen voor redacteuren", error=error)
        page.headers["Retry-After"] = str(wait)
        return page
    user = auth.check(gebruiker, wachtwoord)
    if user is None:
        auth.throttle.fail(client, account=account)
        return _page(request, templates, "beheer_login.html", 401, title="Inloggen voor redacteuren",
                     error=WRONG, user=gebruiker)
    auth.throttle.succeed(client)
    response = RedirectResponse("/beheer", status_code=303, headers=PRIVATE)
    response.set_cookie(COOKIE, auth.session(user), max_age=SESSION_SECONDS, path="/beheer", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


@router.post("/uitloggen")
def logout(auth: AuthDep) -> Response:
    """End the session."""
    response = RedirectResponse("/beheer/inloggen", status_code=303, headers=PRIVATE)
    response.delete_cookie(COOKIE, path="/beheer")
    return response


@router.get("", response_class=HTMLResponse, dependencies=[Editor])
def gaps_page(request: Request, templates: TemplatesDep, engine: EngineDep, settings: SettingsDep,
              feedback: FeedbackDep, qlog: QuestionLogDep, dagen: int | None = None) -> Response:
    """The biggest gaps of the period, each with examples, reasons and a suggestion to paste."""
    days = _period(dagen)
    report = _report(engine, settings, feedback, qlog, days)
    return _page(request, templates, "beheer_gaps.html", title="Hiaten", report=report, days=days,
                 tab="hiaten")


@router.get("/secties", response_class=HTMLResponse, dependencies=[Editor])
def sections_page(request: Request, templates: TemplatesDep, engine: EngineDep, settings: SettingsDep,
                  feedback: FeedbackDep, qlog: QuestionLogDep, dagen: int | None = None) -> Response:
    """Per section: how often it answered, its helpful rate and its reasons."""
    days = _period(dagen)
    report = _report(engine, settings, feedback, qlog, days, with_gaps=False)
    return _page(request, templates, "beheer_sections.html", title="Per artikel en sectie", report=report, days=days,
                 tab="secties")


@router.get("/verouderd", response_class=HTMLResponse, dependencies=[Editor])
def stale_page(request: Request, templates: TemplatesDep, engine: EngineDep, settings: SettingsDep) -> Response:
    """Articles past their review interval or valid_until."""
    from assistant.insights.stats import stale_articles

    stale = stale_articles(engine.kb, date.today(), settings.review_interval_days)
    return _page(request, templates, "beheer_stale.html", title="Te controleren", stale=stale,
                 interval=settings.review_interval_days, days=None, tab="verouderd")


@router.get("/hiaten.csv", dependencies=[Editor])
def gaps_export(request: Request, engine: EngineDep, settings: SettingsDep, feedback: FeedbackDep,
                qlog: QuestionLogDep, dagen: int | None = None) -> Response:
    """The gap groups of the period as CSV."""
    days = _period(dagen)
    body = gaps_csv(_report(engine, settings, feedback, qlog, days))
    name = f"routewijzer-hiaten-{date.today().isoformat()}-{days or 'alles'}d.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={**PRIVATE, "Content-Disposition": f'attachment; filename="{name}"'})


def install(app) -> None:  # noqa: ANN001 - a FastAPI app
    """Add the routes, the login state and the redirect to the login form."""
    from fastapi.responses import JSONResponse

    app.state.editor_auth = EditorAuth(app.state.settings)

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> Response:
        if request.url.path.endswith(".csv"):
            return JSONResponse({"detail": "Log eerst in als redacteur.", "field": None}, status_code=401,
                                headers=PRIVATE)
        return RedirectResponse("/beheer/inloggen", status_code=303, headers=PRIVATE)

    app.include_router(router)
