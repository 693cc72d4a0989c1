"""The route wizard: a decision tree from kb/wizard.yaml and a pure engine over it.

The tree is data (questions, options, outcomes); this module only walks it. `next_step` takes
the answers so far and returns the next question or the outcome with the reasons. Loading and
validation live in `assistant.wizard.check`, the rules a sound tree keeps in
`assistant.wizard.rules`, and the JSON and page forms in `assistant.wizard.present`.

Step numbering ("Stap n van m"): n = questions answered on the path + 1; m = questions answered
+ the longest number of questions still possible from the current question to an outcome. So
m is exact for the branch the user is on: it can shrink after an answer, never grow past the
longest path of the whole tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

RESULT_PATH = "/wizard/result"
KINDS = ("route", "gesprek", "buiten")  # a route; first a conversation; outside what we cover


@dataclass(frozen=True)
class Option:
    """One answer to a question; `next` names a question or an outcome.

    `reason` (with the sections in `cites`) says on the outcome why this answer counts;
    `unknown` marks the "weet ik niet" answer, whose `settle` names the step that settles it."""

    id: str
    label: str
    next: str
    reason: str | None = None
    cites: tuple[str, ...] = ()
    unknown: bool = False
    settle: str | None = None
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
class Referral:
    """Where to go for something the wizard does not cover, with the source (kb/sources.yaml id)."""

    text: str
    source: str
    line: int = 1


@dataclass(frozen=True)
class Outcome:
    """A result: why it fits, what to arrange, what to know, next steps and the sections it cites."""

    id: str
    title: str
    kind: str
    why: str
    arrange: tuple[str, ...]
    next_steps: tuple[str, ...]
    cites: tuple[str, ...]
    good_to_know: tuple[str, ...] = ()
    refers: tuple[Referral, ...] = ()
    line: int = 1
    cite_lines: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class Wizard:
    """The whole tree; `questions` and `outcomes` keep the file's order.

    `retired` holds question ids and `question=option` pairs of older versions of the tree:
    a permalink that uses one is gone (410), not broken."""

    start: str
    questions: dict[str, Question]
    outcomes: dict[str, Outcome]
    path: str = ""
    retired: frozenset[str] = frozenset()
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


class RetiredAnswers(WizardError):
    """Answers from an older version of the tree: the link is gone for good (HTTP 410)."""


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
    def reasons(self) -> list[Option]:
        """Why the outcome fits: every answer on the path that has a reason, in order."""
        return [o for _, o in self.path if o.reason]

    @property
    def settle(self) -> list[str]:
        """What to find out or arrange first: the `settle` step of every answer that has one."""
        return [o.settle for _, o in self.path if o.settle]

    @property
    def unknowns(self) -> list[Question]:
        """The questions the user answered with "weet ik niet"."""
        return [q for q, o in self.path if o.unknown]


RETIRED_MESSAGE = (
    "Deze link hoort bij een oudere versie van de routewijzer. De vragen zijn sindsdien "
    "veranderd, dus dit advies bestaat niet meer. Doorloop de vragen opnieuw: dat duurt "
    "een paar minuten."
)


def next_step(wizard: Wizard, answers: Mapping[str, str]) -> Step:
    """Walk the tree with `answers` (question id → option id); pure, raises WizardError."""
    for qid, oid in answers.items():
        if qid in wizard.retired or f"{qid}={oid}" in wizard.retired:
            raise RetiredAnswers(RETIRED_MESSAGE)
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
