"""Shared browser-test fixtures: a live Routewijzer server on 127.0.0.1 and Debian's Chromium.

Reuse them from any test under tests/browser/: `live_server` (url, settings, app), `browser`,
`page` (a fresh context per test, base_url set), `screenshot(page, name)` and
`axe_violations(page)`.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from assistant.settings import ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass
class LiveServer:
    """A running server: its base URL, the settings it was built with and the app."""

    url: str
    settings: Settings
    app: FastAPI


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test; skip them all when Chromium is absent."""
    reason = f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)"
    skip = pytest.mark.skip(reason=reason)
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() and not IN_CI:  # in CI a missing browser fails the tests
                item.add_marker(skip)


@pytest.fixture(scope="session")
def live_settings(fake_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Fake-embedder settings with a feedback database private to this test session."""
    db = tmp_path_factory.mktemp("live") / "feedback.sqlite3"
    return Settings(embedder="fake", index_dir=fake_index_dir, feedback_db=db)


@pytest.fixture(scope="session")
def live_server(live_settings: Settings, fake_routewijzer) -> Iterator[LiveServer]:
    """Uvicorn serving create_app() in a thread on 127.0.0.1 and a free port."""
    from assistant.webapp.app import create_app

    app = create_app(live_settings, fake_routewijzer)
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", settings=live_settings, app=app)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (sync API)."""
    if not CHROMIUM.exists():
        (pytest.fail if IN_CI else pytest.skip)(f"Debian chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server: LiveServer) -> Iterator[object]:
    """A fresh browser context and page; relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL",
                                  viewport={"width": 1200, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors  # type: ignore[attr-defined]
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def screenshot() -> Callable[[object, str], Path]:
    """Save a full-page screenshot to test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(pg, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_violations() -> Callable[[object], list[dict]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on a page; return the violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(pg) -> list[dict]:
        options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                         "best-practice"]}}
        results = axe.run(pg, options=options)
        return results.response["violations"]

    return run
