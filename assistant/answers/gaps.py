"""Asks the knowledge base cannot answer even when it knows the topic: an amount, a count, a date.

A question like "hoeveel geld krijgt een school per DLR-leerling?" finds the bekostiging section,
which says who gets the money but names no amount. Answering with that section at full confidence
misleads; Routewijzer says plainly that the knowledge base names no amount and shows what it does say.
An ask is recognised from the question's wording; it counts as answered when the cited section holds
the kind of fact asked for (a euro amount, a number, a date, contact details) and does not itself
say that its source leaves it out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.content.text import split_sentences
from assistant.search.asks import NUMBER_WORDS, asked
from assistant.search.lexical import fold

# A section that says something is not known: in reader words ("Een bedrag is niet bekend", docs/kb-format.md)
# or, in older text, as a note about its source ("De bron noemt geen bedragen").
SOURCE_SILENT = re.compile(r"\b(noemt|noemen|geeft|geven|zegt|zeggen|beschrijft|beschrijven|vermeldt)\b[^.]{0,40}"
                           r"\b(geen|niet)\b|\bstaat niet in\b|\bniet (bekend|vermeld)\b|\bonbekend\b|"
                           r"\bgeen\b[^.]{0,30}\bbekend\b")


_COUNTED = re.compile(r"\b(?:hoeveel|aantal)\s+(\w+)(?:\s+(\w+))?")


def _counted_evidence(question: str) -> re.Pattern | None:
    """For "hoeveel uur …" or "aantal leerlingen": a number close before the counted word(s)."""
    m = _COUNTED.search(fold(question))
    if m is None:
        return None
    nouns = [w[:5] for w in m.groups() if w and len(w) > 2]
    if not nouns:
        return None
    return re.compile(r"(\d+|\b" + NUMBER_WORDS + r")(\s+\w+){0,2}?\s+(" + "|".join(map(re.escape, nouns)) + r")")


def missing(question: str, passage: str, best_unit: str, close_units: Sequence[str] = ()) -> str | None:
    """What the knowledge base does not say for this question, or None when the section answers it.

    `close_units`: other sentences of the section that fit the question nearly as well as the best one;
    one that says the knowledge base does not name this kind of fact ("Of en wanneer dit is ingevoerd,
    beschrijft deze kennisbank niet") counts as the answer."""
    ask = asked(question)
    if ask is None:
        return None
    evidence = (_counted_evidence(question) if ask.name == "aantal" else None) or ask.evidence
    if SOURCE_SILENT.search(fold(best_unit)) or not evidence.search(fold(passage)):
        return ask.name
    if any(SOURCE_SILENT.search(fold(u)) and ask.about.search(fold(u)) for u in close_units):
        return ask.name
    if ask.silent_anywhere and any(SOURCE_SILENT.search(s) and ask.about.search(s)
                                   for s in map(fold, split_sentences(passage))):
        return ask.name
    return None


def not_in_kb_text(name: str, answer: str) -> str:
    """The answer for an ask the knowledge base cannot answer: say so first, then what it does say."""
    return f"De kennisbank noemt geen {name} hierover. Wat er wel in staat:\n\n{answer}"
