# ruff: noqa: E402, E702, E501  (one-off experiments, kept to re-run the figures in docs/evaluation.md)
"""Experiment: learned fusion (pairwise logistic) over the retriever's evidence; CV across sets."""
import os
import pickle
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "scripts"), ROOT]
from pathlib import Path

import numpy as np
import rank_variants as RV
from sklearn.linear_model import LogisticRegression
from tuning_harness import CachedQueries

from assistant.engine import Routewijzer
from assistant.search.embedder import make_embedder
from assistant.settings import Settings

cache = Path("/tmp/ltr_items.pkl")
if cache.exists():
    items = pickle.loads(cache.read_bytes())
else:
    s = Settings(); emb = CachedQueries(make_embedder(s, "batch")); rw = Routewijzer.load(s, embedder=emb)
    items = RV.collect(rw); emb.close()
    for it in items:
        for h in it["hits"]:
            h["u2"] = RV.top_mean(h, 2, 2); h["p2"] = RV.top_mean(h, 1, 2); h.pop("rows"); h.pop("sims"); h.pop("kinds")
        it["idfcov"] = [RV.idf_coverage(it, i) for i in range(len(it["hits"]))]
        it["rare"] = [RV.rare_words(it, i) for i in range(len(it["hits"]))]
        it.pop("held"); it.pop("vec")
    cache.write_bytes(pickle.dumps(items))
N = 20
def feats(it, i):
    h = it["hits"][i]
    return [h["p"], h["q"], h["s"], h["bm25"], h["view"], h["cov"], h["u2"], h["p2"], it["idfcov"][i], it["rare"][i]]
def pairs(its):
    X, y = [], []
    for it in its:
        hs = it["hits"][:N]
        pos = [i for i, h in enumerate(hs) if h["key"] in it["right"]]
        neg = [i for i, h in enumerate(hs) if h["key"] not in it["right"]]
        for a in pos:
            for b in neg:
                d = np.array(feats(it, a)) - np.array(feats(it, b))
                X.append(d); y.append(1); X.append(-d); y.append(0)
    return np.array(X), np.array(y)
def first_right(its, w):
    ok = 0
    for it in its:
        hs = it["hits"][:N]
        sc = [np.dot(w, feats(it, i)) for i in range(len(hs))]
        ok += hs[int(np.argmax(sc))]["key"] in it["right"]
    return ok, len(its)
sets = {n: [it for it in items if it["set"] == n] for n in ("blind3", "dev", "team")}
base = np.array([1, 1, 0, 0.05, 0.05, 0, 0, 0, 0, 0])
for n, its in sets.items():
    print("shipped-ish", n, first_right(its, base), "shipped exact", sum(it["hits"][0]["key"] in it["right"] for it in its))
for C in (0.01, 0.1, 1.0):
    for train in (["blind3"], ["dev"], ["blind3", "dev"], ["blind3", "dev", "team"]):
        X, y = pairs([it for n in train for it in sets[n]])
        m = LogisticRegression(C=C, fit_intercept=False, max_iter=2000).fit(X, y)
        w = m.coef_[0]
        print(C, "train", train, {n: first_right(its, w) for n, its in sets.items()}, np.round(w / w[0], 2))
