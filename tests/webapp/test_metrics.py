"""Prometheus metrics: off by default; requests by route, answers vs abstentions, queue, model time, index."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name{labels}` from the exposition text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            head, _, number = line.rpartition(" ")
            found = dict(re.findall(r'(\w+)="([^"]*)"', head))
            if head.split("{")[0] == name and all(found.get(k) == v for k, v in labels.items()):
                return float(number)
    return 0.0


def test_metrics_are_off_by_default(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 404


@pytest.fixture
def metered(fake_settings: Settings):
    """The app with metrics on and its own engine (the lifespan loads it, as in production)."""
    from assistant.webapp.app import create_app

    with TestClient(create_app(fake_settings.model_copy(update={"metrics": True}))) as client:
        yield client


def test_metrics_count_requests_answers_and_the_queue(metered: TestClient) -> None:
    assert metered.post("/api/ask", json={"question": "Wat is een doorlopende leerroute?"}).status_code == 200
    metered.post("/api/ask", json={"question": "Hoe laat vertrekt de trein naar Parijs?"})
    metered.post("/api/ask", json={"question": ""})
    metered.get("/kb/bestaat-niet")
    metered.post("/api/ask", json={"question": "x"}, headers={"Origin": "https://evil.example"})
    res = metered.get("/metrics")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/plain")
    text = res.text
    assert value(text, "routewijzer_http_requests_total", route="/api/ask", method="POST", status="200") == 2
    assert value(text, "routewijzer_http_requests_total", route="/api/ask", method="POST", status="422") == 1
    assert value(text, "routewijzer_http_requests_total", route="unmatched", method="POST", status="403") == 1
    assert value(text, "routewijzer_http_requests_total", route="/kb/{slug}", method="GET", status="404") == 1
    assert value(text, "routewijzer_answers_total", outcome="answered") == 1
    assert value(text, "routewijzer_answers_total", outcome="abstained") == 1
    assert value(text, "routewijzer_model_batch_seconds_count") == 3  # the empty question is refused there
    assert value(text, "routewijzer_queue_wait_seconds_count") == 3
    assert value(text, "routewijzer_http_request_seconds_count", route="/api/ask") == 3
    assert "routewijzer_queue_depth 0.0" in text
    version = metered.get("/readyz").json()["index_version"]
    assert value(text, "routewijzer_index_info", version=version) == 1
    assert "Parijs" not in text and "127.0.0.1" not in text and "testclient" not in text  # nothing personal


def test_metrics_on_their_own_port(fake_settings: Settings) -> None:
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={"metrics": True, "metrics_port": 9999})
    with TestClient(create_app(settings)) as client:
        assert client.get("/metrics").status_code == 404  # not on the public port
        assert client.app.state.metrics.exposition().startswith(b"# HELP")
