"""Load kb/wizard.yaml into a Wizard and validate it: fields, targets, dead ends, cycles,
reachability, the rules of `rules.py` and (with the knowledge base) citations and sources.
Every problem has a file and line."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.content.problems import KBError, Problem, display_path, line_of, load_yaml
from assistant.wizard.rules import (
    copied_runs,
    editor_wording_problems,
    outcome_problems,
    retired_problems,
    way_forward_problems,
)
from assistant.wizard.tree import KINDS, Option, Outcome, Question, Referral, Wizard

if TYPE_CHECKING:
    from assistant.content.kb import KnowledgeBase

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = {"start", "questions", "outcomes", "retired"}
QUESTION_KEYS = {"id", "text", "help", "options"}
OPTION_KEYS = {"id", "label", "next", "reason", "cites", "unknown", "settle"}
OUTCOME_KEYS = {"id", "title", "kind", "why", "arrange", "good_to_know", "next_steps", "cites",
                "refers"}


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
        if isinstance(value, dict):
            self.err(f"'{name}' is not a text: put a text with ': ' in quotes", *key, name)
            return ""
        if value is not None or required:
            self.err(f"'{name}' is required and must be text", *key, name)
        return ""

    def texts(self, data: dict, name: str, *key: Any, allow_empty: bool = False,
              required: bool = True) -> tuple[str, ...]:
        value = data.get(name)
        if value is None and not required:
            return ()
        if not isinstance(value, list):
            self.err(f"'{name}' must be a list of texts", *key, name)
            return ()
        for j, item in enumerate(value):
            if isinstance(item, dict):  # `- Vraag dit: zo` is read as a mapping
                self.err(f"'{name}' item {j + 1} is not a text: put a text with ': ' in quotes "
                         "or write it after '>-'", *key, name, j)
            elif not isinstance(item, str) or not item.strip():
                self.err(f"'{name}' item {j + 1} must be a non-empty text", *key, name, j)
        if not all(isinstance(v, str) and v.strip() for v in value):
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
            unknown = opt.get("unknown", False)
            if not isinstance(unknown, bool):
                self.err("'unknown' must be true or false", *okey, "unknown")
            options.append(Option(id=oid, label=self.text(opt, "label", *okey), next=target,
                                  reason=self.text(opt, "reason", *okey, required=False) or None,
                                  cites=self.cites(opt, *okey), unknown=unknown is True,
                                  settle=self.text(opt, "settle", *okey, required=False) or None,
                                  line=line_of(self.lines, *okey)))
        return Question(id=qid, text=self.text(data, "text", *key),
                        help=self.text(data, "help", *key), options=tuple(options),
                        line=line_of(self.lines, *key))

    def cites(self, data: dict, *key: Any, required: bool = False) -> tuple[str, ...]:
        cites = self.texts(data, "cites", *key, required=required)
        for j, cite in enumerate(cites):
            if not CITE_RE.match(cite):
                self.err(f"citation {cite!r}: write it as <slug>#<anchor>", *key, "cites", j)
        return cites

    def refers(self, data: dict, *key: Any) -> tuple[Referral, ...]:
        raw = data.get("refers", [])
        if not isinstance(raw, list):
            self.err("'refers' must be a list of {text, source}", *key, "refers")
            return ()
        result = []
        for j, item in enumerate(raw):
            rkey = (*key, "refers", j)
            if not isinstance(item, dict) or set(item) != {"text", "source"}:
                self.err("a referral needs exactly 'text' and 'source' (an id in "
                         "kb/sources.yaml)", *rkey)
                continue
            result.append(Referral(text=self.text(item, "text", *rkey),
                                   source=self.text(item, "source", *rkey),
                                   line=line_of(self.lines, *rkey)))
        return tuple(result)

    def outcome(self, i: int, data: dict) -> Outcome:
        key = ("outcomes", i)
        self.unknown_keys(data, OUTCOME_KEYS, "an outcome", *key)
        kind = data.get("kind")
        if kind not in KINDS:
            self.err(f"'kind' must be one of {', '.join(KINDS)}", *key, "kind")
            kind = "gesprek"  # needs nothing more: no follow-on problems
        cites = self.cites(data, *key, required=True)
        return Outcome(id=self.ident(data, *key), title=self.text(data, "title", *key),
                       kind=kind, why=self.text(data, "why", *key),
                       arrange=self.texts(data, "arrange", *key, allow_empty=True,
                                          required=False),
                       good_to_know=self.texts(data, "good_to_know", *key, required=False),
                       next_steps=self.texts(data, "next_steps", *key), cites=cites,
                       refers=self.refers(data, *key), line=line_of(self.lines, *key),
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
    retired = data.get("retired", [])
    if not isinstance(retired, list) or not all(isinstance(r, str) for r in retired):
        p.err("'retired' must be a list of question ids and question=option answers", "retired")
        retired = []
    wizard = Wizard(start=start, questions=questions, outcomes=outcomes, path=file,
                    retired=frozenset(retired))
    p.problems += graph_problems(wizard, lines)
    p.problems += way_forward_problems(wizard) + outcome_problems(wizard) + retired_problems(wizard)
    p.problems += editor_wording_problems(wizard)
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
    """Every cited `slug#anchor` (of outcomes and of reasons) must be a section in the kb."""
    cited: list[tuple[str, str, int]] = []
    for outcome in wizard.outcomes.values():
        cited += [(f"outcome {outcome.id!r}", c, line)
                  for c, line in zip(outcome.cites, outcome.cite_lines, strict=True)]
    for q in wizard.questions.values():
        cited += [(f"option {q.id}/{o.id}", c, o.line) for o in q.options for c in o.cites]
    problems = []
    for who, cite, line in cited:
        if CITE_RE.match(cite) and not kb.resolve(f"/kb/{cite}"):
            slug = cite.partition("#")[0]
            what = "section" if slug in kb.by_slug else "article"
            problems.append(Problem(wizard.path, line, f"{who} cites {cite!r}: that {what} "
                                    "does not exist"))
    return problems


def load_wizard(path: Path) -> Wizard:
    """Load and validate the tree (without citations); raise KBError on any problem."""
    wizard, problems, _ = parse_wizard(path)
    if problems or wizard is None:
        raise KBError(problems or [Problem(display_path(path), 1, "cannot load the wizard")])
    return wizard


def check_wizard_file(path: Path, kb: KnowledgeBase,
                      seeds_dir: Path | None = None) -> list[Problem]:
    """All problems in the wizard file, citations and sources included (and wording copied
    from the seeds, when `seeds_dir` exists); empty means the tree is sound."""
    wizard, problems, _ = parse_wizard(path)
    if wizard is not None:
        problems += citation_problems(wizard, kb) + outcome_problems(wizard, kb)
        problems += copied_runs(wizard, seeds_dir, path.parent)
    return sorted(set(problems))


@cache
def _cached(path: str, mtime: float) -> Wizard:
    return load_wizard(Path(path))


def cached_wizard(path: Path) -> Wizard:
    """load_wizard, reloaded only when the file changes (for the web app)."""
    return _cached(str(path), path.stat().st_mtime)
