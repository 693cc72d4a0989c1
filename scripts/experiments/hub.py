# ruff: noqa: E402, E702, E501  (one-off experiments, kept to re-run the figures in docs/evaluation.md)
"""Experiment: hubness correction of unit cosines (and optionally section evidence).
usage: hub.py BETA K [SECTION_BETA]   (runs blind3 all and blind dev)"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "scripts"), ROOT]
from pathlib import Path

import numpy as np
from tuning_harness import CachedQueries

from assistant.engine import Routewijzer
from assistant.quality.blind import load_blind_set, score
from assistant.search import retrieval as R
from assistant.search.embedder import make_embedder
from assistant.settings import Settings

beta, K = float(sys.argv[1]), int(sys.argv[2])
s = Settings(); emb = CachedQueries(make_embedder(s, "batch")); rw = Routewijzer.load(s, embedder=emb)
ret = rw.retriever
t = ret.loaded.chunks
views = [x for x, k in zip(t.texts, t.kinds, strict=False) if k == "question"]
bg = emb.embed_queries(views)  # background queries: the kb's own question views
V = ret._vectors
sims = V @ bg.T
top = np.sort(sims, axis=1)[:, -K:].mean(axis=1)
hub = {t.texts[i]: float(top[i]) for i in range(len(t)) if t.kinds[i] == "sentence"}
orig = R.Retriever.search
def search(self, *a, **kw):
    r = orig(self, *a, **kw)
    for _key, us in r.unit_sims.items():
        for u in us:
            us[u] = us[u] - beta * (hub.get(u, 0.0) - 0.85)
    return r
R.Retriever.search = search
for folder, part in (("tests/eval/blind3", "all"), ("tests/eval/blind", "dev")):
    b = load_blind_set(Path(folder)); b = b if part == "all" else b.part(part)
    rep = score(lambda q, c: rw.ask(q, c), b); rep.pop("failures")
    print(folder, part, beta, K, {k: rep[k] for k in ("answer_states_facts", "facts_in_cited_passages", "followups_right", "out_of_scope_handled", "answer_words_median")})
emb.close()
