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
from assistant.search import dense
from assistant.search.chunks import PASSAGE_KINDS, QUESTION, SENTENCE, Chunk, ChunkTable, make_chunks
from assistant.search.embedder import Embedder, FakeEmbedder, make_embedder
from assistant.search.lexical import LexicalIndex, question_tokens
from assistant.search.spelling import Speller
from assistant.settings import Settings

# 2: answer-unit (sentence) views; 3: BM25, spelling words and phrasing words saved at build, HNSW above a size;
# 4: chunks.json as columns
FORMAT_VERSION = 4
CURRENT = "CURRENT"
REBUILD_HINT = "Bouw de index opnieuw met: python -m assistant index build"


class IndexNotReady(RuntimeError):
    """The index is missing, half-written, corrupt or built with another model; says how to fix it."""


@dataclass
class LoadedIndex:
    """A FAISS index with its chunks and manifest, ready for search."""

    index: faiss.Index
    chunks: ChunkTable
    manifest: dict
    path: Path
    vectors: np.ndarray  # read-only view of the index's own vectors (no copy)
    lexical: LexicalIndex
    speller: Speller
    views: dict[str, list[list[str]]]  # per section: the words of each of its phrasings

    @property
    def version(self) -> str:
        """The index version (its folder name)."""
        return self.manifest["version"]


def model_id(settings: Settings, embedder: Embedder) -> str:
    """A stable name for the model: a folder's name, or the model name as given."""
    path = Path(settings.model)
    fake = settings.embedder == "fake" or isinstance(embedder, FakeEmbedder)
    return path.name if not fake and path.is_dir() else embedder.name


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
    except (OSError, ValueError) as exc:
        raise IndexNotReady(f"De index in {path} is onleesbaar of beschadigd ({exc}). {REBUILD_HINT}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexNotReady(
            f"De index in {path} is gemaakt door een andere versie van Routewijzer (indexformaat "
            f"{manifest.get('format')}, nodig: {FORMAT_VERSION}). {REBUILD_HINT}")
    want = model_id(settings, embedder)
    if manifest.get("model") != want or manifest.get("dimension") != embedder.dimension:
        raise IndexNotReady(
            f"De index is gebouwd met model {manifest.get('model')!r} (dimensie {manifest.get('dimension')}), "
            f"maar ingesteld is {want!r} (dimensie {embedder.dimension}). {REBUILD_HINT}"
        )
    try:
        chunks = ChunkTable(**json.loads((path / "chunks.json").read_text(encoding="utf-8")))
        index = dense.prepare(faiss.read_index(str(path / "vectors.faiss")), dense.HNSW_EF_SEARCH)
        lexical = LexicalIndex.load(path / "lexical")
        speller = Speller(counts=json.loads((path / "spelling.json").read_text(encoding="utf-8")))
        views = json.loads((path / "views.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexNotReady(f"De index in {path} is onleesbaar of beschadigd ({exc}). {REBUILD_HINT}") from exc
    if index.ntotal != len(chunks) or index.d != embedder.dimension:
        raise IndexNotReady(f"De index in {path} is onvolledig ({index.ntotal} vectoren, "
                            f"{len(chunks)} stukken tekst). {REBUILD_HINT}")
    return LoadedIndex(index=index, chunks=chunks, manifest=manifest, path=path, vectors=dense.stored_vectors(index),
                       lexical=lexical, speller=speller, views=views)


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
        vectors = dense.stored_vectors(index).copy()  # a copy: the view dies with the index
    except (OSError, ValueError, TypeError, RuntimeError):
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
    embedder = embedder or make_embedder(settings, purpose="build")
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
    index = dense.make_dense_index(vectors, settings.hnsw_min_chunks)
    faiss.write_index(index, str(tmp / "vectors.faiss"))
    _write_search_aids(tmp, chunks)
    (tmp / "chunks.json").write_text(
        json.dumps(ChunkTable.of(chunks).to_json(), ensure_ascii=False), encoding="utf-8")
    manifest = {
        "format": FORMAT_VERSION, "version": version, "model": model, "dimension": embedder.dimension,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "routewijzer": __version__,
        "chunks": len(chunks), "embedded": len(todo), "reused": len(chunks) - len(todo),
        "dense_index": dense.kind_of(index),
        "articles": {a.slug: a.last_reviewed.isoformat() for a in kb.articles},
        "hashes": hashes,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    for f in tmp.rglob("*"):
        if f.is_file():
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


def _write_search_aids(folder: Path, chunks: list[Chunk]) -> None:
    """What search would otherwise redo at every start: BM25, spelling words, phrasing words."""
    LexicalIndex.build(chunks).save(folder / "lexical")
    speller = Speller(c.text for c in chunks if c.kind != SENTENCE)
    (folder / "spelling.json").write_text(json.dumps(speller.counts, ensure_ascii=False), encoding="utf-8")
    views: dict[str, list[list[str]]] = {}
    for c in chunks:
        if c.kind == QUESTION:
            views.setdefault(c.key, []).append(sorted(question_tokens(c.text)))
    (folder / "views.json").write_text(json.dumps(views, ensure_ascii=False), encoding="utf-8")


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Remove older index versions and abandoned temp folders, keeping the current and previous."""
    for child in index_dir.iterdir():
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
