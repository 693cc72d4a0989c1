"""Turn request errors into clear Dutch messages: JSON for the API, the Dutch 404 page for pages."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from assistant.webapp.feedback import MAX_COMMENT
from assistant.webapp.text_fields import BLANK, INVALID

GENERIC = "De aanvraag is ongeldig."
INVALID_JSON = ('De aanvraag is geen geldige JSON. Stuur bijvoorbeeld '
                '{"question": "Wat is een doorlopende leerroute?"}.')
FIELD_MESSAGES: dict[str, dict[str, str]] = {
    "question": {
        "missing": "Typ eerst een vraag.",
        "string_type": "De vraag moet tekst zijn.",
        "string_too_long": "De vraag is te lang.",
        "string_too_short": "Typ eerst een vraag.",
        BLANK: "Typ eerst een vraag.",
        INVALID: "De vraag bevat ongeldige tekens.",
        "*": "De vraag moet tekst zijn.",
    },
    "context": {
        INVALID: "Een eerdere vraag in het gesprek bevat ongeldige tekens.",
        "*": "De eerdere vragen (context) moeten een lijst met tekst zijn.",
    },
    "rating": {"*": "Geef aan of het antwoord nuttig was: 'helpful' of 'not_helpful'."},
    "reason": {"*": "Kies een reden uit de lijst."},
    "comment": {
        "string_too_long": f"De toelichting is te lang: gebruik hoogstens {MAX_COMMENT} tekens.",
        INVALID: "De toelichting bevat ongeldige tekens.",
        "*": "De toelichting moet tekst zijn.",
    },
    "answer": {INVALID: "Het antwoord bevat ongeldige tekens.",
               "*": "Het antwoord moet tekst zijn (hoogstens 5000 tekens)."},
    "citations": {INVALID: "Een bron bevat ongeldige tekens.",
                  "*": "De bronnen moeten een lijst met links zijn (hoogstens 20)."},
    "abstained": {"*": "'abstained' moet true of false zijn."},
}
INVALID_FORM = "Het formulier is niet goed verstuurd. Vul het opnieuw in op de pagina en verstuur het nog eens."
FORM_PARSER_WORDS = ("multipart", "boundary", "Part exceeded", "Too many", "Max number", "form data", "Malformed")
STATUS_MESSAGES = {
    400: "De aanvraag is ongeldig.",
    404: "Deze pagina bestaat niet.",
    405: "Deze methode is hier niet toegestaan.",
    413: "De aanvraag is te groot.",
    415: "Stuur de aanvraag als JSON (Content-Type: application/json).",
    503: "Routewijzer is nog niet klaar om vragen te beantwoorden.",
}


def dutch_validation_message(errors: list[dict]) -> tuple[str, str | None, int]:
    """The first error as (Dutch message, field name or None, HTTP status)."""
    for err in errors:
        kind, loc = err.get("type", ""), tuple(err.get("loc", ()))
        if kind == "json_invalid":
            return INVALID_JSON, None, 400
        if len(loc) <= 1 or kind in ("model_attributes_type", "dict_type"):
            if kind == "missing" and len(loc) <= 1:
                return "De aanvraag is leeg. Stuur een JSON-object met een vraag.", None, 400
            return ("Stuur een JSON-object (Content-Type: application/json), bijvoorbeeld "
                    '{"question": "Wat is een doorlopende leerroute?"}.', None, 400)
    err = errors[0] if errors else {}
    loc = tuple(err.get("loc", ()))
    field = str(loc[1]) if len(loc) > 1 and loc[0] == "body" else None
    messages = FIELD_MESSAGES.get(field or "", {})
    kind = err.get("type", "")
    # Checked text fields report these; a lone surrogate fails pydantic's own str check.
    kind = {"too_long": "string_too_long", "too_short": "string_too_short", "string_unicode": INVALID}.get(kind, kind)
    message = messages.get(kind, messages.get("*", GENERIC))
    return message, field, 422


def dutch_http_message(status: int, detail: object) -> str:
    """Our own (Dutch) detail, or a Dutch message instead of the framework's English one."""
    if detail == "There was an error parsing the body":
        return INVALID_JSON
    if status == 400 and isinstance(detail, str) and any(w in detail for w in FORM_PARSER_WORDS):
        return INVALID_FORM  # the form parser's own English ("Missing boundary in multipart.")
    english = {"", HTTPStatus(status).phrase} if status in HTTPStatus._value2member_map_ else {""}
    if isinstance(detail, str) and detail not in english and status != 404:
        return detail
    return STATUS_MESSAGES.get(status, "Er ging iets mis.")


def wants_html(request: Request) -> bool:
    """True for page requests (not the API), so errors render as a page."""
    path = request.url.path
    if path.startswith(("/api/", "/healthz", "/readyz", "/openapi.json", "/static/")):
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "GET"


async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422/400 with one Dutch message and the field it concerns."""
    message, field, status = dutch_validation_message(list(exc.errors()))
    return JSONResponse({"detail": message, "field": field}, status_code=status)


async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Dutch messages for HTTP errors; the Dutch 404 page for browsers."""
    message = dutch_http_message(exc.status_code, exc.detail)
    headers = getattr(exc, "headers", None)
    if wants_html(request):
        templates = request.app.state.templates
        template = "404.html" if exc.status_code == 404 else "error.html"
        return templates.TemplateResponse(
            request, template, {"message": message, "status": exc.status_code},
            status_code=exc.status_code, headers=headers,
        )
    return JSONResponse(
        {"detail": message, "field": None}, status_code=exc.status_code, headers=headers
    )


SERVER_ERROR = "Er ging iets mis aan onze kant. Probeer het later opnieuw."


def server_error_response(scope: Scope) -> Response:
    """A Dutch 500 without internals: a page for browsers, JSON for the API."""
    return _server_error(Request(scope))


async def on_server_error(request: Request, exc: Exception) -> Response:
    """A Dutch 500 without internals."""
    return _server_error(request)


def _server_error(request: Request) -> Response:
    message = SERVER_ERROR
    if wants_html(request):
        page = f"<!doctype html><html lang=nl><title>Fout</title><p>{message}</p>"
        return HTMLResponse(page, 500)
    return JSONResponse({"detail": message, "field": None}, status_code=500)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_server_error)
