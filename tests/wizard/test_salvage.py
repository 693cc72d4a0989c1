"""What is left of an old permalink: answers that still exist, and a restart that ticks them."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from assistant.wizard.salvage import HINT, read_hints, restart_link, salvage
from assistant.wizard.tree import RetiredAnswers, Wizard, next_step
from tests.wizard.conftest import all_paths


def walk_with_hints(wizard: Wizard, hints: dict[str, str]) -> str | None:
    """Press 'Volgende' on every ticked answer; the outcome reached, or None where nothing is ticked."""
    answers: dict[str, str] = {}
    while True:
        step = next_step(wizard, answers)
        if step.outcome is not None:
            return step.outcome.id
        assert step.question is not None
        if step.question.id not in hints:
            return None
        answers[step.question.id] = hints[step.question.id]


def test_every_current_answer_survives_a_retired_one_beside_it(wizard: Wizard) -> None:
    """An old link = a path of today's tree plus one answer that was retired since."""
    old = sorted(r for r in wizard.retired if "=" not in r)[0]
    for answers, outcome in all_paths(wizard):
        link = {**answers, old: "ja"}
        with pytest.raises(RetiredAnswers):
            next_step(wizard, link)
        left = salvage(wizard, link)
        assert left.hints == answers and left.lost == 1
        hints = read_hints(wizard, [v for k, v in parse_qsl(urlsplit(restart_link(left.hints)).query)
                                    if k == HINT])
        assert hints == answers
        assert walk_with_hints(wizard, hints) == outcome  # the restart, answered as ticked, ends the same


def test_a_retired_answer_to_a_current_question_is_lost(wizard: Wizard) -> None:
    left = salvage(wizard, {"doelgroep": "anders"})
    assert left.kept == () and left.lost == 1
    assert restart_link(left.hints) == "/wizard"


def test_answers_after_a_retired_question_are_ticked_where_the_tree_still_asks_them(wizard: Wizard) -> None:
    old = {"doelgroep": "vmbo", "leerweg": "bb", "bb-wettelijke-ruimte": "ja", "leervorm": "bedrijf"}
    left = salvage(wizard, old)
    assert [q.id for q, _ in left.kept] == ["doelgroep", "leerweg", "leervorm"] and left.lost == 1
    # the new tree asks about the programme first: the walk stops there, nothing is guessed
    assert walk_with_hints(wizard, left.hints) is None
    hints = {**left.hints, "programma": "volledig", "niveau": "niveau-2", "vmbo-diploma": "ja",
             "scholen": "geen"}
    assert walk_with_hints(wizard, hints) == "bbl"  # leervorm is ticked again when it comes up


def test_hints_that_name_no_current_answer_are_ignored(wizard: Wizard) -> None:
    assert read_hints(wizard, ["doelgroep.anders", "weg.ja", "zonder-punt", "", "leerweg.bb",
                               "leerweg.kb-gl-tl"]) == {"leerweg": "bb"}
