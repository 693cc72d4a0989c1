"""The privacy page: what Routewijzer stores, for how long and why (in the spirit of the algorithm register)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assistant.webapp.deps import SettingsDep, TemplatesDep

router = APIRouter(include_in_schema=False)


@router.get("/privacy", response_class=HTMLResponse)
def privacy_page(request: Request, templates: TemplatesDep, settings: SettingsDep) -> Response:
    """Plain Dutch: what is kept (depends on the settings), what never is, and who sees it."""
    return templates.TemplateResponse(request, "privacy.html", {
        "title": "Privacy en werking",
        "question_log": settings.question_log,
        "question_days": settings.question_log_days,
        "feedback_days": settings.feedback_days,
        "editors": request.app.state.editor_auth.enabled,
        "settings": settings,
    })
