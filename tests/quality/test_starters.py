"""Every starter question shown anywhere, and the example under the input field, gets the right answer.

The questions are read from where users see them (the chat page's starters, the widget's default
starters, the example in the input hint, docs/widget.md), so a new starter without an expected
answer here fails this test.
"""

from __future__ import annotations

import re

import pytest

from assistant.quality.blind import states
from assistant.settings import ROOT
from assistant.webapp.pages import STARTERS
from tests.quality.test_real_model import assert_extractive

pytestmark = pytest.mark.slow

# question → (the section(s) the answer may cite first, facts the answer text must state)
EXPECTED: dict[str, tuple[str | tuple[str, ...], list[list[str]]]] = {
    "Wat is een doorlopende leerroute?": ("dlr-wat-is-het#wat-is-een-dlr", [["samenhangend"], ["vmbo"]]),
    "Wat is het verschil tussen een DLR en een GLR?": ("dlr-glr-verschil#verschil", [["vmbo-diploma"]]),
    "Tot wanneer kunnen we een doorlopende leerroute melden bij DUO?":
        ("dlr-melden-bij-duo#melddatum-15-oktober", [["15 oktober"], ["hele jaar"]]),
    "Wat is de derde leerweg?": ("derde-leerweg#wat-is-de-derde-leerweg", [["volwassenen"]]),
    "Wat is een praktijkverklaring?": ("praktijkleerroute-praktijkverklaring#praktijkverklaring",
                                       [["praktijkleerroute"], ["geen diploma"]]),
    "Hoe wordt een doorlopende leerroute bekostigd?": ("dlr-bekostiging#wie-krijgt-bekostiging",
                                                       [["vo-fase"], ["mbo-fase"]]),
    "Welke school meldt het verzuim van een leerling in een doorlopende leerroute?":
        ("dlr-fasen-vo-mbo#verzuim-per-fase", [["vo-school"], ["mbo-school"]]),
    # The example in the input field; both sections state who reports absence in which phase.
    "wie meldt het verzuim in een DLR?":
        (("dlr-wettelijke-ruimte#verzuim", "dlr-fasen-vo-mbo#verzuim-per-fase"), [["vo-school"], ["mbo-school"]]),
}


def shown_questions() -> set[str]:
    """The starter and example questions as the pages and docs show them."""
    questions = set(STARTERS)
    hint = (ROOT / "web" / "templates" / "chat.html").read_text(encoding="utf-8")
    questions |= set(re.findall(r"[Bb]ijvoorbeeld: ([^<{\"]+\?)", hint))
    widget_doc = (ROOT / "docs" / "widget.md").read_text(encoding="utf-8")
    for group in re.findall(r'data-starters="([^"]+)"', widget_doc):
        questions |= set(group.split("|"))
    return questions


def test_every_shown_question_has_an_expected_answer() -> None:
    assert shown_questions() <= set(EXPECTED), shown_questions() - set(EXPECTED)
    assert len(shown_questions()) >= 7


@pytest.mark.parametrize("question", sorted(EXPECTED))
def test_starter_gets_the_right_answer(real_routewijzer, question: str) -> None:
    section, facts = EXPECTED[question]
    answer = real_routewijzer.ask(question)
    assert not answer.abstained and answer.not_in_kb is None
    sections = (section,) if isinstance(section, str) else section
    assert answer.citations[0].url in {f"/kb/{s}" for s in sections}
    assert states(answer.answer, tuple(tuple(g) for g in facts)), answer.answer
    assert_extractive(answer)


def test_compound_question_gets_both_parts(real_routewijzer) -> None:
    """'Moet ik … melden en wanneer?': the melding and a date, each with its own numbered source."""
    answer = real_routewijzer.ask("Moet ik een DLR-leerling bij DUO melden en wanneer?")
    assert states(answer.answer, (("ROD",), ("oktober",)))
    assert len(answer.citations) >= 2 and "[2]" in answer.answer
    assert_extractive(answer)
