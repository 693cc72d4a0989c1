# ruff: noqa: E402, E701, E702, E501, B007, B023  (one-off experiments, kept to re-run the figures in docs/evaluation.md)
"""Experiment: the dense query spells out glossary abbreviations ("DLR" -> "doorlopende leerroute (DLR)")."""
import os
import re
import sys

sys.path[:0] = [os.path.join(os.getcwd(), "scripts"), os.getcwd()]
from pathlib import Path

from tuning_harness import CachedQueries

from assistant.engine import Routewijzer
from assistant.quality.blind import load_blind_set, score
from assistant.search.asks import later_asks
from assistant.search.embedder import make_embedder
from assistant.search.lexical import fold
from assistant.settings import Settings

mode = sys.argv[1]  # off | inline | append
s = Settings(); emb = CachedQueries(make_embedder(s, "batch")); rw = Routewijzer.load(s, embedder=emb)
pats = []
for t in rw.kb.glossary:
    for a in t.abbreviations:
        pats.append((re.compile(r"(?<![a-z0-9])" + re.escape(a.lower()) + r"(?![a-z0-9])", re.I), t.term, a))
def spell(q):
    if mode == "off": return q
    out, extra = q, []
    for p, term, a in pats:
        if p.search(q) and fold(term) not in fold(q):
            if mode == "inline":
                out = p.sub(lambda m: f"{term} ({m.group(0)})", out, count=1)
            else:
                extra.append(term)
    return out + (" (" + ", ".join(extra) + ")" if extra else "")
def ask(question, context=None):
    cleaned, query = rw._query(question, context)
    asks = later_asks(query.text)
    vectors = emb.embed_queries([spell(query.text), *asks])
    retrieval = rw.retriever.search(query.text, focus=query.focus, vector=vectors[0])
    return rw._compose(cleaned, query, retrieval, vectors[1:])
for folder, part in (("tests/eval/blind3", "all"), ("tests/eval/blind", "dev")):
    b = load_blind_set(Path(folder)); b = b if part == "all" else b.part(part)
    rep = score(lambda q, c: ask(q, c), b); rep.pop("failures")
    print(folder, part, mode, {k: rep[k] for k in ("answer_states_facts", "facts_in_cited_passages", "followups_right", "out_of_scope_handled", "answer_words_median")})
from assistant.quality.evaluation import EVAL_DIR, load_eval_set

team, _ = load_eval_set(EVAL_DIR)
hit = 0
for q in team:
    a = ask(q.question)
    hit += bool(a.citations) and (a.citations[0].article + "#" + a.citations[0].anchor) in q.expect
print("team hit@1 (answer's first citation)", hit, len(team))
emb.close()
