"""The JSON API: the answer contract, Dutch 4xx messages, feedback storage, health and docs."""

from __future__ import annotations

import json
import sqlite3

import pytest
from fastapi.testclient import TestClient

QUESTION = "Wat is een doorlopende leerroute?"


def test_ask_returns_the_cli_contract(client: TestClient, fake_routewijzer) -> None:
    res = client.post("/api/ask", json={"question": QUESTION})
    assert res.status_code == 200
    assert res.headers["content-type"] == "application/json"
    body = res.json()
    assert body == fake_routewijzer.ask(QUESTION).to_dict()
    assert set(body) == {"question", "answer", "abstained", "confidence", "citations", "related", "not_in_kb",
                         "stand", "outdated", "refer"}
    assert body["refer"] is None
    assert not body["abstained"]
    cite = body["citations"][0]
    assert set(cite) == {"article", "title", "section", "anchor", "url", "snippet", "passage",
                         "last_reviewed", "stand", "valid_until"}
    assert cite["url"] == f"/kb/{cite['article']}#{cite['anchor']}"


def test_ask_passes_context_for_follow_ups(client: TestClient, fake_routewijzer) -> None:
    context = ["Wat is het verschil tussen een DLR en een GLR?"]
    follow_up = "en bij de geïntegreerde route?"
    res = client.post("/api/ask", json={"question": follow_up, "context": context})
    assert res.status_code == 200
    assert res.json() == fake_routewijzer.ask(follow_up, context).to_dict()


def test_concurrent_questions_each_get_their_own_answer(fake_settings, fake_routewijzer) -> None:
    """Requests that arrive together are embedded as one batch; no answer may go to the wrong one."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from assistant.bench.http import serve_on_loopback
    from assistant.webapp.app import create_app

    questions = [QUESTION, "Wat is de derde leerweg?", "Wat is een praktijkverklaring?", "",
                 "Hoe wordt een doorlopende leerroute bekostigd?", "Wat is een mbo-certificaat?"] * 4
    with serve_on_loopback(create_app(fake_settings, fake_routewijzer)) as url, \
            httpx.Client(base_url=url, trust_env=False, timeout=30) as http, \
            ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda q: http.post("/api/ask", json={"question": q}), questions))
    for question, res in zip(questions, responses, strict=True):
        if question:
            assert res.status_code == 200 and res.json() == fake_routewijzer.ask(question).to_dict()
        else:
            assert res.status_code == 422 and res.json()["detail"] == "Typ eerst een vraag."


@pytest.mark.parametrize(("body", "content_type", "status", "message"), [
    (b"", "application/json", 400, "leeg"),
    (b"{\"question\": ", "application/json", 400, "geen geldige JSON"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "application/json", 400, "geen geldige JSON"),
    (b"\x00\x01\x02\xff", "application/octet-stream", 400, "JSON-object"),
    (b"question=hoi", "application/x-www-form-urlencoded", 400, "JSON-object"),
    (b"[\"Wat is een DLR?\"]", "application/json", 400, "JSON-object"),
    (b"\"Wat is een DLR?\"", "application/json", 400, "JSON-object"),
    (b"{}", "application/json", 422, "Typ eerst een vraag."),
    (b"{\"question\": \"\"}", "application/json", 422, "Typ eerst een vraag."),
    (b"{\"question\": \"   \\n\\t \"}", "application/json", 422, "Typ eerst een vraag."),
    (b"{\"question\": null}", "application/json", 422, "De vraag moet tekst zijn."),
    (b"{\"question\": 42}", "application/json", 422, "De vraag moet tekst zijn."),
    (b"{\"question\": [\"a\"]}", "application/json", 422, "De vraag moet tekst zijn."),
    (b"{\"question\": \"nul\\u0000byte\"}", "application/json", 422, "ongeldige tekens"),
    (json.dumps({"question": "a" * 501}).encode(), "application/json", 422, "te lang"),
    (json.dumps({"question": "a" * 30_000}).encode(), "application/json", 422, "te lang"),
    (b"{\"question\": \"Wat?\", \"context\": \"nee\"}", "application/json", 422, "eerdere vragen"),
    (b"{\"question\": \"Wat?\", \"context\": [1, 2]}", "application/json", 422, "eerdere vragen"),
    (b"{\"question\": \"Wat?\", \"context\": [\"  \"]}", "application/json", 422, "eerdere vraag"),
])
def test_bad_input_gets_a_dutch_4xx(
    client: TestClient, body: bytes, content_type: str, status: int, message: str
) -> None:
    res = client.post("/api/ask", content=body, headers={"content-type": content_type})
    assert res.status_code == status, res.text
    detail = res.json()["detail"]
    assert isinstance(detail, str) and message in detail


def test_question_error_names_the_field(client: TestClient) -> None:
    res = client.post("/api/ask", json={"question": " "})
    assert res.json() == {"detail": "Typ eerst een vraag.", "field": "question"}


def test_wrong_method(client: TestClient) -> None:
    res = client.get("/api/ask")
    assert res.status_code == 405
    assert res.json()["detail"] == "Deze methode is hier niet toegestaan."


def test_feedback_is_redacted_and_stored(client: TestClient, fake_settings) -> None:
    res = client.post("/api/feedback", json={
        "question": "Ik ben jan@school.nl, mag mijn leerling (BSN 111222333) een DLR doen?",
        "answer": "Een doorlopende leerroute is …",
        "rating": "not_helpful",
        "reason": "onvolledig",
        "comment": "Bel me op 06-12345678 of maak over naar NL91 ABNA 0417 1643 00",
        "citations": ["/kb/dlr-wat-is-het#wat-is-een-dlr"],
        "abstained": False,
    })
    assert res.status_code == 201
    assert res.json()["status"] == "ok"
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        conn.row_factory = sqlite3.Row
        query = "SELECT * FROM feedback WHERE id = ?"
        row = dict(conn.execute(query, (res.json()["id"],)).fetchone())
    assert row["question"] == "Ik ben [e-mailadres], mag mijn leerling (BSN [BSN]) een DLR doen?"
    assert row["comment"] == "Bel me op [telefoonnummer] of maak over naar [IBAN]"
    assert row["rating"] == "not_helpful" and row["reason"] == "onvolledig"
    assert json.loads(row["citations"]) == ["/kb/dlr-wat-is-het#wat-is-een-dlr"]
    assert row["abstained"] == 0 and row["index_version"]
    dump = json.dumps(row)
    for secret in ("jan@school.nl", "111222333", "12345678", "0417"):
        assert secret not in dump


def test_minimal_feedback(client: TestClient) -> None:
    res = client.post("/api/feedback", json={"question": QUESTION, "rating": "helpful"})
    assert res.status_code == 201


@pytest.mark.parametrize(("payload", "message"), [
    ({"question": QUESTION}, "nuttig"),
    ({"question": QUESTION, "rating": "super"}, "nuttig"),
    ({"question": QUESTION, "rating": "helpful", "reason": "boos"}, "reden"),
    ({"question": QUESTION, "rating": "helpful", "comment": "x" * 1001}, "te lang"),
    ({"question": QUESTION, "rating": "helpful", "comment": 5}, "tekst"),
    ({"rating": "helpful"}, "Typ eerst een vraag."),
])
def test_bad_feedback_gets_a_dutch_422(client: TestClient, payload: dict, message: str) -> None:
    res = client.post("/api/feedback", json=payload)
    assert res.status_code == 422
    assert message in res.json()["detail"]


def test_bad_feedback_is_not_stored(client: TestClient, fake_settings) -> None:
    client.post("/api/feedback", json={"question": QUESTION, "rating": "nee"})
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_health_and_readiness(client: TestClient, fake_routewijzer) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert ready.json()["index_version"] == fake_routewijzer.index_version


def test_not_ready_before_the_engine_is_loaded(fake_settings) -> None:
    from assistant.webapp.app import create_app

    client = TestClient(create_app(fake_settings))  # no lifespan run: nothing loaded yet
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    res = client.post("/api/ask", json={"question": QUESTION})
    assert res.status_code == 503 and "nog niet klaar" in res.json()["detail"]


def test_lifespan_loads_the_engine_once(fake_settings) -> None:
    from assistant.webapp.app import create_app

    app = create_app(fake_settings)
    with TestClient(app) as client:
        assert client.get("/readyz").json()["status"] == "ready"
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
    assert app.state.routewijzer is None  # closed at shutdown


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/feedback", "/healthz", "/readyz"} <= set(schema["paths"])
    assert "Answer" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/ask" in docs.text
    assert "cdn" not in docs.text.lower() and "<script" not in docs.text


def test_oversized_body_is_refused(client: TestClient) -> None:
    res = client.post("/api/ask", content=b'{"question": "' + b"a" * 100_000 + b'"}',
                      headers={"content-type": "application/json"})
    assert res.status_code == 413
    assert res.json()["detail"] == "De aanvraag is te groot."
    assert res.headers["x-content-type-options"] == "nosniff"


def test_oversized_chunked_body_is_refused(client: TestClient) -> None:
    def chunks():
        yield b'{"question": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    res = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413


class _BusyEngine:
    """The real engine's knowledge base, but every question finds the model's queue full."""

    def __init__(self, engine) -> None:  # noqa: ANN001 - the loaded fake Routewijzer
        self.settings, self.kb, self.index_version = engine.settings, engine.kb, engine.index_version

    def ask(self, question: object, context: list[str] | None = None):  # pragma: no cover - unused
        raise AssertionError("the web app must go through ask_async")

    async def ask_async(self, question: object, context: list[str] | None = None):
        from assistant.search.model_thread import QueueFull

        raise QueueFull("128 requests are already waiting")

    def close(self) -> None:
        pass


def test_full_queue_gets_a_dutch_503_with_retry_after(fake_settings, fake_routewijzer) -> None:
    from assistant.webapp.app import create_app

    with TestClient(create_app(fake_settings, _BusyEngine(fake_routewijzer))) as busy:
        api = busy.post("/api/ask", json={"question": QUESTION})
        fragment = busy.post("/fragments/answer", data={"question": QUESTION})
        page = busy.post("/ask", data={"question": QUESTION})
    for res in (api, fragment):
        assert res.status_code == 503 and res.headers["retry-after"] == "2"
        assert res.json() == {"detail": "Routewijzer is nu erg druk. Probeer het over een paar seconden opnieuw.",
                              "field": None}
    assert page.status_code == 503 and page.headers["retry-after"] == "2"
    assert "Routewijzer is nu erg druk" in page.text and QUESTION in page.text  # the question is kept


def test_model_is_warmed_before_ready(fake_settings, monkeypatch) -> None:
    from assistant.engine import Routewijzer
    from assistant.search.embedder import FakeEmbedder
    from assistant.webapp.app import create_app

    embedded: list[str] = []
    original = FakeEmbedder.embed_queries
    monkeypatch.setattr(FakeEmbedder, "embed_queries",
                        lambda self, texts: embedded.extend(texts) or original(self, texts))
    warmed = []
    original_warm = Routewijzer.warm_up
    monkeypatch.setattr(Routewijzer, "warm_up", lambda self: warmed.append(1) or original_warm(self))
    with TestClient(create_app(fake_settings)) as client:
        assert warmed == [1] and embedded  # one question went through the model before any request
        assert client.get("/readyz").json()["status"] == "ready"


def test_a_nearby_topic_links_to_where_to_go_instead(client: TestClient) -> None:
    question = "heeft een mbo-student van 18 recht op studiefinanciering?"
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["abstained"] and body["refer"]["url"] == "https://duo.nl/particulier/studiefinanciering/"
    html = client.post("/ask", data={"question": question}).text
    link = '<a href="https://duo.nl/particulier/studiefinanciering/" rel="noopener">DUO: Studiefinanciering</a>'
    assert f"Kijk bij {link}" in html


def test_the_server_loads_its_engine_for_serving(fake_settings, monkeypatch) -> None:
    """`ASSISTANT_EMBEDDER=auto` picks the engine by purpose: the web app asks for the serving one."""
    from assistant.engine import Routewijzer
    from assistant.webapp.app import create_app

    purposes: list[str] = []
    original = Routewijzer.load.__func__

    def load(cls, settings, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        purposes.append(kwargs.get("purpose", "batch"))
        return original(cls, settings, *args, **kwargs)

    monkeypatch.setattr(Routewijzer, "load", classmethod(load))
    with TestClient(create_app(fake_settings)) as client:
        assert client.get("/readyz").json()["status"] == "ready"
    assert purposes == ["serve"]
