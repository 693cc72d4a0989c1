"""Shared fixtures of the wizard tests: the real tree, the knowledge base, a client, paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.content.kb import KnowledgeBase, load_kb
from assistant.settings import ROOT, Settings
from assistant.wizard.check import load_wizard
from assistant.wizard.rules import paths
from assistant.wizard.tree import Wizard

WIZARD = ROOT / "kb" / "wizard.yaml"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def wizard() -> Wizard:
    return load_wizard(WIZARD)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    settings = Settings(embedder="fake")
    return load_kb(settings.kb_dir, settings.seeds_dir)


class _StubEngine:
    """Just enough of the engine for the wizard routes (they only need the knowledge base)."""

    index_version = "test"

    def __init__(self, settings: Settings, kb: KnowledgeBase):
        self.settings, self.kb = settings, kb

    def ask(self, question: str, context: list[str] | None = None):  # pragma: no cover
        raise NotImplementedError

    async def ask_async(self, question: str, context: list[str] | None = None):  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory):
    from assistant.webapp.app import create_app

    settings = Settings(embedder="fake", public_url="https://routewijzer.example.nl",
                        feedback_db=tmp_path_factory.mktemp("wizard") / "feedback.sqlite3")
    with TestClient(create_app(settings, _StubEngine(settings, kb))) as c:
        yield c


def all_paths(wizard: Wizard) -> list[tuple[dict[str, str], str]]:
    """Every path from start to an outcome, as (answers, outcome id)."""
    return [({q.id: o.id for q, o in trail}, outcome) for trail, outcome in paths(wizard)]
