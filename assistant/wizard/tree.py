"""The route wizard: a decision tree from kb/wizard.yaml and a pure engine over it.

The tree is data (questions, options, outcomes); this module only walks it. `next_step` takes
the answers so far and returns the next question or the outcome with the reasons. Loading and
validation live in `assistant.wizard.check`; `load_wizard` and `check_wizard_file` are
re-exported here.

Step numbering ("Stap n van m"): n = questions answered on the path + 1; m = questions answered
+ the longest number of questions still possible from the current question to an outcome. So
m is exact for the branch the user is on: it can shrink after an answer, never grow past the
longest path of the whole tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from assistant.content.kb import KnowledgeBase

RESULT_PATH = "/wizard/result"


@dataclass(frozen=True)
class Option:
    """One answer to a question; `next` names a question or an outcome."""

    id: str
    label: str
    next: str
    reason: str | None = None
    line: int = 1


@dataclass(frozen=True)
class Question:
    """A question that asks one thing, with help text and its options."""

    id: str
    text: str
    help: str
    options: tuple[Option, ...]
    line: int = 1

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if any."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Outcome:
    """A recommended route: why it fits, conditions, next steps and the kb sections it cites."""

    id: str
    title: str
    why: str
    conditions: tuple[str, ...]
    next_steps: tuple[str, ...]
    cites: tuple[str, ...]
    contact: bool = False
    line: int = 1
    cite_lines: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class Wizard:
    """The whole tree; `questions` and `outcomes` keep the file's order."""

    start: str
    questions: dict[str, Question]
    outcomes: dict[str, Outcome]
    path: str = ""
    _longest: dict[str, int] = field(default_factory=dict, repr=False)

    def longest_from(self, question_id: str) -> int:
        """Most questions (this one included) that can still be asked from `question_id`."""
        if question_id not in self._longest:
            question = self.questions[question_id]
            self._longest[question_id] = 1 + max(
                (self.longest_from(o.next) for o in question.options if o.next in self.questions),
                default=0,
            )
        return self._longest[question_id]


class WizardError(ValueError):
    """Answers that do not fit the tree; the message is Dutch and can be shown to users."""


@dataclass(frozen=True)
class Step:
    """Where the answers lead: `question` (to ask next) or `outcome`, never both."""

    path: tuple[tuple[Question, Option], ...]
    question: Question | None = None
    outcome: Outcome | None = None
    number: int = 0
    total: int = 0

    @property
    def answers(self) -> dict[str, str]:
        """The answers on the path, in the order they were asked."""
        return {q.id: o.id for q, o in self.path}

    @property
    def reasons(self) -> list[str]:
        """Why the outcome fits: the reason of every answer on the path that has one."""
        return [o.reason for _, o in self.path if o.reason]


def next_step(wizard: Wizard, answers: Mapping[str, str]) -> Step:
    """Walk the tree with `answers` (question id → option id); pure, raises WizardError."""
    for qid, oid in answers.items():
        if qid not in wizard.questions:
            raise WizardError(f"Onbekende vraag: {qid!r}. Die vraag staat niet in de routewijzer.")
        if not isinstance(oid, str) or wizard.questions[qid].option(oid) is None:
            choices = ", ".join(repr(o.id) for o in wizard.questions[qid].options)
            raise WizardError(f"Onbekend antwoord {oid!r} op vraag {qid!r}. Kies uit: {choices}.")
    path: list[tuple[Question, Option]] = []
    node = wizard.start
    while node in wizard.questions and node in answers:
        question = wizard.questions[node]
        option = question.option(answers[node])
        assert option is not None  # checked above
        path.append((question, option))
        node = option.next
    extra = [qid for qid in answers if qid not in {q.id for q, _ in path}]
    if extra:
        names = ", ".join(repr(q) for q in extra)
        raise WizardError(
            f"Deze vragen horen niet bij de gekozen antwoorden: {names}. "
            "Beantwoord alleen de vragen die de routewijzer stelt, in volgorde."
        )
    if node in wizard.outcomes:
        return Step(path=tuple(path), outcome=wizard.outcomes[node],
                    number=len(path), total=len(path))
    question = wizard.questions[node]
    return Step(path=tuple(path), question=question, number=len(path) + 1,
                total=len(path) + wizard.longest_from(node))


def previous_answers(step: Step) -> dict[str, str]:
    """The answers without the last one: where 'Vorige vraag' goes."""
    return dict(list(step.answers.items())[:-1])


def query_string(answers: Mapping[str, str]) -> str:
    """Answers as a query string, in the order given: `doelgroep=vmbo&leerweg=bb`."""
    return urlencode(list(answers.items()))


def permalink(step: Step) -> str:
    """A link that shows this result again: `/wizard/result?<question>=<option>&...`."""
    return f"{RESULT_PATH}?{query_string(step.answers)}"


def decode_answers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Answers from query parameters; names starting with '_' are form controls, not answers.

    A question given twice is an error (the link was changed by hand)."""
    answers: dict[str, str] = {}
    for name, value in pairs:
        if name.startswith("_"):
            continue
        if name in answers and answers[name] != value:
            raise WizardError(f"De vraag {name!r} heeft twee antwoorden. Begin opnieuw.")
        answers[name] = value
    return answers


def citations(outcome: Outcome, kb: KnowledgeBase) -> list[dict[str, str]]:
    """`{"title": "<article> – <section>", "url": "/kb/slug#anchor"}` for each cited section."""
    result = []
    for cite in outcome.cites:
        slug, _, anchor = cite.partition("#")
        article = kb.by_slug.get(slug)
        section = article.section(anchor) if article and anchor else None
        title = article.title if article else slug
        if section:
            title = f"{title} – {section.heading}"
        result.append({"title": title, "url": f"/kb/{cite}"})
    return result


def question_json(step: Step) -> dict[str, Any]:
    """The API form of a question step."""
    q = step.question
    assert q is not None
    return {
        "question": {"id": q.id, "text": q.text, "help": q.help,
                     "options": [{"id": o.id, "label": o.label} for o in q.options]},
        "step": step.number,
        "total": step.total,
        "answers": step.answers,
    }


def outcome_json(step: Step, kb: KnowledgeBase) -> dict[str, Any]:
    """The API form of an outcome step, with resolved citations and the permalink."""
    o = step.outcome
    assert o is not None
    return {
        "outcome": {"id": o.id, "title": o.title, "why": o.why, "reasons": step.reasons,
                    "conditions": list(o.conditions), "next_steps": list(o.next_steps),
                    "citations": citations(o, kb), "contact": o.contact},
        "answers": step.answers,
        "path": [{"question": q.text, "answer": opt.label} for q, opt in step.path],
        "permalink": permalink(step),
    }


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'


def to_mermaid(wizard: Wizard) -> str:
    """The tree as a Mermaid flowchart: questions are diamonds, outcomes rounded boxes."""
    ids = {name: f"q_{name.replace('-', '_')}" for name in wizard.questions}
    ids |= {name: f"o_{name.replace('-', '_')}" for name in wizard.outcomes}
    lines = ["flowchart TD"]
    for q in wizard.questions.values():
        lines.append(f"    {ids[q.id]}{{{_mermaid_text(q.text)}}}")
    for o in wizard.outcomes.values():
        lines.append(f"    {ids[o.id]}([{_mermaid_text(o.title)}])")
    for q in wizard.questions.values():
        for opt in q.options:
            lines.append(f"    {ids[q.id]} -- {_mermaid_text(opt.label)} --> {ids[opt.next]}")
    lines.append("    classDef outcome fill:#e6f2e6,stroke:#2d6a2d;")
    lines.append(f"    class {','.join(ids[o] for o in wizard.outcomes)} outcome;")
    return "\n".join(lines)
