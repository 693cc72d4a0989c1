"""Issue 18: one request cannot hurt others; cross-site posts, odd characters, methods, OpenAPI, 500s."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings

QUESTION = "Wat is een doorlopende leerroute?"
SURROGATE_CONTEXT = b'{"question":"en bij GLR?","context":["DLR \\udfff"]}'


class _Utf8Embedder:
    """The fake embedder, but like the real tokenizer it must encode every text as UTF-8."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def embed_queries(self, texts):  # noqa: ANN001
        for text in texts:
            text.encode("utf-8")  # UnicodeEncodeError on a lone surrogate, as tokenizers raise
        return self.inner.embed_queries(texts)


@pytest.fixture
def strict_engine(fake_index_dir):
    """An engine whose embedder fails on text that cannot be encoded, like the real model's."""
    from assistant.engine import Routewijzer
    from assistant.search.embedder import make_embedder

    settings = Settings(embedder="fake", index_dir=fake_index_dir)
    engine = Routewijzer.load(settings, _Utf8Embedder(make_embedder(settings)))
    yield engine
    engine.close()


@pytest.mark.parametrize("body", [
    SURROGATE_CONTEXT,
    b'{"question":"DLR \\udfff?"}',
    b'{"question":"DLR\\u0007?"}',
    b'{"question":"Wat?","context":["bel \\u0000 mij"]}',
])
def test_odd_characters_get_a_dutch_422(client: TestClient, body: bytes) -> None:
    res = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert res.status_code == 422 and "ongeldige tekens" in res.json()["detail"], res.text


def test_engine_ignores_an_unencodable_previous_question(strict_engine) -> None:
    """Even called directly (CLI, another client), a lone surrogate in the context never reaches the model."""
    answer = strict_engine.ask_many([("en bij GLR?", ["DLR \udfff"]), (QUESTION, None)])
    assert all(not isinstance(a, Exception) for a in answer)


def test_a_failing_batch_is_answered_one_question_at_a_time(strict_engine) -> None:
    """Questions batched with one that breaks the model still get their answers."""
    async def main() -> list[object]:
        bad = ("DLR \udfff", None)  # bypasses validation: the embedder itself fails on it
        strict_engine._query = _unchecked(strict_engine._query)
        return await asyncio.gather(
            *(strict_engine.ask_async(q, c) for q, c in [(QUESTION, None), bad, ("Wat is de derde leerweg?", None)]),
            return_exceptions=True)

    results = in_fresh_loop(main)
    assert isinstance(results[1], UnicodeEncodeError)
    assert results[0].question == QUESTION and results[2].citations


def in_fresh_loop(coroutine_fn):  # noqa: ANN001, ANN201
    """asyncio.run on a fresh thread: Playwright's sync API may hold a loop on the test thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_fn()).result(timeout=30)


def _unchecked(query):  # noqa: ANN001, ANN202
    """_query without the character check, to push a bad text into a batch."""
    from assistant.search.followup import Query

    def run(question, context):  # noqa: ANN001, ANN202
        if isinstance(question, str) and "\udfff" in question:
            return question, Query(text=question, focus=None)
        return query(question, context)

    return run


def test_a_500_carries_the_security_headers_and_a_dutch_message(fake_settings, fake_routewijzer) -> None:
    from assistant.webapp.app import create_app

    app = create_app(fake_settings, fake_routewijzer)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("stuk")

    with TestClient(app, raise_server_exceptions=False) as client:
        res = client.get("/api/boom")
    assert res.status_code == 500
    assert res.json()["detail"].startswith("Er ging iets mis")
    assert "stuk" not in res.text
    assert res.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in res.headers["content-security-policy"]


@pytest.mark.parametrize(("path", "data"), [
    ("/api/ask", {"json": {"question": QUESTION}}),
    ("/api/feedback", {"json": {"question": QUESTION, "rating": "helpful"}}),
    ("/ask", {"data": {"question": QUESTION}}),
    ("/feedback", {"data": {"question": QUESTION, "rating": "helpful"}}),
    ("/fragments/answer", {"data": {"question": QUESTION}}),
    ("/api/wizard", {"json": {"answers": {}}}),
])
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://testserver.evil.example"])
def test_cross_site_posts_are_refused(client: TestClient, fake_settings, path: str, data: dict,
                                      origin: str) -> None:
    res = client.post(path, headers={"Origin": origin}, **data)
    assert res.status_code == 403
    assert "andere website" in res.text
    assert "access-control-allow-origin" not in res.headers


def test_cross_site_form_without_origin_is_refused_by_fetch_metadata(client: TestClient) -> None:
    res = client.post("/ask", data={"question": QUESTION}, headers={"Sec-Fetch-Site": "cross-site"})
    assert res.status_code == 403


def test_own_origin_and_plain_clients_are_served(client: TestClient) -> None:
    assert client.post("/api/ask", json={"question": QUESTION},
                       headers={"Origin": "http://testserver"}).status_code == 200
    assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200  # curl sends no Origin
    assert client.post("/ask", data={"question": QUESTION},
                       headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}).status_code == 200


def test_public_url_is_our_origin_behind_a_proxy(fake_settings, fake_routewijzer) -> None:
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={"public_url": "https://vraagbaak.example.nl/"})
    with TestClient(create_app(settings, fake_routewijzer)) as client:
        ok = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": "https://vraagbaak.example.nl"})
        bad = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": "https://example.nl"})
    assert ok.status_code == 200 and bad.status_code == 403


def test_options_names_every_method(client: TestClient) -> None:
    res = client.options("/api/wizard")
    assert res.status_code == 204
    assert set(res.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}
    wrong = client.delete("/api/wizard")
    assert wrong.status_code == 405 and set(wrong.headers["allow"].split(", ")) >= {"GET", "POST"}
    assert wrong.json()["detail"] == "Deze methode is hier niet toegestaan."


def test_openapi_states_the_real_limits(client: TestClient, fake_settings) -> None:
    schema = client.get("/openapi.json").json()
    question = schema["components"]["schemas"]["AskIn"]["properties"]["question"]
    assert question["maxLength"] == fake_settings.max_question_chars == 500
    assert question["minLength"] == 1
    ask = schema["paths"]["/api/ask"]["post"]["responses"]
    assert {"403", "413", "422", "429", "503"} <= set(ask)
    assert "413" in schema["paths"]["/api/feedback"]["post"]["responses"]


@pytest.mark.parametrize("body", [
    {"question": "Wat?", "rating": "helpful", "comment": "x\x00y"},
    {"question": "\t \n", "rating": "helpful"},
    {"question": "Wat?", "rating": "helpful", "citations": ["/kb/a\x07"]},
])
def test_feedback_refuses_blank_and_control_characters(client: TestClient, fake_settings, body: dict) -> None:
    import sqlite3

    res = client.post("/api/feedback", json=body)
    assert res.status_code == 422, res.text
    assert res.json()["detail"].startswith(("Typ eerst", "De toelichting bevat", "Een bron bevat"))
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_feedback_surrogate_is_refused(client: TestClient) -> None:
    res = client.post("/api/feedback", content=b'{"question":"x \\udfff","rating":"helpful"}',
                      headers={"content-type": "application/json"})
    assert res.status_code == 422 and "ongeldige tekens" in res.json()["detail"]


def test_feedback_citations_are_redacted(client: TestClient, fake_settings) -> None:
    import sqlite3

    res = client.post("/api/feedback", json={"question": "Wat?", "rating": "helpful",
                                             "citations": ["/kb/x?mail=jan@school.nl&tel=0612345678"]})
    assert res.status_code == 201
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        stored = json.loads(conn.execute("SELECT citations FROM feedback").fetchone()[0])
    assert "jan@school.nl" not in stored[0] and "0612345678" not in stored[0]


@pytest.fixture
def strict_client(fake_settings, strict_engine) -> Iterator[TestClient]:
    from assistant.webapp.app import create_app

    with TestClient(create_app(fake_settings, strict_engine)) as client:
        yield client


def test_surrogate_context_with_the_strict_engine(strict_client: TestClient) -> None:
    res = strict_client.post("/api/ask", content=SURROGATE_CONTEXT, headers={"content-type": "application/json"})
    assert res.status_code == 422
    assert strict_client.post("/api/ask", json={"question": QUESTION}).status_code == 200


@pytest.mark.parametrize("path", ["/ask", "/fragments/answer", "/feedback"])
def test_broken_form_posts_get_a_dutch_message(client: TestClient, path: str) -> None:
    res = client.post(path, content=b"garbage", headers={"content-type": "multipart/form-data"})
    assert res.status_code == 400
    assert res.json()["detail"].startswith("Het formulier is niet goed verstuurd") and "boundary" not in res.text


def test_a_bad_previous_question_in_the_fragment_names_the_context(client: TestClient) -> None:
    res = client.post("/fragments/answer", data={"question": "Wat?", "context": "bel \x00 mij"})
    assert res.status_code == 422 and res.json()["field"] == "context"
