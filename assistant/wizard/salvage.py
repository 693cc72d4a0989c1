"""What is left of an old permalink: its answers that still exist, and a restart that keeps them.

A link made before the questions changed gets 410 (see `tree.RetiredAnswers`). Its answers are
not all lost: an answer whose question and option are still in the tree still means what it
meant (an editor retires an id whose meaning changes, `retired` in kb/wizard.yaml). Those are
carried into a fresh walk as hints (`_vooraf=<question>.<option>`): the wizard starts at the
first question again and ticks the old answer wherever the new tree asks that question, so the
user checks every answer and the tree decides which questions come. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from assistant.wizard.tree import Option, Question, Wizard

HINT = "_vooraf"  # a form control (starts with '_'), never an answer


@dataclass(frozen=True)
class Salvage:
    """The old link's answers split into those that still exist and the number that do not."""

    kept: tuple[tuple[Question, Option], ...]
    lost: int

    @property
    def hints(self) -> dict[str, str]:
        """Question id → option id of the answers that still exist, in the link's order."""
        return {q.id: o.id for q, o in self.kept}


def salvage(wizard: Wizard, answers: Mapping[str, str]) -> Salvage:
    """Which answers of `answers` (a link of an older tree) the current tree still has."""
    kept: list[tuple[Question, Option]] = []
    lost = 0
    for qid, oid in answers.items():
        question = wizard.questions.get(qid)
        option = question.option(oid) if question and qid not in wizard.retired else None
        if question is None or option is None or f"{qid}={oid}" in wizard.retired:
            lost += 1
        else:
            kept.append((question, option))
    return Salvage(kept=tuple(kept), lost=lost)


def hint_params(hints: Mapping[str, str]) -> list[tuple[str, str]]:
    """Hints as query parameters: `[("_vooraf", "doelgroep.vmbo"), ...]`."""
    return [(HINT, f"{qid}.{oid}") for qid, oid in hints.items()]


def restart_link(hints: Mapping[str, str]) -> str:
    """The wizard from its first question with `hints` ticked in advance."""
    return f"/wizard?{urlencode(hint_params(hints))}" if hints else "/wizard"


def read_hints(wizard: Wizard, values: Iterable[str]) -> dict[str, str]:
    """Hints from the query string; one that names no current question and option is ignored."""
    hints: dict[str, str] = {}
    for value in values:
        qid, _, oid = value.partition(".")
        question = wizard.questions.get(qid)
        if question is not None and question.option(oid) is not None and qid not in hints:
            hints[qid] = oid
    return hints
