"""Spelling variants of knowledge-base words: "geintegeerde", "doorlopnede", "praktijkverklaing".

People type fast; a typo in a key word makes it unknown to BM25 and blurs the embedding, and the
question then looks out of scope. Each word of a question that the knowledge base does not use
is replaced by the most frequent knowledge-base word one edit away (a letter left out, added,
changed, or two letters swapped), found through an index of single-letter deletions; an unknown
compound made of two known words is split ("leerwegtraject" → "leerweg traject").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from assistant.search.lexical import fold

_WORD = re.compile(r"[a-z0-9]+")
MIN_LENGTH = 7  # shorter words have too many neighbours one edit away ("morgen", "mogen")
MIN_PART = 4  # "leerwegtraject" splits into known words of at least this length: "leerweg traject"


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """True when b is one insertion, deletion, substitution or adjacent swap away from a."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Speller:
    """Corrects words a question uses that the knowledge base does not, when one edit fixes them."""

    def __init__(self, texts: Iterable[str] = (), counts: Mapping[str, int] | None = None):
        self.counts: Counter[str] = Counter(counts or {})
        for text in texts:
            self.counts.update(w for w in _WORD.findall(fold(text)) if len(w) >= MIN_PART)
        self._stems: dict[str, bool] = {}
        self._index: dict[str, list[str]] = {}
        for word in self.counts:
            for key in _deletes(word) | {word}:
                self._index.setdefault(key, []).append(word)

    def correct_word(self, word: str) -> str:
        """The word itself when known or too short, else the most frequent known word one edit away."""
        if len(word) < MIN_LENGTH or word in self.counts or word.isdigit():
            return word
        candidates = {c for key in _deletes(word) | {word} for c in self._index.get(key, ())}
        candidates = [c for c in candidates if len(c) >= MIN_LENGTH - 1 and _one_edit(word, c)]
        if candidates:
            return max(candidates, key=lambda c: (self.counts[c], c))
        splits = [(word[:i], word[i:]) for i in range(MIN_PART, len(word) - MIN_PART + 1)
                  if word[:i] in self.counts and self._known_stem(word[i:])]
        if splits:
            a, b = max(splits, key=lambda s: (self.counts[s[0]], len(s[0])))
            return f"{a} {b}"
        return word

    def _known_stem(self, part: str) -> bool:
        """A known word, or the stem of one ("traject" of "trajecten")."""
        if part in self.counts:
            return True
        if part not in self._stems:
            self._stems[part] = len(part) >= MIN_PART + 1 and any(w.startswith(part) for w in self.counts)
        return self._stems[part]

    def correct(self, text: str) -> str:
        """The text with misspelled words replaced; unchanged (accents and case kept) when none is."""
        folded = fold(text)
        corrected = _WORD.sub(lambda m: self.correct_word(m.group(0)), folded)
        return text if corrected == folded else corrected
