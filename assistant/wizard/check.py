"""Load kb/wizard.yaml into a Wizard and validate it: fields, targets, dead ends, cycles,
reachability and (with the knowledge base) citations. Every problem has a file and line."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.content.problems import KBError, Problem, display_path, line_of, load_yaml
from assistant.wizard.tree import Option, Outcome, Question, Wizard

if TYPE_CHECKING:
    from assistant.content.kb import KnowledgeBase

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = {"start", "questions", "outcomes"}
QUESTION_KEYS = {"id", "text", "help", "options"}
OPTION_KEYS = {"id", "label", "next", "reason"}
OUTCOME_KEYS = {"id", "title", "why", "conditions", "next_steps", "cites", "contact"}


class _Parser:
    """Turns the YAML data into dataclasses, collecting problems instead of stopping."""

    def __init__(self, file: str, lines: dict[tuple, int]):
        self.file, self.lines, self.problems = file, lines, []

    def err(self, message: str, *key: Any) -> None:
        self.problems.append(Problem(self.file, line_of(self.lines, *key), message))

    def text(self, data: dict, name: str, *key: Any, required: bool = True) -> str:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if value is not None or required:
            self.err(f"'{name}' is required and must be text", *key, name)
        return ""

    def texts(self, data: dict, name: str, *key: Any, allow_empty: bool = False) -> tuple[str, ...]:
        value = data.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.err(f"'{name}' must be a list of texts", *key, name)
            return ()
        if not value and not allow_empty:
            self.err(f"'{name}' must not be empty", *key, name)
        return tuple(" ".join(v.split()) for v in value)

    def ident(self, data: dict, *key: Any) -> str:
        value = data.get("id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.err(f"id {value!r}: use lowercase a-z, 0-9 and '-'", *key, "id")
            return ""
        return value

    def unknown_keys(self, data: dict, known: set[str], what: str, *key: Any) -> None:
        for name in data:
            if name not in known:
                self.err(f"unknown field {name!r} in {what}", *key, name)

    def items(self, data: dict, name: str) -> list[tuple[int, dict]]:
        value = data.get(name)
        if not isinstance(value, list) or not value:
            self.err(f"'{name}' must be a non-empty list", name)
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                good.append((i, item))
            else:
                self.err(f"{name}[{i}] must be a mapping with an 'id'", name, i)
        return good

    def question(self, i: int, data: dict) -> Question:
        key = ("questions", i)
        self.unknown_keys(data, QUESTION_KEYS, "a question", *key)
        qid = self.ident(data, *key)
        options: list[Option] = []
        raw = data.get("options")
        if not isinstance(raw, list) or not raw:
            self.err(f"question {qid!r} has no options (dead end)", *key, "options")
            raw = []
        seen: set[str] = set()
        for j, opt in enumerate(raw):
            okey = (*key, "options", j)
            if not isinstance(opt, dict):
                self.err("an option must be a mapping with id, label and next", *okey)
                continue
            self.unknown_keys(opt, OPTION_KEYS, "an option", *okey)
            oid = self.ident(opt, *okey)
            if oid in seen:
                self.err(f"question {qid!r}: option id {oid!r} is used twice", *okey, "id")
            seen.add(oid)
            target = opt.get("next")
            if not isinstance(target, str) or not target.strip():
                self.err(f"option {qid}/{oid} has no 'next' (dead end)", *okey)
                target = ""
            options.append(Option(id=oid, label=self.text(opt, "label", *okey), next=target,
                                  reason=self.text(opt, "reason", *okey, required=False) or None,
                                  line=line_of(self.lines, *okey)))
        return Question(id=qid, text=self.text(data, "text", *key),
                        help=self.text(data, "help", *key), options=tuple(options),
                        line=line_of(self.lines, *key))

    def outcome(self, i: int, data: dict) -> Outcome:
        key = ("outcomes", i)
        self.unknown_keys(data, OUTCOME_KEYS, "an outcome", *key)
        contact = data.get("contact", False)
        if not isinstance(contact, bool):
            self.err("'contact' must be true or false", *key, "contact")
        cites = self.texts(data, "cites", *key)
        for j, cite in enumerate(cites):
            if not CITE_RE.match(cite):
                self.err(f"citation {cite!r}: write it as <slug>#<anchor>", *key, "cites", j)
        return Outcome(id=self.ident(data, *key), title=self.text(data, "title", *key),
                       why=self.text(data, "why", *key),
                       conditions=self.texts(data, "conditions", *key, allow_empty=True),
                       next_steps=self.texts(data, "next_steps", *key), cites=cites,
                       contact=contact is True, line=line_of(self.lines, *key),
                       cite_lines=tuple(line_of(self.lines, *key, "cites", j)
                                        for j in range(len(cites))))


def parse_wizard(path: Path) -> tuple[Wizard | None, list[Problem], dict[tuple, int]]:
    """Parse the file and check the tree's shape; returns (wizard or None, problems, line map)."""
    file = display_path(path)
    try:
        data, lines = load_yaml(path)
    except KBError as exc:
        return None, exc.problems, {}
    p = _Parser(file, lines)
    if not isinstance(data, dict):
        message = "the wizard must be a mapping with start, questions and outcomes"
        return None, [Problem(file, 1, message)], lines
    p.unknown_keys(data, TOP_KEYS, "the wizard")
    start = p.text(data, "start")
    questions: dict[str, Question] = {}
    outcomes: dict[str, Outcome] = {}
    for section, build, store in (("questions", p.question, questions),
                                  ("outcomes", p.outcome, outcomes)):
        for i, item in p.items(data, section):
            node = build(i, item)
            if node.id and (node.id in questions or node.id in outcomes):
                p.err(f"id {node.id!r} is used twice (ids of questions and outcomes must differ)",
                      section, i, "id")
            elif node.id:
                store[node.id] = node  # type: ignore[index]
    wizard = Wizard(start=start, questions=questions, outcomes=outcomes, path=file)
    p.problems += graph_problems(wizard, lines)
    return wizard, p.problems, lines


def graph_problems(wizard: Wizard, lines: dict[tuple, int]) -> list[Problem]:
    """Unknown targets, cycles, and questions or outcomes that cannot be reached from start."""
    file, problems = wizard.path, []
    nodes = {**wizard.questions, **wizard.outcomes}
    if wizard.start and wizard.start not in wizard.questions:
        problems.append(Problem(file, line_of(lines, "start"),
                                f"start {wizard.start!r} is not a question"))
        return problems
    for q in wizard.questions.values():
        for opt in q.options:
            if opt.next and opt.next not in nodes:
                problems.append(Problem(file, opt.line, f"option {q.id}/{opt.id} leads to "
                                        f"{opt.next!r}, which is no question or outcome"))
    # Depth-first search from start: grey = on the current path (a cycle when met again).
    state: dict[str, str] = {}
    cycles: list[Problem] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "grey"
        question = wizard.questions.get(node)
        for opt in question.options if question else ():
            if opt.next not in nodes:
                continue
            if state.get(opt.next) == "grey":
                loop = trail[trail.index(opt.next):] + [node, opt.next]
                cycles.append(Problem(file, opt.line, "cycle: " + " → ".join(loop)))
            elif opt.next not in state:
                visit(opt.next, trail + [node])
        state[node] = "black"

    if wizard.start:
        visit(wizard.start, [])
    problems += cycles
    for q in wizard.questions.values():
        if q.id not in state:
            problems.append(Problem(file, q.line,
                                    f"question {q.id!r} cannot be reached from start"))
    for o in wizard.outcomes.values():
        if o.id not in state:
            problems.append(Problem(file, o.line, f"outcome {o.id!r} cannot be reached from start"))
    return problems


def citation_problems(wizard: Wizard, kb: KnowledgeBase) -> list[Problem]:
    """Every cited `slug#anchor` must be a section in the knowledge base."""
    problems = []
    for outcome in wizard.outcomes.values():
        for cite, line in zip(outcome.cites, outcome.cite_lines, strict=True):
            if CITE_RE.match(cite) and not kb.resolve(f"/kb/{cite}"):
                slug = cite.partition("#")[0]
                what = "section" if slug in kb.by_slug else "article"
                problems.append(Problem(wizard.path, line, f"outcome {outcome.id!r} cites "
                                        f"{cite!r}: that {what} does not exist"))
    return problems


def load_wizard(path: Path) -> Wizard:
    """Load and validate the tree (without citations); raise KBError on any problem."""
    wizard, problems, _ = parse_wizard(path)
    if problems or wizard is None:
        raise KBError(problems or [Problem(display_path(path), 1, "cannot load the wizard")])
    return wizard


def check_wizard_file(path: Path, kb: KnowledgeBase) -> list[Problem]:
    """All problems in the wizard file, citations included; empty means the tree is sound."""
    wizard, problems, _ = parse_wizard(path)
    if wizard is not None:
        problems += citation_problems(wizard, kb)
    return sorted(set(problems))


@cache
def _cached(path: str, mtime: float) -> Wizard:
    return load_wizard(Path(path))


def cached_wizard(path: Path) -> Wizard:
    """load_wizard, reloaded only when the file changes (for the web app)."""
    return _cached(str(path), path.stat().st_mtime)
