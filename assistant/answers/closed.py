"""Closed questions: whether a section's opening "Ja."/"Nee." answers the question asked.

A section whose heading is a yes/no question opens with its answer ("Nee, 15 oktober is geen harde
einddatum …"). That yes or no answers the heading; a question with another premise, the opposite
direction or an open ask ("wat/wie/waar …") that lands on the section does not get it
(tests/eval/yesno/: wrong openings on the test half 0.134 → 0.03, docs/evaluation.md "sixth pass").
"""

from __future__ import annotations

import re

from assistant.search.lexical import fold

YES_NO_HEADING_MIN = 0.945  # a section's opening "Ja."/"Nee." is kept for a question this close to its heading …
YES_NO_SAME_VERB_MIN = 0.89  # … or this close when it asks with the same verb ("Krijgen we …?" / "Krijgen scholen …?")


def drop_yes_no(part: str) -> str:
    """The "Ja, " or "Nee. " that answers a section's own yes/no question, which may not be ours;
    with it goes a sentence that only leans on it ("Ja, dat is wat de GLR extra biedt.")."""
    m = re.match(r"^(Ja|Nee)[,.] (\w)", part)
    if not m:
        return part
    rest = part[m.end(2) - 1:]
    leaning = re.match(r"^(dat|dit|het) (is|kan|mag|klopt)\b[^.!?]*[.!?]\s+(?=\S)", rest)
    if leaning:
        return rest[leaning.end():]
    return rest[0].upper() + rest[1:]


_OPEN = re.compile(r"^(en |maar |ok[e]?,? )?((in|bij|voor|met|op|aan|van|vanaf|tot|sinds|naar|uit|over|door|"
                   r"tegen|onder) )?(wat|wie|wiens|waar\w*|wanneer|hoe\w*|waarom|welke?)\b")
# A clause that sets the scene before the question: "nu het programma gestopt is, waar …".
_SCENE = re.compile(r"^(nu|als|omdat|aangezien|nadat|zodra|toen|hoewel|ook al) [^,?]*, ")


def asks_open(question: str) -> bool:
    """A "wat/wie/waar/wanneer/hoe/welke" question ("in welke sector …", "nu X, waar …"), which "Ja."
    or "Nee." does not answer. The first sentence that asks (ends on "?") decides, else the last one:
    "Een school heeft vragen. Waar kan ik ze heen sturen?" is open."""
    sentences = [s.strip() for s in re.findall(r"[^.?!]+[.?!]*", fold(question)) if s.strip()]
    if not sentences:
        return False
    asking = next((s for s in sentences if s.endswith("?")), sentences[-1])
    return bool(_OPEN.match(asking) or _OPEN.match(_SCENE.sub("", asking, count=1)))


# The verb a closed question opens with decides what its yes or no says: "Kan X?" and "Moet X?" differ.
_VERB_FORMS = {"kan": "kunnen", "kun": "kunnen", "kunt": "kunnen", "kunnen": "kunnen", "mag": "mogen",
               "mogen": "mogen", "moet": "moeten", "moeten": "moeten", "is": "zijn", "zijn": "zijn", "ben": "zijn",
               "bent": "zijn", "heeft": "hebben", "hebben": "hebben", "heb": "hebben", "hebt": "hebben",
               "wordt": "worden", "worden": "worden", "word": "worden", "krijgt": "krijgen", "krijgen": "krijgen",
               "krijg": "krijgen", "geldt": "gelden", "gelden": "gelden", "telt": "tellen", "tellen": "tellen",
               "komt": "komen", "komen": "komen", "kom": "komen", "hoeft": "hoeven", "hoeven": "hoeven"}


def _asking_verb(question: str) -> str | None:
    """The verb a closed question asks with, after a scene clause: "als hij zakt, mag hij …" → mogen."""
    sentences = [s.strip() for s in re.findall(r"[^.?!]+[.?!]*", fold(question)) if s.strip()]
    if not sentences:
        return None
    asking = next((s for s in sentences if s.endswith("?")), sentences[-1])
    words = re.findall(r"[a-z]+", _SCENE.sub("", asking, count=1))
    words = words[1:] if words and words[0] in ("en", "maar", "dus", "of", "ok", "oke") else words
    return _VERB_FORMS.get(words[0]) if words else None


def yes_no_is_ours(question: str, heading: str, heading_sim: float) -> bool:
    """Whether the section's opening "Ja."/"Nee." answers this closed question: it answers the
    heading, so the question must ask what the heading asks, with the same verb when less close
    (tests/eval/yesno dev half: 11 right and 6 wrong openings before, 10 right and 0 wrong with it)."""
    if heading_sim >= YES_NO_HEADING_MIN:
        return True
    verb = _asking_verb(question)
    return heading_sim >= YES_NO_SAME_VERB_MIN and verb is not None and verb == _asking_verb(heading)
