"""Shared wording: runs of RUN_WORDS or more words that a knowledge-base text copies from a seed document.

Facts carry over from the seeds, sentences do not. Names of laws, programmes and documents may be
shared word for word: listed in kb/shared_wording_allow.yaml, each counts as one word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from assistant.content.kb import KnowledgeBase
from assistant.content.problems import KBError, Problem, display_path, line_of, load_yaml, warning
from assistant.content.reader_text import reader_texts
from assistant.content.seeds import Seed, sentences, word_spans, words

RUN_WORDS = 8
ALLOW_FILE = "shared_wording_allow.yaml"
NEAR_MIN_WORDS = 8  # sentences this long or longer are compared
NEAR_WORDS = 0.8  # … near-verbatim when this share of their words is in one seed sentence,
NEAR_SEED = 0.6  # … that covers this share of the seed sentence,
NEAR_PAIRS = 0.6  # … with this share of their word pairs in the same order
def load_allowed(kb_dir: Path) -> list[tuple[str, ...]]:
    """Names that may be shared word for word (kb/shared_wording_allow.yaml), as word tuples, longest first."""
    path = kb_dir / ALLOW_FILE
    if not path.exists():
        return []
    data, lines = load_yaml(path)
    name = display_path(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise KBError([Problem(name, 1, "a list of names: '- phrase: …' with 'why: …'")])
    problems, phrases = [], []
    for i, entry in enumerate(data):
        phrase = entry.get("phrase") if isinstance(entry, dict) else None
        why = entry.get("why") if isinstance(entry, dict) else None
        if not isinstance(phrase, str) or len(words(phrase)) < 2:
            problems.append(Problem(name, line_of(lines, i), "'phrase' must be a name of two or more words"))
        elif not isinstance(why, str) or not why.strip():
            problems.append(Problem(name, line_of(lines, i), f"{phrase!r}: say in 'why' what name this is"))
        else:
            phrases.append(tuple(words(phrase)))
    if problems:
        raise KBError(problems)
    return sorted(set(phrases), key=len, reverse=True)


def _tokens(text: str, allowed: list[tuple[str, ...]]) -> list[tuple[str, int]]:
    """(word, offset) pairs; an allowed name becomes one word."""
    raw = word_spans(text)
    starts = {phrase[0] for phrase in allowed}
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(raw):
        for phrase in allowed if raw[i][0] in starts else ():
            if tuple(w for w, _ in raw[i:i + len(phrase)]) == phrase:
                out.append((" ".join(phrase), raw[i][1]))
                i += len(phrase)
                break
        else:
            out.append(raw[i])
            i += 1
    return out


class SeedRuns:
    """Every run of RUN_WORDS words in the seeds, to look up the runs a text shares with them."""

    def __init__(self, seeds: Iterable[Seed], allowed: list[tuple[str, ...]], run: int = RUN_WORDS):
        self.run, self.allowed = run, allowed
        self.grams: dict[tuple[str, ...], tuple[str, int]] = {}
        for seed in seeds:
            toks = _tokens(seed.text, allowed)
            for i in range(len(toks) - run + 1):
                gram = tuple(w for w, _ in toks[i:i + run])
                self.grams.setdefault(gram, (seed.name, seed.text.count("\n", 0, toks[i][1]) + 1))

    def shared(self, text: str) -> list[tuple[int, int, int, str, int]]:
        """Runs shared with a seed: (start offset, end offset, words, seed file, seed line), longest first."""
        toks = _tokens(text, self.allowed)
        runs: list[tuple[int, int, int, str, int]] = []
        i = 0
        while i <= len(toks) - self.run:
            where = self.grams.get(tuple(w for w, _ in toks[i:i + self.run]))
            if where is None:
                i += 1
                continue
            end = i + self.run
            while end < len(toks) and tuple(w for w, _ in toks[end - self.run + 1:end + 1]) in self.grams:
                end += 1
            last_word, last_at = toks[end - 1]
            runs.append((toks[i][1], last_at + len(last_word), end - i, *where))
            i = end
        return runs


def shared_wording_checks(kb: KnowledgeBase, kb_dir: Path, seeds: list[Seed],
                          allowed: list[tuple[str, ...]]) -> list[Problem]:
    """Runs of RUN_WORDS or more words copied from a seed into reader text: write the sentence anew."""
    runs = SeedRuns(seeds, allowed)
    problems = []
    for rt in reader_texts(kb, kb_dir):
        for start, end, n, seed, seed_line in runs.shared(rt.text):
            excerpt = " ".join(rt.text[start:end].split())
            excerpt = excerpt if len(excerpt) <= 80 else excerpt[:77] + "…"
            problems.append(Problem(rt.file, rt.line_at(start),
                                    f"{rt.what}: {n} words shared with {seed}:{seed_line}: {excerpt!r}"))
    return problems


def near_verbatim_checks(kb: KnowledgeBase, kb_dir: Path, seeds: list[Seed]) -> list[Problem]:
    """Warn on a sentence that is a seed sentence with its words shuffled or one or two swapped."""
    seed_sentences = []
    for seed in seeds:
        for n, sent in seed.sentences():
            sw = words(sent)
            if len(sw) >= NEAR_MIN_WORDS // 2:
                seed_sentences.append((seed.name, n, set(sw), Counter(sw), set(zip(sw, sw[1:], strict=False)),
                                       len(sw)))
    problems = []
    for rt in reader_texts(kb, kb_dir):
        if not rt.what.startswith(("section", "definition", "summary", "stand")):
            continue
        for offset, sent in sentences(rt.text):
            w = words(sent)
            if len(w) < NEAR_MIN_WORDS:
                continue
            distinct, mine, pairs = set(w), Counter(w), set(zip(w, w[1:], strict=False))
            for name, n, their_words, theirs, their_pairs, size in seed_sentences:
                if len(distinct & their_words) < NEAR_WORDS * len(distinct):  # cheap test first
                    continue
                common = sum((mine & theirs).values())
                if (common >= NEAR_WORDS * len(w) and common >= NEAR_SEED * size
                        and len(pairs & their_pairs) >= NEAR_PAIRS * len(pairs)):
                    problems.append(warning(rt.file, rt.line_at(offset),
                                            f"{rt.what}: near-verbatim copy of {name}:{n}: write it anew"))
                    break
    return problems


