"""What kind of fact a question asks for: an amount, contact details (a web address too), a year, a
code, a date (or the date of a next meeting), whether a goal is reached yet, a duration, a count.

Answers use it to say plainly when the cited section does not hold that kind of fact
(answers/gaps.py). Tried and dropped: ranking sections that hold the asked kind of fact higher
(no gain on the blind dev half, docs/evaluation.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.search.lexical import fold

NUMBER_WORDS = (r"(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|"
                 r"honderd|duizend)")
_MONTHS = r"(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
# A date or a moment in a (folded) text: "15 oktober", "2023", "schooljaar 2016-2017".
DATE_EVIDENCE = re.compile(r"\b\d{4}\b|\b\d{1,2} " + _MONTHS + r"\b|\bschooljaar\b")
# "tot/vanaf wanneer" may also be answered by a moment of a route: "in de eerste drie jaar", "vanaf de start".
MOMENT_EVIDENCE = re.compile(DATE_EVIDENCE.pattern + r"|\b(eerste|tweede|derde|vierde|laatste|[1-4]e) (" + NUMBER_WORDS
                             + r" )?(leer)?ja(ar|ren)\b|\b(klas|leerjaar) [1-4]\b|\bvanaf (de start|het begin)\b")


@dataclass(frozen=True)
class Ask:
    """One kind of specific ask: how to recognise it, what evidence answers it, how to name it."""

    name: str  # what the knowledge base does not name, as in "De kennisbank noemt geen <name>"
    question: re.Pattern
    evidence: re.Pattern
    # Words by which a sentence saying "… noemt deze kennisbank niet" is about this kind of fact.
    about: re.Pattern = re.compile(r"(?!)")
    # Such a sentence counts anywhere in the section, not only near the best one: for a narrow ask
    # ("in welk jaar") it cannot be about anything else.
    silent_anywhere: bool = False


# "de volgende bijeenkomst", "het komende webinar": a date said to lie ahead, not one of a past event.
_NEXT = r"(volgende|komende|eerstvolgende|nieuwe|aankomende)"
_EVENT = r"\w*(bijeenkomst|webinar|conferentie|netwerkdag|sessie|editie|ronde|meeting|congres|training)\w*"
UPCOMING_EVIDENCE = re.compile(r"\b" + _NEXT + r"\b[^.]{0,80}(\b\d{1,2} " + _MONTHS + r"\b|\b20\d\d\b)")

ASKS = (
    Ask("bedrag", re.compile(r"\b(hoeveel (geld|euro|kost\w*|subsidie|bekostiging|vergoed\w*|betal\w*)|bedrag\w*|"
                             r"wat kost\w*|kost (het|dat|een)|kosten|prijs|tarief|euro|vergoeding per)\b|€"),
        re.compile(r"€|\beuro\b"), re.compile(r"\b(bedrag\w*|geld|kosten|euro|prijs)\b")),
    # "wie is de contactpersoon?" asks for a name, which a section may give; "telnr van de contactpersoon" does not.
    Ask("contactgegevens", re.compile(r"\b(telefoonnummer|telefoon|telnr|tel nr|bellen|(e ?)?mailadres|"
                                      r"(?<!wie is de )(?<!wie is het )(contactpersoon|aanspreekpunt)|"
                                      r"contactgegevens|webadres|internetadres|websiteadres|url)\b"),
        re.compile(r"@|\b0\d{1,3}[ -]?\d{6,8}\b|\bwww\.|\.nl\b")),
    Ask("datum", re.compile(r"\b(" + _NEXT + r" " + _EVENT + r"|wanneer (is|zijn|komt|komen|wordt|worden|organiseert|"
                            r"organiseren|houdt|houden) (er )?(weer |nog |opnieuw )?(een |de |het )?" + _NEXT + r")\b"),
        UPCOMING_EVIDENCE, re.compile(r"\b(wanneer|data|datum|volgende)\b")),
    Ask("stand van zaken", re.compile(r"\b(inmiddels|al (gehaald|bereikt|behaald|gelukt)|tot nu toe (gehaald|bereikt)|"
                                      r"stand van zaken)\b"),
        re.compile(r"\b(gehaald|bereikt|behaald|gerealiseerd|stand van zaken)\b"),
        re.compile(r"\b(nieuwere cijfers|gehaald|bereikt|stand)\b")),
    Ask("jaartal", re.compile(r"\b(in )?(welk|wat voor) (jaar|jaartal)\b"), re.compile(r"\b(19|20)\d\d\b"),
        re.compile(r"\bjaar\b"), silent_anywhere=True),
    # A code is four to six digits, but not a year ("schooljaar 2021/2022" names no code).
    Ask("code", re.compile(r"\b(elementcode|welke code|welke elementcode)\b"),
        re.compile(r"\b(?!(19|20)\d\d\b)\d{4,6}\b"),
        re.compile(r"\bcode\w*\b")),
    Ask("datum", re.compile(r"\b(tot|vanaf) wanneer\b"), MOMENT_EVIDENCE,
        re.compile(r"\b(wanneer|datum|data|einddatum|jaar|termijn\w*)\b")),
    Ask("datum", re.compile(r"\b(welke datum|datum|deadline|sinds wanneer|per wanneer|in welk jaar|welk jaar)\b"),
        DATE_EVIDENCE, re.compile(r"\b(wanneer|datum|data|einddatum|jaar|termijn\w*)\b")),
    Ask("duur", re.compile(r"\b(hoe lang (duurt|duren|moet|mag|kan)|opzegtermijn|opzeggingstermijn)\b"),
        re.compile(r"\b(\d+|" + NUMBER_WORDS + r"|een|één) (dag|dagen|week|weken|maand|maanden|jaar|jaren|uur)\b"),
        re.compile(r"\b(hoe lang|duur|termijn\w*)\b")),
    Ask("aantal", re.compile(r"\b(hoeveel|aantal|hoe veel|minimum|minimaal|maximaal|maximum)\b"),
        re.compile(r"\d|\b" + NUMBER_WORDS + r"\b|\b(alle|geen|elke|iedere)\b"),
        re.compile(r"\b(aantal\w*|cijfers|hoeveel)\b")),
)


def asked(question: str) -> Ask | None:
    """The specific ask of a question, if it has one (the first that matches, in ASKS order)."""
    folded = fold(question)
    return next((a for a in ASKS if a.question.search(folded)), None)



# "wie gaf de presentatie en wanneer was dat?": a compound question asks a second thing after "en",
# "of" or a question mark, starting with a question word or a verb that opens a question.
_NEXT_ASK = re.compile(r"(?:\?\s+|,?\s+(?:en|of)\s+)(?=(?:wie|wat|waar\w*|wanneer|hoe\w*|welke?|waarom|hoeveel|"
                       r"moet\w*|mag|mogen|kan|kunnen|is|zijn|geldt|krijgt|heeft|hebben)\b)")


def later_asks(question: str) -> list[str]:
    """The second and further asks of a compound question (folded), or [] for a single ask."""
    parts = [p.strip() for p in _NEXT_ASK.split(fold(question)) if p.strip()]
    return parts[1:]
