"""A self-hosted API documentation page built from the OpenAPI schema (no CDN, no inline script)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assistant.webapp.deps import TemplatesDep

router = APIRouter()


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request, templates: TemplatesDep) -> HTMLResponse:
    """List every endpoint with its request and response schemas."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            endpoints.append({
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "body": body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                "responses": {code: r.get("description", "")
                              for code, r in op.get("responses", {}).items()},
            })
    schemas = {
        name: json.dumps(s, indent=2, ensure_ascii=False)
        for name, s in schema.get("components", {}).get("schemas", {}).items()
        if name not in ("HTTPValidationError", "ValidationError")
    }
    return templates.TemplateResponse(
        request, "api_docs.html", {"endpoints": endpoints, "schemas": schemas, "title": "API"}
    )
