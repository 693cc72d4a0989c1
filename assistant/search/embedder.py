"""The expensive seam: an Embedder protocol, a real sentence-transformers one and a fast fake."""

from __future__ import annotations

import hashlib
import re
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.search.model_thread import ModelThread
from assistant.settings import Settings


@runtime_checkable
class Embedder(Protocol):
    """Turns questions and passages into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def close(self) -> None: ...


_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Deterministic hashing embedder (words + character trigrams) for fast tests; no model needed."""

    def __init__(self, dimension: int = 256):
        self.name = f"fake-hashing-{dimension}"
        self.dimension = dimension

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        words = _WORD.findall(text.lower())
        feats = words + [w[i : i + 3] for w in words for i in range(max(1, len(w) - 2))]
        for feat in feats:
            h = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "little")
            vec[h % self.dimension] += 1.0 if (h >> 32) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions."""
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dimension), "float32")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages (same function: the fake has no prompts)."""
        return self.embed_queries(texts)

    def close(self) -> None:
        """Nothing to release."""


class SentenceTransformerEmbedder:
    """A sentence-transformers model whose every call runs on one dedicated `ModelThread`.

    With torch at 2 threads, calls from changing Python threads (a server's pool) each cost
    double; funnelling all calls through one worker thread keeps them at single-call speed.
    """

    def __init__(self, model: str, query_prompt: str, passage_prompt: str, batch_size: int = 32):
        self.thread = ModelThread("embedder")
        self.query_prompt, self.passage_prompt, self.batch_size = query_prompt, passage_prompt, batch_size
        self._model = self.thread.run(self._load, model)
        self.name = model
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())

    @staticmethod
    def _load(model: str):  # noqa: ANN205 - returns a SentenceTransformer
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(model, device="cpu", local_files_only=True)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        vecs = self._model.encode(
            texts, prompt=prompt, batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions with the query prompt (e5: 'query: ')."""
        return self.thread.run(self._encode, texts, self.query_prompt)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages with the passage prompt (e5: 'passage: ')."""
        return self.thread.run(self._encode, texts, self.passage_prompt)

    def close(self) -> None:
        """Stop the worker thread."""
        self.thread.close()


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for; the real model must already exist locally."""
    if settings.embedder == "fake":
        return FakeEmbedder()
    return SentenceTransformerEmbedder(settings.model, settings.query_prompt, settings.passage_prompt)
