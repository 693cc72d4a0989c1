"""Rate limits per client and per widget site; who the client is behind a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest
from fastapi.testclient import TestClient

from assistant.webapp.limits import TokenBucket, client_address

QUESTION = "Wat is een doorlopende leerroute?"


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=1.0, burst=3)
    assert [bucket.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a", now=0.0) == pytest.approx(1.0)
    assert bucket.take("b", now=0.0) == 0.0  # another client has its own bucket
    assert bucket.take("a", now=1.0) == 0.0  # one token back after a second


def scope(peer: str, forwarded: str | None = None) -> dict:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"client": (peer, 1234), "headers": headers}


def test_forwarded_for_counts_only_from_a_trusted_proxy() -> None:
    proxies = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address(scope("203.0.113.9", "1.2.3.4"), proxies) == "203.0.113.9"  # spoofed
    assert client_address(scope("10.0.0.2", "1.2.3.4"), proxies) == "1.2.3.4"
    assert client_address(scope("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.7"), proxies) == "1.2.3.4"
    assert client_address(scope("10.0.0.2", "1.2.3.4"), []) == "10.0.0.2"


@pytest.fixture
def limited(fake_settings, fake_routewijzer):
    from assistant.webapp.app import create_app

    settings = fake_settings.model_copy(update={
        "rate_ask_per_minute": 6, "rate_ask_burst": 3, "rate_feedback_per_minute": 6, "rate_feedback_burst": 2,
    })
    with TestClient(create_app(settings, fake_routewijzer)) as client:
        yield client


def test_too_many_questions_get_a_dutch_429_with_retry_after(limited: TestClient) -> None:
    codes = [limited.post("/api/ask", json={"question": QUESTION}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    res = limited.post("/api/ask", json={"question": QUESTION})
    assert res.status_code == 429 and int(res.headers["retry-after"]) >= 1
    assert "Probeer het over" in res.json()["detail"]
    assert res.headers["x-content-type-options"] == "nosniff"
    page = limited.post("/ask", data={"question": QUESTION}, headers={"Accept": "text/html"})
    assert page.status_code == 429 and "Probeer het over" in page.text and "<html" in page.text


def test_feedback_flood_is_refused_and_not_stored(limited: TestClient, fake_settings) -> None:
    import sqlite3

    codes = [limited.post("/api/feedback", json={"question": QUESTION, "rating": "helpful"}).status_code
             for _ in range(5)]
    assert codes == [201, 201, 429, 429, 429]
    with sqlite3.connect(fake_settings.feedback_db) as conn:
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 2


def test_reading_pages_is_not_limited(limited: TestClient) -> None:
    assert all(limited.get("/kb").status_code == 200 for _ in range(10))


def test_a_question_whose_caller_left_is_cancelled_before_the_model() -> None:
    import asyncio

    from assistant.webapp.queueing import ClientGone, unless_gone

    class Gone:
        async def receive(self) -> dict:
            await asyncio.sleep(0.01)
            return {"type": "http.disconnect"}

    cancelled = []

    async def slow_answer() -> str:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return "antwoord"

    async def main() -> None:
        with pytest.raises(ClientGone):
            await unless_gone(Gone(), slow_answer())  # type: ignore[arg-type]
        await asyncio.sleep(0)

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:  # a fresh loop: Playwright may hold one on this thread
        pool.submit(asyncio.run, main()).result(timeout=30)
    assert cancelled == [True]
