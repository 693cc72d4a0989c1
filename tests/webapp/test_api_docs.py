"""/docs is Dutch, short, and its example responses have the fields the endpoints really return."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from assistant.webapp.api_docs import ENDPOINTS


def shape(value: object) -> object:
    """The field names of a JSON value, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def real(client: TestClient, method: str, path: str) -> dict:
    calls = {
        ("POST", "/api/ask"): lambda: client.post("/api/ask", json={"question": "Wat is een doorlopende leerroute?"}),
        ("POST", "/api/feedback"): lambda: client.post("/api/feedback", json={
            "question": "Wat is een doorlopende leerroute?", "rating": "helpful"}),
        ("GET", "/api/search"): lambda: client.get("/api/search", params={"q": "praktijkverklaring"}),
        ("GET", "/api/wizard"): lambda: client.get("/api/wizard"),
        ("POST", "/api/wizard"): lambda: client.post("/api/wizard", json={"answers": {
            "doelgroep": client.get("/api/wizard").json()["question"]["options"][0]["id"]}}),
        ("GET", "/healthz"): lambda: client.get("/healthz"),
        ("GET", "/readyz"): lambda: client.get("/readyz"),
    }
    res = calls[(method, path)]()
    assert res.status_code in (200, 201), (path, res.text)
    return res.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_example_response_has_the_real_fields(client: TestClient, endpoint) -> None:
    got = real(client, endpoint.method, endpoint.path)
    assert shape(endpoint.response) == shape(got) or set(endpoint.response) == set(got), (
        endpoint.path, sorted(endpoint.response), sorted(got))


def test_docs_page_is_dutch_with_examples_for_every_api_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    html = client.get("/docs").text
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in html, (method, path)
    assert html.count("Voorbeeld van een aanvraag") == len(ENDPOINTS)
    assert "curl -X POST https://routewijzer.example.nl/api/ask" in html
    # One language: no English summaries from the schema, no raw schema dump.
    for english in ("Answer a question", "Rate an answer", "The process is alive", "Schema's", "$ref"):
        assert english not in html
    assert len(re.sub(r"<[^>]+>", "", html)) < 12_000
