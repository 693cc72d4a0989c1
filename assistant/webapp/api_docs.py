"""/docs: the JSON API in Dutch, one short example request and response per endpoint.

The examples are written by hand (shortened with "…"); tests/webapp/test_api_docs.py checks that
their fields are the fields the endpoints really return. The full schema stays at /openapi.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assistant.webapp.deps import TemplatesDep

router = APIRouter()

STATUS = {
    "200": "Gelukt.",
    "201": "Opgeslagen.",
    "400": "De body is geen geldige JSON.",
    "403": "De aanvraag komt van een andere website dan deze of een toegestane widget-site.",
    "410": "Dit advies bestaat niet meer (de wizard is veranderd); met de antwoorden die nog bestaan.",
    "413": "De aanvraag is te groot.",
    "422": "Ongeldige invoer; `detail` zegt in het Nederlands wat er mis is.",
    "429": "Te veel aanvragen kort na elkaar; probeer het na `Retry-After` seconden opnieuw.",
    "503": "Routewijzer is (nog) niet klaar of erg druk; zie `Retry-After`.",
}


@dataclass(frozen=True)
class Endpoint:
    """One endpoint as the docs page shows it."""

    method: str
    path: str
    summary: str
    text: str
    request: str  # a curl command
    response: dict


ASK_RESPONSE = {
    "question": "Wat is een doorlopende leerroute?",
    "answer": "Een doorlopende leerroute (DLR) is één samenhangend onderwijsprogramma van vmbo en mbo samen. … [1]",
    "abstained": False,
    "confidence": 0.93,
    "citations": [{
        "article": "dlr-wat-is-het", "title": "Wat is een doorlopende leerroute vmbo-mbo?",
        "section": "Wat is een doorlopende leerroute?", "anchor": "wat-is-een-dlr",
        "url": "/kb/dlr-wat-is-het#wat-is-een-dlr", "snippet": "Een doorlopende leerroute (DLR) is …",
        "passage": "Een doorlopende leerroute (DLR) is …", "last_reviewed": "2026-11-22",
        "stand": "…", "valid_until": None,
    }],
    "related": [{"article": "dlr-wat-is-het", "title": "Wat is een doorlopende leerroute vmbo-mbo?",
                 "url": "/kb/dlr-wat-is-het#dlr-of-dll", "section": "…"}],
    "not_in_kb": None,
    "stand": "…",
    "outdated": None,
    "refer": None,
}

ENDPOINTS = (
    Endpoint("POST", "/api/ask", "Een vraag beantwoorden",
             "Stuur de vraag en eventueel de eerdere vragen van het gesprek (`context`, oudste eerst) "
             "voor vervolgvragen. Het antwoord noemt de geciteerde delen van de artikelen; kan "
             "Routewijzer de vraag niet beantwoorden, dan is `abstained` true. Gaat de vraag over een "
             "onderwerp waar de kennisbank niet over gaat (zoals studiefinanciering), dan noemt `refer` "
             "waar de gebruiker wel terecht kan.",
             "curl -X POST https://routewijzer.example.nl/api/ask \\\n"
             "  -H 'Content-Type: application/json' \\\n"
             "  -d '{\"question\": \"Wat is een doorlopende leerroute?\", \"context\": []}'",
             ASK_RESPONSE),
    Endpoint("POST", "/api/feedback", "Een antwoord beoordelen",
             "`rating` is `helpful` of `not_helpful`; `reason` en `comment` zijn niet verplicht. Namen, "
             "e-mailadressen en telefoonnummers in het commentaar worden weggehaald. Met een "
             "`Idempotency-Key`-header wordt een herhaalde aanvraag maar één keer opgeslagen (dan 200).",
             "curl -X POST https://routewijzer.example.nl/api/feedback \\\n"
             "  -H 'Content-Type: application/json' -H 'Idempotency-Key: 6f1c…' \\\n"
             "  -d '{\"question\": \"Wat is een doorlopende leerroute?\", \"rating\": \"not_helpful\", "
             "\"reason\": \"onvolledig\"}'",
             {"status": "ok", "id": 42, "message": "Bedankt voor uw feedback."}),
    Endpoint("GET", "/api/search", "Zoeken in de artikelen of de begrippen",
             "Dezelfde zoekmachine als voor vragen, voor zoeken terwijl u typt. `scope` is `kb` "
             "(delen van artikelen) of `glossary` (begrippen). In `parts` staan de stukjes tekst; "
             "`match` is true voor de woorden die gevonden zijn.",
             "curl 'https://routewijzer.example.nl/api/search?q=praktijkverklaring&scope=kb'",
             {"query": "praktijkverklaring", "scope": "kb", "results": [{
                 "title": "Praktijkverklaring", "section": "Wat is een praktijkverklaring?",
                 "url": "/kb/…?hl=…#…",
                 "parts": [{"text": "Een ", "match": False}, {"text": "praktijkverklaring", "match": True},
                           {"text": " laat zien wat iemand in de praktijk heeft geleerd …", "match": False}],
             }]}),
    Endpoint("GET", "/api/wizard", "De eerste vraag van de routewijzer-wizard",
             "Geeft de eerste vraag met de antwoordmogelijkheden.",
             "curl https://routewijzer.example.nl/api/wizard",
             {"question": {"id": "doelgroep", "text": "Over wie gaat uw vraag?", "help": "…",
                           "options": [{"id": "vmbo", "label": "Een leerling in de bovenbouw van het vmbo",
                                        "unknown": False}]}, "step": 1, "total": 7, "answers": {}}),
    Endpoint("POST", "/api/wizard", "De volgende vraag of de aanbevolen route",
             "Stuur alle antwoorden tot nu toe (`answers`: per vraag-id de id van het gekozen "
             "antwoord). U krijgt de volgende vraag, of de uitkomst met de redenen, bronnen en een "
             "vaste link.",
             "curl -X POST https://routewijzer.example.nl/api/wizard \\\n"
             "  -H 'Content-Type: application/json' -d '{\"answers\": {\"doelgroep\": \"vmbo\"}}'",
             {"question": {"id": "leerweg", "text": "In welke leerweg van het vmbo zit de leerling?",
                           "help": "…", "options": [{"id": "weet-niet", "label": "Dat weet ik niet",
                                                     "unknown": True}]},
              "step": 2, "total": 7, "answers": {"doelgroep": "vmbo"}}),
    Endpoint("GET", "/healthz", "Draait het proces?",
             "Antwoordt zolang het proces draait (voor een liveness-check).",
             "curl https://routewijzer.example.nl/healthz", {"status": "ok"}),
    Endpoint("GET", "/readyz", "Klaar voor vragen?",
             "200 zodra het model en de index geladen zijn, met de versie van de index; anders 503.",
             "curl https://routewijzer.example.nl/readyz",
             {"status": "ready", "index_version": "…", "articles": 24}),
)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request, templates: TemplatesDep) -> HTMLResponse:
    """Every endpoint in Dutch with an example; status codes from the live OpenAPI document."""
    schema = request.app.openapi()
    paths = schema.get("paths", {})
    shown = []
    for e in ENDPOINTS:
        op = paths.get(e.path, {}).get(e.method.lower())
        if op is not None:
            shown.append({"e": e, "codes": _codes(op),
                          "response": json.dumps(e.response, indent=2, ensure_ascii=False)})
    known = {(e.method.lower(), e.path) for e in ENDPOINTS}
    for path, methods in paths.items():  # an endpoint without a Dutch entry yet: at least listed
        for method, op in methods.items():
            if (method, path) not in known:
                e = Endpoint(method.upper(), path, op.get("summary", ""), "", "", {})
                shown.append({"e": e, "codes": _codes(op), "response": ""})
    return templates.TemplateResponse(request, "api_docs.html", {"endpoints": shown, "title": "API"})


def _codes(op: dict) -> dict[str, str]:
    """Status code → Dutch meaning, for the codes this operation can return."""
    return {code: STATUS.get(code, r.get("description", "")) for code, r in sorted(op.get("responses", {}).items())}
