"""Score a tuning set quickly while trying changes: query embeddings are cached on disk.

The same scoring as `python -m assistant eval` (assistant/quality/blind.py), on the blind dev half
or the tuning set (tests/eval/blind3); it refuses the test half and the held-out sets
(quality/blind.HELD_OUT_SETS), which are reported, never tuned on. Query embeddings are kept in
var/query-cache.pkl, keyed by text, so a second run after a change to ranking or answers takes
seconds. Failures go to a JSON-lines file.

    PYTHONPATH=. .venv/bin/python scripts/tuning_harness.py tests/eval/blind3 all [failures.jsonl]
    PYTHONPATH=. .venv/bin/python scripts/tuning_harness.py tests/eval/blind dev
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from assistant.engine import Routewijzer  # noqa: E402
from assistant.quality.blind import HELD_OUT_SETS, load_blind_set, score  # noqa: E402
from assistant.search.embedder import Embedder, make_embedder  # noqa: E402
from assistant.settings import ROOT, Settings  # noqa: E402

CACHE = ROOT / "var" / "query-cache.pkl"


class CachedQueries:
    """An Embedder whose query embeddings are cached by text (passages are not cached)."""

    def __init__(self, inner: Embedder, path: Path = CACHE):
        self.inner, self.path = inner, path
        self.cache: dict[str, np.ndarray] = pickle.loads(path.read_bytes()) if path.exists() else {}
        self.new = False

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed_queries(missing), strict=True))
            self.new = True
        return np.stack([self.cache[t] for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def close(self) -> None:
        if self.new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self.cache))
        self.inner.close()

    def __getattr__(self, name: str) -> object:  # model name, dimension, thread …
        return getattr(self.inner, name)


def main(folder: str, part: str, failures: str | None = None) -> None:
    if part == "test" or Path(folder).resolve().name in HELD_OUT_SETS:
        sys.exit("tune on the dev half or the tuning set only: the test half and the held-out sets "
                 f"({', '.join(HELD_OUT_SETS)}) are reported, not tuned on")
    settings = Settings()
    embedder = CachedQueries(make_embedder(settings, "batch"))  # the index model, like eval
    rw = Routewijzer.load(settings, embedder=embedder)
    try:
        blind = load_blind_set(Path(folder))
        report = score(lambda q, c: rw.ask(q, c), blind if part == "all" else blind.part(part))
    finally:
        rw.close()
    fails = report.pop("failures")
    print(json.dumps(report, indent=1))
    if failures:
        Path(failures).write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in fails), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
