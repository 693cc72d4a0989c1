"""Index build: manifest, incremental rebuilds, atomic switch, clear errors on bad indexes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.search.embedder import FakeEmbedder
from assistant.search.index import CURRENT, IndexNotReady, build_index, load_index
from assistant.settings import ROOT, Settings


class CountingEmbedder(FakeEmbedder):
    """Fake embedder that counts how many texts it embedded."""

    def __init__(self, dimension: int = 256):
        super().__init__(dimension)
        self.count = 0

    def embed_queries(self, texts):
        self.count += len(texts)
        return super().embed_queries(texts)


def _settings(tmp_path: Path, kb: Path | None = None) -> Settings:
    return Settings(embedder="fake", index_dir=tmp_path / "index", kb_dir=kb or ROOT / "kb")


def test_build_writes_manifest_and_loads(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    report = build_index(settings)
    assert "built" in report
    current = (settings.index_dir / CURRENT).read_text().strip()
    manifest = json.loads((settings.index_dir / current / "manifest.json").read_text())
    assert manifest["model"] == "fake-hashing-256" and manifest["dimension"] == 256
    assert manifest["chunks"] == len(manifest["hashes"]) > 100
    assert manifest["built_at"] and manifest["version"] == current
    loaded = load_index(settings, FakeEmbedder())
    assert loaded.index.ntotal == manifest["chunks"]


def test_rebuild_embeds_only_changed_chunks(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    settings = _settings(tmp_path, kb)
    first = CountingEmbedder()
    build_index(settings, embedder=first)
    assert first.count > 100
    again = CountingEmbedder()
    assert "up to date" in build_index(settings, embedder=again)
    assert again.count == 0
    article = kb / "articles" / "derde-leerweg.md"
    text = article.read_text(encoding="utf-8")
    heading_line = next(line for line in text.splitlines() if line.startswith("## "))
    article.write_text(text.replace(heading_line, heading_line + "\n\nEen extra zin om te testen.", 1),
                       encoding="utf-8")
    changed = CountingEmbedder()
    build_index(settings, embedder=changed)
    assert changed.count == 2  # only the changed section passage and its one new answer unit


def test_half_written_index_is_never_loaded(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings)
    good = (settings.index_dir / CURRENT).read_text()
    # a crashed build leaves only a temp folder; CURRENT still names the good one
    (settings.index_dir / ".tmp-crashed").mkdir()
    (settings.index_dir / ".tmp-crashed" / "vectors.faiss").write_bytes(b"half")
    assert load_index(settings, FakeEmbedder()).version == good


def test_missing_index_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(IndexNotReady, match="python -m assistant index build"):
        load_index(_settings(tmp_path), FakeEmbedder())


def test_corrupt_index_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings)
    current = settings.index_dir / (settings.index_dir / CURRENT).read_text()
    (current / "vectors.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexNotReady, match="beschadigd"):
        load_index(settings, FakeEmbedder())


def test_other_model_or_dimension_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    build_index(settings)
    with pytest.raises(IndexNotReady, match="dimensie 256.*index build"):
        load_index(settings, FakeEmbedder(dimension=128))


@pytest.mark.parametrize(("argv", "env", "want"), [
    (["--nice", "5"], {}, [5]), ([], {}, [10]), ([], {"ASSISTANT_BUILD_NICE": "0"}, []),
    (["--nice", "0"], {"ASSISTANT_BUILD_NICE": "7"}, []),
])
def test_index_build_lowers_its_priority(tmp_path: Path, monkeypatch, argv, env, want) -> None:
    import os

    from assistant.cli.main import main

    niced: list[int] = []
    monkeypatch.setattr(os, "nice", niced.append)
    for key, value in {"ASSISTANT_EMBEDDER": "fake", "ASSISTANT_INDEX_DIR": str(tmp_path / "index"), **env}.items():
        monkeypatch.setenv(key, value)
    assert main(["index", "build", *argv]) == 0
    assert niced == want
    assert (tmp_path / "index" / CURRENT).exists()
