"""The dense half of the index: exact FAISS search while the knowledge base is small, HNSW above."""

from __future__ import annotations

import faiss
import numpy as np

# Below this many chunks an exact (flat) search over every vector is cheaper than a graph and exact
# by definition; above it HNSW keeps a question's cost flat as the knowledge base grows. Recall of
# HNSW against the exact search is measured by `bench --scale` (docs/benchmark.md).
HNSW_MIN_CHUNKS = 20_000
HNSW_M = 32  # graph neighbours per vector
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 256  # candidates looked at per question; at least the k asked for


def make_dense_index(vectors: np.ndarray, hnsw_min_chunks: int = HNSW_MIN_CHUNKS) -> faiss.Index:
    """An inner-product index over L2-normalised vectors: flat below `hnsw_min_chunks`, HNSW above."""
    dimension = vectors.shape[1]
    if len(vectors) < hnsw_min_chunks:
        index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def kind_of(index: faiss.Index) -> str:
    """'flat' or 'hnsw', for the manifest and the benchmark."""
    return "hnsw" if isinstance(faiss.downcast_index(index), faiss.IndexHNSW) else "flat"


def stored_vectors(index: faiss.Index) -> np.ndarray:
    """The index's own vectors as a read-only numpy view: no copy, unlike `reconstruct_n`.

    The view is valid only while `index` lives: keep the index alongside it.
    """
    index = faiss.downcast_index(index)
    flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    if not isinstance(flat, faiss.IndexFlat):
        raise TypeError(f"unsupported FAISS index {type(index).__name__}")
    if flat.ntotal == 0:
        return np.zeros((0, flat.d), dtype=np.float32)
    view = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
    view.flags.writeable = False
    return view


def prepare(index: faiss.Index, k: int) -> faiss.Index:
    """The index ready to search k candidates per question (HNSW looks at no fewer than k).

    Returns the index given: a `downcast_index` proxy does not own the index, so only the
    original object may be kept.
    """
    hnsw = faiss.downcast_index(index)
    if isinstance(hnsw, faiss.IndexHNSW):
        hnsw.hnsw.efSearch = max(HNSW_EF_SEARCH, k)
    return index


def search(index: faiss.Index, vector: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k nearest vectors (fewer when the index is smaller), best first."""
    _, ids = index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), min(k, index.ntotal))
    return ids[0][ids[0] >= 0]
