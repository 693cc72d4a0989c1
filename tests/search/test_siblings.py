"""Sibling terms: a question view naming another term of the question's glossary group counts less."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.search.siblings import PENALTY, Siblings

VIEWS = [
    "Wie krijgt de bekostiging als de leerling in de mbo-fase zit?",  # 0: names the sibling of vo-fase
    "Wat is het verschil tussen de vo-fase en de mbo-fase?",  # 1: names both
    "Wie krijgt de bekostiging als de leerling op het mbo les heeft?",  # 2: a school type only
    "Wat is een geïntegreerde leerroute?",  # 3: a route
]


def _penalties(kb, question: str) -> list[float]:
    siblings = Siblings(kb.glossary, VIEWS)
    return siblings.penalties(siblings.asked(question), np.arange(len(VIEWS))).tolist()


def test_a_view_naming_a_sibling_term_counts_less(kb) -> None:
    got = _penalties(kb, "een jongere is aangemeld voor de vo-fase, wie krijgt de bekostiging?")
    assert got == [PENALTY, 0.0, 0.0, 0.0]
    assert _penalties(kb, "wie krijgt de bekostiging in de mbo-fase?") == [0.0] * 4  # its own term


def test_no_penalty_without_a_term_of_the_group(kb) -> None:
    assert _penalties(kb, "wie krijgt de bekostiging?") == [0.0] * 4
    # school types are named in passing: 'het vmbo' makes no view about 'het mbo' a sibling
    assert _penalties(kb, "mag het vmbo de lessen geven?") == [0.0] * 4


def test_a_word_of_the_siblings_names_excuses_it(kb) -> None:
    dlr = "naar welke niveaus leidt een doorlopende leerroute"
    assert _penalties(kb, f"{dlr}?")[3] == PENALTY
    assert _penalties(kb, f"{dlr}, en een geïntegreerde?")[3] == 0.0  # a follow-up read with its question


def test_search_lowers_only_the_sibling_views(fake_routewijzer) -> None:
    retriever = fake_routewijzer.retriever
    question = "wie krijgt de bekostiging van een leerling in de vo-fase"
    vector = retriever.embedder.embed_queries([question])[0]
    chunks = retriever.loaded.chunks
    key = next(k for k, kind, text in zip(chunks.keys, chunks.kinds, chunks.texts, strict=True)
               if kind == "question" and "mbo-fase" in text.lower() and "vo-fase" not in text.lower())
    plain, rows, _ = retriever._dense_evidence([key], vector)
    asked, _, _ = retriever._dense_evidence([key], vector, retriever.siblings.asked(question))
    sims = retriever._vectors[rows] @ vector
    views = [i for i, r in enumerate(rows) if chunks.kinds[r] == "question"]
    lowered = [sims[i] - (PENALTY if "mbo-fase" in chunks.texts[rows[i]].lower()
                          and "vo-fase" not in chunks.texts[rows[i]].lower() else 0.0) for i in views]
    assert asked[1, 0] == pytest.approx(max(lowered))
    assert asked[0, 0] == plain[0, 0] and asked[2, 0] == plain[2, 0]  # passage and answer units untouched
