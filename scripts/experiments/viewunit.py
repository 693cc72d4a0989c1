# ruff: noqa: E402, E702, E501  (one-off experiments, kept to re-run the figures in docs/evaluation.md)
"""Experiment: the top section's best-matching phrasing picks a unit (phrasing -> unit cosine).
usage: viewunit.py MODE MINSIM [GAMMA]   MODE: ask (add as ask unit) | mix (unit sims + gamma*cos(view,u))"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "scripts"), ROOT]
from pathlib import Path

from tuning_harness import CachedQueries

from assistant.answers.compose import compose
from assistant.engine import Routewijzer
from assistant.quality.blind import load_blind_set, score
from assistant.search.embedder import make_embedder
from assistant.settings import Settings

mode, minsim = sys.argv[1], float(sys.argv[2]); gamma = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
s = Settings(); emb = CachedQueries(make_embedder(s, "batch")); rw = Routewijzer.load(s, embedder=emb)
ret = rw.retriever; t = ret.loaded.chunks; V = ret._vectors
stats = {"used": 0}
def _compose(self, cleaned, query, retrieval, ask_vectors):
    units = ret.best_units(retrieval.hits[0].key, ask_vectors) if retrieval.hits and len(ask_vectors) else []
    if retrieval.hits and retrieval.query_vector is not None:
        key = retrieval.hits[0].key
        rows = ret._chunks_of[key]
        views = [i for i in rows if ret._kind[i] == 1]
        unitrows = [i for i in rows if ret._kind[i] == 2]
        if views and unitrows:
            vs = V[views] @ retrieval.query_vector
            j = int(vs.argmax())
            if vs[j] >= minsim:
                us = V[unitrows] @ V[views[j]]
                if mode == "ask":
                    u = t.texts[unitrows[int(us.argmax())]]
                    if u not in units:
                        units = [*units, u]; stats["used"] += 1
                else:
                    sims = retrieval.unit_sims.get(key, {})
                    for r, x in zip(unitrows, us, strict=False):
                        if t.texts[r] in sims:
                            sims[t.texts[r]] += gamma * (float(x) - 0.85)
                    stats["used"] += 1
    return compose(cleaned, retrieval, self.kb, self.weights, query.text, today=self.clock(), ask_units=units)
Routewijzer._compose = _compose
for folder, part in (("tests/eval/blind3", "all"), ("tests/eval/blind", "dev")):
    stats["used"] = 0
    b = load_blind_set(Path(folder)); b = b if part == "all" else b.part(part)
    rep = score(lambda q, c: rw.ask(q, c), b); rep.pop("failures")
    print(folder, part, sys.argv[1:], stats, {k: rep[k] for k in ("answer_states_facts", "facts_in_cited_passages", "followups_right", "out_of_scope_handled", "answer_words_median", "answer_words_p90")})
emb.close()
