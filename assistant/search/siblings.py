"""Sibling terms: a phrasing that names another term of the question's glossary group asks another question.

"een jongere is aangemeld voor de vo-fase … wie krijgt de bekostiging?" matched the phrasing "wie
krijgt de bekostiging als een leerling in de mbo-fase op de vo-school les heeft" almost as well as the
right one: the embedding hardly tells 'vo-fase' from 'mbo-fase'. The glossary does: both are terms of
the group 'fase'. A question view (heading or phrasing) that names a term of a group the question names,
but not the question's own term of that group, counts a little less (`PENALTY`), unless the question
has a word of that sibling's names all the same ("… een doorlopende leerroute leiden en een geïntegreerde?";
school types do not count: 'mbo' hints at no 'mbo-fase').

The group 'school' (vo, vmbo, mbo, roc) is left out: questions name school types in passing ("op het
roc", "het vmbo en het mbo"), and counting those cost as many questions as it won (docs/evaluation.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from assistant.content.glossary import Term
from assistant.search.lexical import fold, tokenize

PENALTY = 0.06  # off the cosine of a sibling's question view; 0.06 to 1.0 ranked the same on tuning data
IGNORED_GROUPS = frozenset({"school"})

Named = dict[str, frozenset[str]]  # glossary group → the terms of it a text names


class Asked:
    """What a question names: grouped terms, and all its words (stemmed)."""

    def __init__(self, named: Named, words: frozenset[str]):
        self.named, self.words = named, words

    def __bool__(self) -> bool:
        return bool(self.named)


class Siblings:
    """Finds the question views that name a sibling of a term the question names."""

    def __init__(self, glossary: list[Term], texts: Sequence[str]):
        grouped = [t for t in glossary if t.group is not None and t.group not in IGNORED_GROUPS]
        self._term_of = {fold(n): t for t in grouped for n in t.names if len(n) >= 2}
        names = sorted(self._term_of, key=len, reverse=True)  # the longest name wins where names overlap
        self._pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, names)) + r")(?![a-z0-9])")
        # The words of each term's names, without school types ('mbo' of 'mbo-fase' hints at nothing).
        generic = frozenset(tokenize(" ".join(n for t in glossary if t.group in IGNORED_GROUPS for n in t.names)))
        self._words = {t.term: frozenset(tokenize(" ".join(t.names))) - generic for t in glossary}
        self._members: dict[str, list[str]] = {}
        for term in grouped:
            self._members.setdefault(term.group, []).append(term.term)
        self._bit = {t: 1 << i for terms in self._members.values() for i, t in enumerate(terms)}
        self._texts = texts  # every chunk's text, by chunk position
        # Per group, per chunk: a bit for each of the group's terms the chunk names; filled as questions reach it.
        self._bits = {group: np.zeros(len(texts), dtype=np.int64) for group in self._members}
        self._seen = np.zeros(len(texts), dtype=bool)

    def asked(self, question: str) -> Asked:
        """The grouped terms and the words of a question."""
        return Asked(self.named(question), frozenset(tokenize(question)))

    def named(self, text: str) -> Named:
        """The grouped terms a text names, by group (ignored groups left out)."""
        out: dict[str, set[str]] = {}
        for match in self._pattern.finditer(fold(text)):
            term = self._term_of[match.group()]
            out.setdefault(term.group, set()).add(term.term)
        return {group: frozenset(terms) for group, terms in out.items()}

    def _fill(self, positions: np.ndarray) -> None:
        for position in positions[~self._seen[positions]]:
            for group, terms in self.named(self._texts[position]).items():
                self._bits[group][position] = sum(self._bit[t] for t in terms)
        self._seen[positions] = True

    def penalties(self, asked: Asked, positions: np.ndarray) -> np.ndarray:
        """PENALTY for each chunk that names a term of a group the question names, but none of the
        question's own terms of that group and none the question hints at with a word of its names."""
        if not asked:
            return np.zeros(len(positions))
        self._fill(positions)
        sibling = np.zeros(len(positions), dtype=bool)
        for group, terms in asked.named.items():
            own = sum(self._bit[t] for t in terms)
            own_words = frozenset().union(*(self._words[t] for t in terms))
            hinted = sum(self._bit[t] for t in self._members[group]
                         if t not in terms and (self._words[t] - own_words) & asked.words)
            bits = self._bits[group][positions]
            sibling |= (bits != 0) & (bits & own == 0) & (bits & hinted == 0)
        return np.where(sibling, PENALTY, 0.0)
