"""Chunks → embeddings → FAISS index on disk, with a manifest, incremental rebuilds and atomic swap."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from assistant import __version__
from assistant.content.kb import KnowledgeBase, load_kb
from assistant.search.chunks import PASSAGE_KINDS, Chunk, make_chunks
from assistant.search.embedder import Embedder, make_embedder
from assistant.settings import Settings

FORMAT_VERSION = 2  # 2: answer-unit (sentence) views
CURRENT = "CURRENT"
REBUILD_HINT = "Bouw de index opnieuw met: python -m assistant index build"


class IndexNotReady(RuntimeError):
    """The index is missing, half-written, corrupt or built with another model; says how to fix it."""


@dataclass
class LoadedIndex:
    """A FAISS index with its chunks and manifest, ready for search."""

    index: faiss.Index
    chunks: list[Chunk]
    manifest: dict
    path: Path

    @property
    def version(self) -> str:
        """The index version (its folder name)."""
        return self.manifest["version"]


def model_id(settings: Settings, embedder: Embedder) -> str:
    """A stable name for the model: a folder's name, or the model name as given."""
    path = Path(settings.model)
    return path.name if settings.embedder != "fake" and path.is_dir() else embedder.name


def _read_current(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return index_dir / name if name else None


def load_index(settings: Settings, embedder: Embedder) -> LoadedIndex:
    """Load the current index, refusing a missing, corrupt or mismatched one with a clear message."""
    path = _read_current(settings.index_dir)
    if path is None or not path.is_dir():
        raise IndexNotReady(f"Er is nog geen index in {settings.index_dir}. {REBUILD_HINT}")
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        chunks = [Chunk(**c) for c in json.loads((path / "chunks.json").read_text(encoding="utf-8"))]
        index = faiss.read_index(str(path / "vectors.faiss"))
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise IndexNotReady(f"De index in {path} is onleesbaar of beschadigd ({exc}). {REBUILD_HINT}") from exc
    want = model_id(settings, embedder)
    if manifest.get("model") != want or manifest.get("dimension") != embedder.dimension:
        raise IndexNotReady(
            f"De index is gebouwd met model {manifest.get('model')!r} (dimensie {manifest.get('dimension')}), "
            f"maar ingesteld is {want!r} (dimensie {embedder.dimension}). {REBUILD_HINT}"
        )
    if manifest.get("format") != FORMAT_VERSION or index.ntotal != len(chunks):
        raise IndexNotReady(f"De index in {path} past niet bij deze versie van Routewijzer. {REBUILD_HINT}")
    return LoadedIndex(index=index, chunks=chunks, manifest=manifest, path=path)


def _previous_vectors(settings: Settings, model: str) -> dict[str, np.ndarray]:
    """Vectors of the current index by content hash, to reuse for unchanged chunks."""
    path = _read_current(settings.index_dir)
    if path is None:
        return {}
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("model") != model:
            return {}
        index = faiss.read_index(str(path / "vectors.faiss"))
        vectors = index.reconstruct_n(0, index.ntotal)
    except (OSError, ValueError, RuntimeError):
        return {}
    return dict(zip(manifest["hashes"], vectors, strict=False))


def _embed(embedder: Embedder, chunks: list[Chunk]) -> np.ndarray:
    out = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
    passages = [i for i, c in enumerate(chunks) if c.kind in PASSAGE_KINDS]
    questions = [i for i, c in enumerate(chunks) if c.kind not in PASSAGE_KINDS]
    if passages:
        out[passages] = embedder.embed_passages([chunks[i].text for i in passages])
    if questions:
        out[questions] = embedder.embed_queries([chunks[i].text for i in questions])
    return out


def build_index(settings: Settings, *, force: bool = False, embedder: Embedder | None = None,
                kb: KnowledgeBase | None = None) -> str:
    """Write a new index beside the old one and switch to it atomically; embed only changed chunks."""
    started = time.perf_counter()
    kb = kb or load_kb(settings.kb_dir, settings.seeds_dir)
    own = embedder is None
    embedder = embedder or make_embedder(settings)
    try:
        model = model_id(settings, embedder)
        chunks = make_chunks(kb.articles, kb.glossary)
        hashes = [c.content_hash(model) for c in chunks]
        old = {} if force else _previous_vectors(settings, model)
        todo = [i for i, h in enumerate(hashes) if h not in old]
        vectors = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
        for i, h in enumerate(hashes):
            if h in old:
                vectors[i] = old[h]
        if todo:
            vectors[todo] = _embed(embedder, [chunks[i] for i in todo])
    finally:
        if own:
            embedder.close()
    current = _read_current(settings.index_dir)
    if not todo and current is not None and not force:
        try:
            manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("hashes") == hashes and manifest.get("format") == FORMAT_VERSION:
                return f"index: up to date ({current.name}, {len(chunks)} chunks)"
        except (OSError, ValueError):
            pass
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    tmp = settings.index_dir / f".tmp-{version}"
    tmp.mkdir()
    index = faiss.IndexFlatIP(embedder.dimension)
    index.add(vectors)
    faiss.write_index(index, str(tmp / "vectors.faiss"))
    (tmp / "chunks.json").write_text(
        json.dumps([c.__dict__ for c in chunks], ensure_ascii=False), encoding="utf-8")
    manifest = {
        "format": FORMAT_VERSION, "version": version, "model": model, "dimension": embedder.dimension,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "routewijzer": __version__,
        "chunks": len(chunks), "embedded": len(todo), "reused": len(chunks) - len(todo),
        "articles": {a.slug: a.last_reviewed.isoformat() for a in kb.articles},
        "hashes": hashes,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    for f in tmp.iterdir():
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
    os.replace(tmp, settings.index_dir / version)
    pointer_tmp = settings.index_dir / f".{CURRENT}.{version}"
    pointer_tmp.write_text(version, encoding="utf-8")
    os.replace(pointer_tmp, settings.index_dir / CURRENT)
    _prune(settings.index_dir, keep={version, current.name if current else ""})
    took = time.perf_counter() - started
    return (f"index: built {version}: {len(chunks)} chunks ({len(todo)} embedded, "
            f"{len(chunks) - len(todo)} reused) in {took:.1f}s")


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Remove older index versions and abandoned temp folders, keeping the current and previous."""
    for child in index_dir.iterdir():
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
