"""The blind evaluation: questions written from the seeds alone, scored on the answer text itself.

A question passes when the answer states every fact it asks for; a fact is a group of acceptable
wordings, matched as substrings after `normalise` (case, accents, hyphens and spacing ignored).
The set is split once into a dev half (tune on it) and a test half (report it): `split_of` hashes
the question id, so the split never changes while ids stay. See tests/eval/blind/README.md.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.answers.types import Answer
from assistant.search.lexical import fold

Facts = tuple[tuple[str, ...], ...]  # every group must be matched; any wording of a group will do
Ask = Callable[[str, list[str] | None], Answer]


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and dashes as spaces, single spaces."""
    text = fold(text)
    for dash in "-‐‑‒–—/":
        text = text.replace(dash, " ")
    return " ".join(text.split())


def states(text: str, facts: Facts) -> bool:
    """True when `text` contains at least one wording of every fact group."""
    plain = normalise(text)
    return all(any(normalise(w) in plain for w in group) for group in facts)


def split_of(item_id: str) -> str:
    """'dev' or 'test', fixed by the id: the first hex digit of its sha256 decides (even: dev)."""
    return "dev" if int(hashlib.sha256(item_id.encode()).hexdigest()[0], 16) % 2 == 0 else "test"


@dataclass(frozen=True)
class BlindQuestion:
    """An in-scope question and the facts a right answer states."""

    id: str
    q: str
    facts: Facts
    split: str


@dataclass(frozen=True)
class FollowUp:
    """A question, then an elliptic follow-up that is read in its context."""

    id: str
    first: BlindQuestion
    second: BlindQuestion
    split: str


@dataclass(frozen=True)
class OutOfScope:
    """A question the knowledge base cannot answer: unrelated, nearby, or partly answerable."""

    id: str
    q: str
    kind: str
    split: str


@dataclass
class BlindSet:
    questions: list[BlindQuestion]
    followups: list[FollowUp]
    out_of_scope: list[OutOfScope]

    def part(self, split: str | None) -> BlindSet:
        """The dev or test half (None: all)."""
        keep = (lambda x: True) if split is None else (lambda x: x.split == split)  # noqa: E731
        return BlindSet([q for q in self.questions if keep(q)], [f for f in self.followups if keep(f)],
                        [o for o in self.out_of_scope if keep(o)])


def _facts(raw: object, where: str) -> Facts:
    if not isinstance(raw, list) or not raw or not all(isinstance(g, list) and g for g in raw):
        raise ValueError(f"{where}: facts must be a non-empty list of non-empty lists")
    return tuple(tuple(str(w) for w in group) for group in raw)


def load_blind_set(folder: Path) -> BlindSet:
    """All inscope_*.yaml files and out_of_scope.yaml in `folder`."""
    questions: list[BlindQuestion] = []
    followups: list[FollowUp] = []
    for path in sorted(folder.glob("inscope_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("questions", []):
            where = f"{path.name}:{item['id']}"
            questions.append(BlindQuestion(item["id"], str(item["q"]), _facts(item["facts"], where),
                                           split_of(item["id"])))
        for item in data.get("followups", []):
            where, split = f"{path.name}:{item['id']}", split_of(item["id"])
            first = BlindQuestion(item["id"] + "/1", str(item["first"]["q"]), _facts(item["first"]["facts"], where),
                                  split)
            second = BlindQuestion(item["id"] + "/2", str(item["followup"]["q"]),
                                   _facts(item["followup"]["facts"], where), split)
            followups.append(FollowUp(item["id"], first, second, split))
    oos_path = folder / "out_of_scope.yaml"
    oos_data = yaml.safe_load(oos_path.read_text(encoding="utf-8")) if oos_path.exists() else {}
    out_of_scope = [OutOfScope(o["id"], str(o["q"]), o["kind"], split_of(o["id"]))
                    for o in (oos_data or {}).get("out_of_scope", [])]
    ids = [q.id for q in questions] + [f.id for f in followups] + [o.id for o in out_of_scope]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{folder}: duplicate ids in the blind set")
    return BlindSet(questions, followups, out_of_scope)


def _cited_text(answer: Answer) -> str:
    return "\n".join(c.passage for c in answer.citations[:3])


def words(text: str) -> int:
    """Words in an answer text (list markers and ellipses not counted)."""
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _handled(answer: Answer) -> bool:
    return answer.abstained or bool(getattr(answer, "not_in_kb", None))


def score(ask: Ask, blind: BlindSet) -> dict:
    """Answer-level figures for one part of the blind set, plus the failures (for dev only)."""
    stated = cited = abstained = flagged = 0
    lengths: list[int] = []
    failures: list[dict] = []
    for item in blind.questions:
        answer = ask(item.q, None)
        ok = not answer.abstained and states(answer.answer, item.facts)
        stated += ok
        cited += not answer.abstained and states(_cited_text(answer), item.facts)
        abstained += answer.abstained
        flagged += bool(getattr(answer, "not_in_kb", None))
        if not answer.abstained:
            lengths.append(words(answer.answer))
        if not ok:
            failures.append({"id": item.id, "q": item.q, "facts": [list(g) for g in item.facts],
                             "abstained": answer.abstained, "not_in_kb": getattr(answer, "not_in_kb", None),
                             "cited": [c.url for c in answer.citations], "answer": answer.answer})
    follow_ok = 0
    for pair in blind.followups:
        answer = ask(pair.second.q, [pair.first.q])
        ok = not answer.abstained and states(answer.answer, pair.second.facts)
        follow_ok += ok
        if not ok:
            failures.append({"id": pair.id, "q": f"{pair.first.q} → {pair.second.q}",
                             "facts": [list(g) for g in pair.second.facts], "abstained": answer.abstained,
                             "cited": [c.url for c in answer.citations], "answer": answer.answer})
    kinds: dict[str, list[bool]] = {}
    for o in blind.out_of_scope:
        answer = ask(o.q, None)
        kinds.setdefault(o.kind, []).append(_handled(answer))
        if not _handled(answer):
            failures.append({"id": o.id, "q": o.q, "kind": o.kind, "cited": [c.url for c in answer.citations],
                             "answer": answer.answer})
    n, n_oos = len(blind.questions), len(blind.out_of_scope)
    handled = sum(sum(v) for v in kinds.values())
    return {
        "n_in_scope": n, "n_followups": len(blind.followups), "n_out_of_scope": n_oos,
        "answer_states_facts": _rate(stated, n),
        "facts_in_cited_passages": _rate(cited, n),
        "in_scope_wrongly_abstained": _rate(abstained, n),
        "in_scope_marked_not_in_kb": _rate(flagged, n),
        "followups_right": _rate(follow_ok, len(blind.followups)),
        "out_of_scope_handled": _rate(handled, n_oos),
        **{f"out_of_scope_handled_{k}": _rate(sum(v), len(v)) for k, v in sorted(kinds.items())},
        "answer_words_median": statistics.median(lengths) if lengths else 0,
        "answer_words_p90": _p90(lengths),
        "failures": failures,
    }


def _rate(k: int, n: int) -> float:
    return round(k / n, 3) if n else 0.0


def _p90(values: Iterable[int]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else 0


# Held-out sets: reported whole, never tuned on, their failures never listed (tests/eval/<name>/README.md).
HELD_OUT_SETS = ("blind2", "blind4", "blind5", "blind6", "blind9")

BLIND_MEASURES = ("answer_states_facts", "facts_in_cited_passages", "in_scope_wrongly_abstained",
                  "in_scope_marked_not_in_kb",
                  "followups_right", "out_of_scope_handled", "out_of_scope_handled_unrelated",
                  "out_of_scope_handled_nearby", "out_of_scope_handled_partial",
                  "answer_words_median", "answer_words_p90")


def format_blind(parts: dict[str, dict]) -> str:
    """A Markdown table with one column per part (dev, test)."""
    names = list(parts)
    lines = ["| blind set | " + " | ".join(f"{p} ({parts[p]['n_in_scope']} q, {parts[p]['n_followups']} follow-ups, "
                                            f"{parts[p]['n_out_of_scope']} oos)" for p in names) + " |",
             "|---|" + "---|" * len(names)]
    for m in BLIND_MEASURES:
        lines.append(f"| {m.replace('_', ' ')} | " + " | ".join(str(parts[p].get(m, '')) for p in names) + " |")
    return "\n".join(lines)
