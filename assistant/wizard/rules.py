"""The rules a sound route wizard keeps beyond its shape (see `check.py` for the shape).

- A way forward for who does not know: every question offers exactly one "weet ik niet"
  answer; that answer names the step that settles it (`settle`), and no path through it ends
  in "buiten wat de routewijzer kent" (not knowing is not being out of scope).
- Outcomes say what they are: a route has things to arrange, an outcome outside the scope
  refers on, with a registered public source for every referral.
- Reader text is written anew (no run of 8 or more words shared with a source document) and
  holds no editor's notes or internal words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.content.problems import Problem
from assistant.content.reader_text import reader_text_problems
from assistant.content.seeds import load_seeds
from assistant.content.wording import SeedRuns, load_allowed
from assistant.wizard.tree import Option, Question, Wizard

if TYPE_CHECKING:
    from assistant.content.kb import KnowledgeBase

UNKNOWN_LABEL = re.compile(r"\bweet\b.*\bniet\b", re.IGNORECASE)

Path_ = tuple[tuple[Question, Option], ...]


def paths(wizard: Wizard) -> Iterator[tuple[Path_, str]]:
    """Every path from the start to an outcome: (the answers on it, the outcome id)."""

    def walk(node: str, trail: Path_, seen: frozenset[str]) -> Iterator[tuple[Path_, str]]:
        question = wizard.questions.get(node)
        if question is None:
            if node in wizard.outcomes:
                yield trail, node
            return
        for option in question.options:
            if option.next not in seen:  # cycles are reported by check.graph_problems
                yield from walk(option.next, (*trail, (question, option)), seen | {node})

    if wizard.start in wizard.questions:
        yield from walk(wizard.start, (), frozenset())


def way_forward_problems(wizard: Wizard) -> list[Problem]:
    """The "weet ik niet" rule: one unknown answer per question, settled, never out of scope."""
    problems = []
    for q in wizard.questions.values():
        unknown = [o for o in q.options if o.unknown]
        if len(unknown) != 1:
            problems.append(Problem(wizard.path, q.line, f"question {q.id!r} needs exactly one "
                                    f"'unknown: true' answer (weet ik niet), has {len(unknown)}"))
        for o in unknown:
            if not UNKNOWN_LABEL.search(o.label):
                problems.append(Problem(wizard.path, o.line, f"option {q.id}/{o.id} is the "
                                        "unknown answer: its label must say 'weet ... niet'"))
            if not o.settle:
                problems.append(Problem(wizard.path, o.line, f"option {q.id}/{o.id}: a 'weet ik "
                                        "niet' answer needs 'settle', the step that settles it"))
        for o in q.options:
            if o.settle and not o.unknown and not o.reason:
                problems.append(Problem(wizard.path, o.line, f"option {q.id}/{o.id} has 'settle' "
                                        "but no 'reason' saying why"))
    reported: set[tuple[str, str]] = set()
    for trail, outcome in paths(wizard):
        if wizard.outcomes[outcome].kind != "buiten":
            continue
        for q, o in trail:
            if o.unknown and (q.id, o.id) not in reported:
                reported.add((q.id, o.id))
                problems.append(Problem(wizard.path, o.line, f"option {q.id}/{o.id} ('weet ik "
                                        f"niet') can end in {outcome!r}, outside the scope: "
                                        "not knowing needs a way forward"))
    return problems


def outcome_problems(wizard: Wizard, kb: KnowledgeBase | None = None) -> list[Problem]:
    """Each kind of outcome has what it needs; referrals name a source in kb/sources.yaml."""
    problems = []
    for o in wizard.outcomes.values():
        if o.kind == "route" and not o.arrange:
            problems.append(Problem(wizard.path, o.line, f"outcome {o.id!r} is a route: "
                                    "'arrange' must list what to arrange"))
        if o.kind == "buiten" and not o.refers:
            problems.append(Problem(wizard.path, o.line, f"outcome {o.id!r} is outside the "
                                    "scope: 'refers' must say where to go instead"))
        if o.kind != "buiten" and o.refers:
            problems.append(Problem(wizard.path, o.line, f"outcome {o.id!r}: only an outcome "
                                    "of kind 'buiten' refers on"))
        for ref in o.refers:
            if kb is not None and ref.source not in kb.sources:
                problems.append(Problem(wizard.path, ref.line, f"outcome {o.id!r} refers to "
                                        f"source {ref.source!r}, which is not in kb/sources.yaml"))
            elif kb is not None and not kb.sources[ref.source].url:
                problems.append(Problem(wizard.path, ref.line, f"source {ref.source!r} of a "
                                        "referral needs a public 'url'"))
    return problems


def retired_problems(wizard: Wizard) -> list[Problem]:
    """A retired id or answer must not be in use, or its permalinks would be refused."""
    problems = []
    for item in sorted(wizard.retired):
        qid, _, oid = item.partition("=")
        question = wizard.questions.get(qid)
        if (not oid and question) or (oid and question and question.option(oid)):
            problems.append(Problem(wizard.path, 1, f"retired {item!r} is still in the tree"))
    return problems


def reader_texts(wizard: Wizard) -> Iterator[tuple[int, str]]:
    """Every text a reader sees, with its line: questions, answers, reasons and outcomes."""
    for q in wizard.questions.values():
        yield q.line, q.text
        yield q.line, q.help
        for o in q.options:
            for text in (o.label, o.reason, o.settle):
                if text:
                    yield o.line, text
    for out in wizard.outcomes.values():
        for text in (out.title, out.why, *out.arrange, *out.good_to_know, *out.next_steps,
                     *(r.text for r in out.refers)):
            yield out.line, text


def copied_runs(wizard: Wizard, seeds_dir: Path | None, kb_dir: Path | None = None) -> list[Problem]:
    """Runs of 8 or more words that a reader text shares with a seed document (names on the
    allow-list of kb/shared_wording_allow.yaml count as one word, as in `kb check`)."""
    seeds = load_seeds(seeds_dir)
    if not seeds:
        return []
    runs = SeedRuns(seeds, load_allowed(kb_dir) if kb_dir else [])
    problems = []
    for line, text in reader_texts(wizard):
        for start, end, n, seed, seed_line in runs.shared(text):
            problems.append(Problem(wizard.path, line, f"{n} words copied from {seed}:{seed_line}: "
                                    f"{text[start:end]!r}; write it anew"))
    return problems


def editor_wording_problems(wizard: Wizard) -> list[Problem]:
    """Editor's notes and internal words (TODO, seed ids, 'de bron noemt geen …') in reader text."""
    return [Problem(wizard.path, line, message)
            for line, text in reader_texts(wizard) for message in reader_text_problems(text)]
