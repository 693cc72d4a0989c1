"""Closed questions: does the answer open with the right "Ja" or "Nee"?

A section's opening "Ja."/"Nee." answers its own heading. When a question with another premise or the
opposite direction lands there ("mag de route ook pas in klas 4 beginnen?" on "Moet een doorlopende
leerroute in klas 3 beginnen? Nee, …"), that opening is wrong. tests/eval/yesno/ holds closed questions
written from the seeds alone, each with the right opening (ja, nee, or "hangt ervan af": only under a
condition) and the fact a right answer states; split into dev and test by id like the blind set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.answers.types import Answer
from assistant.quality.blind import Facts, _facts, split_of, states

OPENINGS = ("ja", "nee", "hangt ervan af")
_OPENS = re.compile(r"^(ja|nee)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ClosedQuestion:
    """A yes/no question with its right opening and the fact a right answer states."""

    id: str
    q: str
    answer: str  # one of OPENINGS
    facts: Facts
    split: str


def load_yesno_set(folder: Path) -> list[ClosedQuestion]:
    """Every `yesno:` item of the folder's YAML files, checked."""
    items: list[ClosedQuestion] = []
    for path in sorted(folder.glob("*.yaml")):
        for n, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")).get("yesno") or []):
            where = f"{path.name} item {n + 1}"
            if raw.get("answer") not in OPENINGS:
                raise ValueError(f"{where}: answer must be one of {', '.join(OPENINGS)}")
            items.append(ClosedQuestion(str(raw["id"]), str(raw["q"]), raw["answer"],
                                        _facts(raw.get("facts"), where), split_of(str(raw["id"]))))
    if len({i.id for i in items}) != len(items):
        raise ValueError(f"{folder}: duplicate ids")
    return items


def opening(text: str) -> str | None:
    """'ja' or 'nee' when the answer opens with it, else None."""
    m = _OPENS.match(text.strip())
    return m.group(1).lower() if m else None


def score_yesno(ask: Callable[[str, list[str] | None], Answer], items: list[ClosedQuestion]) -> dict:
    """Shares of closed questions whose answer opens with the right, the wrong or no yes/no."""
    right = wrong = none = depends_opened = stated = 0
    failures = []
    closed = [i for i in items if i.answer != "hangt ervan af"]
    for item in items:
        answer = ask(item.q, None)
        said = None if answer.abstained else opening(answer.answer)
        stated += not answer.abstained and states(answer.answer, item.facts)
        if item.answer == "hangt ervan af":
            depends_opened += said is not None
            continue
        if said is None:
            none += 1
        elif said == item.answer:
            right += 1
        else:
            wrong += 1
            failures.append({"id": item.id, "q": item.q, "expected": item.answer, "answer": answer.answer[:160]})
    n = len(closed) or 1
    return {"n": len(items), "n_closed": len(closed), "yes_no_right": round(right / n, 3),
            "yes_no_wrong": round(wrong / n, 3), "yes_no_none": round(none / n, 3),
            "depends_opened_with_yes_no": round(depends_opened / max(1, len(items) - len(closed)), 3),
            "facts_stated": round(stated / max(1, len(items)), 3), "failures": failures}


YESNO_MEASURES = ("yes_no_right", "yes_no_wrong", "yes_no_none", "depends_opened_with_yes_no", "facts_stated")


def format_yesno(parts: dict[str, dict]) -> str:
    """A Markdown table with one column per half (dev, test)."""
    names = list(parts)
    lines = ["| closed questions | " + " | ".join(f"{p} ({parts[p]['n']} q, {parts[p]['n_closed']} ja/nee)"
                                                for p in names) + " |", "|---|" + "---|" * len(names)]
    for m in YESNO_MEASURES:
        lines.append(f"| {m.replace('_', ' ')} | " + " | ".join(str(parts[p][m]) for p in names) + " |")
    return "\n".join(lines)
