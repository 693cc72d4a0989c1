"""Fixtures for TestClient tests of the web app (fake embedder, private feedback database)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings


@pytest.fixture
def client(fake_settings: Settings, fake_routewijzer) -> Iterator[TestClient]:
    """The app over the real kb/ with the fake embedder."""
    from assistant.webapp.app import create_app

    app = create_app(fake_settings, fake_routewijzer)
    with TestClient(app) as test_client:
        yield test_client
