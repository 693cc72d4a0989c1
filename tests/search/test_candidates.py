"""Candidate-only retrieval: same ranking as scoring every section, HNSW above a size, light loading."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.quality.evaluation import EVAL_DIR, load_eval_set
from assistant.search import dense
from assistant.search.embedder import FakeEmbedder
from assistant.search.index import CURRENT, FORMAT_VERSION, IndexNotReady, build_index, load_index
from assistant.search.lexical import question_tokens, tokenize
from assistant.search.retrieval import W_BM25, W_PASSAGE, W_QUESTION, W_VIEW, Retriever
from assistant.settings import Settings


def _full_scores(retriever: Retriever, question: str) -> dict[str, float]:
    """The fused score of EVERY section, computed the slow way (the reference)."""
    loaded = retriever.loaded
    vector = retriever.embedder.embed_queries([question])[0]
    sims = loaded.vectors @ vector
    # a question view naming a sibling of the question's glossary term counts less (search/siblings.py)
    sibling = retriever.siblings.penalties(retriever.siblings.asked(question), np.arange(len(loaded.chunks)))
    best: dict[str, list[float]] = {}
    for i, c in enumerate(loaded.chunks):
        slot = {"passage": 0, "sentence": 2}.get(c.kind, 1)
        row = best.setdefault(c.key, [-np.inf, -np.inf, -np.inf])
        row[slot] = max(row[slot], float(sims[i]) - (float(sibling[i]) if slot == 1 else 0.0))
    lexical = retriever.lexical.search(tokenize(retriever.expander.expand(question)), k=10**6)
    top = lexical[0][1] if lexical else 1.0
    bm25 = {k: s / top for k, s in lexical}
    asked = question_tokens(question)
    out = {}
    for key, (p, q, _) in best.items():
        views = [set(w) for w in loaded.views.get(key, ())]
        overlap = max((len(asked & w) / len(asked | w) for w in views), default=0.0) \
            if asked else 0.0
        out[key] = (W_PASSAGE * (0.0 if np.isinf(p) else p) + W_QUESTION * (0.0 if np.isinf(q) else q)
                    + W_VIEW * overlap + W_BM25 * bm25.get(key, 0.0))
    return out


def test_candidates_rank_like_scoring_every_section(fake_routewijzer) -> None:
    retriever = fake_routewijzer.retriever
    in_scope, out_of_scope = load_eval_set(EVAL_DIR)
    questions = [q.question for q in in_scope[:60]] + out_of_scope[:10]
    for question in questions:
        got = retriever.search(question)
        full = _full_scores(retriever, question)
        want = sorted(full, key=lambda k: -full[k])[:8]
        assert [h.key for h in got.hits] == want, question
        for h in got.hits:
            assert h.score == pytest.approx(full[h.key], abs=1e-5)


def _build(tmp_path: Path, **extra) -> Settings:
    settings = Settings(embedder="fake", index_dir=tmp_path / "index", **extra)
    build_index(settings)
    return settings


def test_hnsw_above_the_size_gives_the_same_answers(tmp_path: Path, fake_routewijzer) -> None:
    settings = _build(tmp_path, hnsw_min_chunks=10)
    loaded = load_index(settings, FakeEmbedder())
    assert loaded.manifest["dense_index"] == "hnsw"
    assert isinstance(faiss.downcast_index(loaded.index), faiss.IndexHNSW)
    hnsw = Retriever(loaded, FakeEmbedder(), fake_routewijzer.kb.glossary)
    in_scope, _ = load_eval_set(EVAL_DIR)
    same = sum(hnsw.search(q.question).hits[0].key == fake_routewijzer.retriever.search(q.question).hits[0].key
               for q in in_scope[:50])
    assert same >= 49  # HNSW is approximate; on a kb this small it should (almost) never differ


def test_flat_below_the_size(fake_routewijzer) -> None:
    assert fake_routewijzer.retriever.loaded.manifest["dense_index"] == "flat"


def test_stored_vectors_are_a_view_not_a_copy() -> None:
    vectors = np.random.default_rng(0).random((50, 16), dtype=np.float32)
    for index in (dense.make_dense_index(vectors), dense.make_dense_index(vectors, hnsw_min_chunks=10)):
        view = dense.stored_vectors(index)
        np.testing.assert_array_equal(view, vectors)
        assert not view.flags.owndata and not view.flags.writeable


def test_load_and_search_never_reconstruct(fake_index_dir: Path, fake_routewijzer, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("reconstruct_n copies every vector")

    monkeypatch.setattr(faiss.Index, "reconstruct_n", refuse)
    monkeypatch.setattr(faiss.IndexFlat, "reconstruct_n", refuse, raising=False)
    loaded = load_index(Settings(embedder="fake", index_dir=fake_index_dir), FakeEmbedder())
    retriever = Retriever(loaded, FakeEmbedder(), fake_routewijzer.kb.glossary)
    assert retriever.search("Wat is een praktijkverklaring?").hits


def test_old_index_format_asks_for_a_rebuild_in_dutch(tmp_path: Path) -> None:
    settings = _build(tmp_path)
    folder = settings.index_dir / (settings.index_dir / CURRENT).read_text().strip()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["format"] = FORMAT_VERSION - 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexNotReady, match=r"andere versie van Routewijzer.*python -m assistant index build"):
        load_index(settings, FakeEmbedder())


def test_missing_lexical_part_is_refused(tmp_path: Path) -> None:
    settings = _build(tmp_path)
    folder = settings.index_dir / (settings.index_dir / CURRENT).read_text().strip()
    (folder / "lexical" / "keys.json").unlink()
    with pytest.raises(IndexNotReady, match="onleesbaar of beschadigd"):
        load_index(settings, FakeEmbedder())


def test_rebuild_after_format_change_reuses_vectors(tmp_path: Path) -> None:
    settings = _build(tmp_path)
    folder = settings.index_dir / (settings.index_dir / CURRENT).read_text().strip()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["format"] = FORMAT_VERSION - 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    report = build_index(settings)
    assert "built" in report and "(0 embedded" in report
    assert load_index(settings, FakeEmbedder()).manifest["format"] == FORMAT_VERSION


def test_sections_group_chunks_side_by_side_or_not() -> None:
    from assistant.search.retrieval import _sections

    side_by_side = _sections(["a", "a", "b", "c", "c"])
    assert {k: v.tolist() for k, v in side_by_side.items()} == {"a": [0, 1], "b": [2], "c": [3, 4]}
    mixed = _sections(["a", "b", "a"])
    assert {k: v.tolist() for k, v in mixed.items()} == {"a": [0, 2], "b": [1]}
    assert _sections([]) == {}
