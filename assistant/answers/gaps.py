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
from dataclasses import dataclass

from assistant.search.lexical import fold

_NUMBER_WORDS = (r"(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|"
                 r"honderd|duizend)")
_MONTHS = r"(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"


@dataclass(frozen=True)
class Ask:
    """One kind of specific ask: how to recognise it, what evidence answers it, how to name it."""

    name: str  # what the knowledge base does not name, as in "De kennisbank noemt geen <name>"
    question: re.Pattern
    evidence: re.Pattern


ASKS = (
    Ask("bedrag", re.compile(r"\b(hoeveel (geld|euro|kost\w*|subsidie|bekostiging|vergoed\w*|betal\w*)|bedrag\w*|"
                             r"wat kost\w*|kost (het|dat|een)|kosten|prijs|tarief|euro|vergoeding per)\b|€"),
        re.compile(r"€|\beuro\b")),
    Ask("contactgegevens", re.compile(r"\b(telefoonnummer|telefoon|telnr|tel nr|bellen|(e ?)?mailadres|contactpersoon|"
                                      r"contactgegevens|aanspreekpunt)\b"),
        re.compile(r"@|\b0\d{1,3}[ -]?\d{6,8}\b|\bwww\.|\.nl\b")),
    Ask("datum", re.compile(r"\b(volgende \w*(bijeenkomst|webinar|conferentie|keer|editie)|welke datum|datum|deadline|"
                            r"tot wanneer|sinds wanneer|vanaf wanneer|per wanneer|in welk jaar|welk jaar)\b"),
        re.compile(r"\b\d{4}\b|\b\d{1,2} " + _MONTHS + r"\b|\bschooljaar\b")),
    Ask("duur", re.compile(r"\bhoe lang (duurt|duren|moet|mag|kan)\b"),
        re.compile(r"\b(\d+|" + _NUMBER_WORDS + r"|een|één) (dag|dagen|week|weken|maand|maanden|jaar|jaren|uur)\b")),
    Ask("aantal", re.compile(r"\b(hoeveel|aantal|hoe veel|minimum|minimaal|maximaal|maximum)\b"),
        re.compile(r"\d|\b" + _NUMBER_WORDS + r"\b|\b(alle|geen|elke|iedere)\b")),
)
# A section that says its own source leaves something out ("De bron noemt geen bedragen").
SOURCE_SILENT = re.compile(r"\b(noemt|noemen|geeft|geven|zegt|zeggen|beschrijft|beschrijven|vermeldt)\b[^.]{0,40}"
                           r"\b(geen|niet)\b|\bstaat niet in\b|\bniet (bekend|vermeld)\b")


def asked(question: str) -> Ask | None:
    """The specific ask of a question, if it has one (the first that matches, in ASKS order)."""
    folded = fold(question)
    return next((a for a in ASKS if a.question.search(folded)), None)


_COUNTED = re.compile(r"\b(?:hoeveel|aantal)\s+(\w+)(?:\s+(\w+))?")


def _counted_evidence(question: str) -> re.Pattern | None:
    """For "hoeveel uur …" or "aantal leerlingen": a number close before the counted word(s)."""
    m = _COUNTED.search(fold(question))
    if m is None:
        return None
    nouns = [w[:5] for w in m.groups() if w and len(w) > 2]
    if not nouns:
        return None
    return re.compile(r"(\d+|\b" + _NUMBER_WORDS + r")(\s+\w+){0,2}?\s+(" + "|".join(map(re.escape, nouns)) + r")")


def missing(question: str, passage: str, best_unit: str) -> str | None:
    """What the knowledge base does not say for this question, or None when the section answers it."""
    ask = asked(question)
    if ask is None:
        return None
    evidence = (_counted_evidence(question) if ask.name == "aantal" else None) or ask.evidence
    if SOURCE_SILENT.search(fold(best_unit)) or not evidence.search(fold(passage)):
        return ask.name
    return None


def not_in_kb_text(name: str, answer: str) -> str:
    """The answer for an ask the knowledge base cannot answer: say so first, then what it does say."""
    return f"De kennisbank noemt geen {name} hierover. Wat er wel in staat:\n\n{answer}"
