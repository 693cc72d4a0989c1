"""Live index swap: a newly built index is taken into use without a restart; a bad one never is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.engine import Routewijzer
from assistant.search.index import CURRENT, build_index
from assistant.search.lexical import tokenize
from assistant.search.live import IndexWatcher
from assistant.settings import ROOT, Settings

NEW_SENTENCE = "Het zeldzame woord kwartelkoning staat alleen in deze nieuwe zin."


@pytest.fixture
def live(tmp_path: Path):
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    settings = Settings(embedder="fake", kb_dir=kb, index_dir=tmp_path / "index", feedback_db=tmp_path / "f.db")
    build_index(settings)
    rw = Routewijzer.load(settings)
    yield settings, rw
    rw.close()


def _add_sentence(settings: Settings) -> None:
    article = settings.kb_dir / "articles" / "derde-leerweg.md"
    text = article.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    article.write_text(text.replace(heading, f"{heading}\n\n{NEW_SENTENCE}", 1), encoding="utf-8")


def test_new_index_is_swapped_in(live) -> None:
    settings, rw = live
    old = rw.index_version
    watcher = IndexWatcher(settings.index_dir, 60, old, rw.reload)
    assert not watcher.check()  # nothing new yet
    assert tokenize("kwartelkoning")[0] not in rw.retriever.lexical.vocabulary
    _add_sentence(settings)
    build_index(settings)
    assert watcher.check()
    assert rw.index_version != old
    assert watcher.serving == rw.index_version
    assert tokenize("kwartelkoning")[0] in rw.retriever.lexical.vocabulary
    assert any(NEW_SENTENCE in s.body for a in rw.kb.articles for s in a.sections)  # kb swapped with it
    assert rw.ask("Wat is de derde leerweg?").citations


def test_broken_new_index_keeps_the_old_one(live, tmp_path: Path) -> None:
    settings, rw = live
    old = rw.index_version
    broken = settings.index_dir / "20990101T000000-broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    (settings.index_dir / CURRENT).write_text(broken.name)
    watcher = IndexWatcher(settings.index_dir, 60, old, rw.reload)
    assert not watcher.check()
    assert rw.index_version == old and rw.ask("Wat is de derde leerweg?").citations
    assert not watcher.check()  # the same broken version is not retried on every look


def test_watcher_thread_swaps_by_itself(live) -> None:
    import time

    settings, rw = live
    old = rw.index_version
    watcher = rw.watch_index(0.05)
    try:
        _add_sentence(settings)
        build_index(settings)
        deadline = time.monotonic() + 30
        while rw.index_version == old and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rw.index_version != old
    finally:
        watcher.stop()
