"""The OpenAPI document tells the limits that really apply (question length, 413, 429, 403)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from assistant.settings import Settings

ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
EXTRA_RESPONSES = {
    "403": "De aanvraag komt van een andere website (Origin) dan deze of een toegestane widget-site.",
    "413": "De aanvraag is te groot (meer dan 64 kB).",
    "429": "Te veel aanvragen van deze client kort na elkaar; zie Retry-After.",
}


def install(app: FastAPI, settings: Settings) -> None:
    """Replace app.openapi with a version that states the configured limits."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        schemas = schema.get("components", {}).get("schemas", {})
        question = schemas.get("AskIn", {}).get("properties", {}).get("question")
        if question is not None:
            question.update(minLength=1, maxLength=settings.max_question_chars)
        context = schemas.get("AskIn", {}).get("properties", {}).get("context")
        if context is not None:
            for variant in context.get("anyOf", [context]):
                if variant.get("type") == "array":
                    variant["items"] = {"type": "string", "maxLength": settings.max_question_chars}
        feedback_question = schemas.get("FeedbackIn", {}).get("properties", {}).get("question")
        if feedback_question is not None:
            feedback_question["minLength"] = 1
        for path in schema.get("paths", {}).values():
            for method, operation in path.items():
                if method in ("post", "put", "patch", "delete"):
                    for status, text in EXTRA_RESPONSES.items():
                        operation.setdefault("responses", {}).setdefault(status, {"description": text, **ERROR_REF})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
