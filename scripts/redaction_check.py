"""How many words of the team's questions the question log would redact as names (false redactions).

The team-written questions (tests/eval/*.yaml: questions_a/b/c/faq, out_of_scope,
calibration_out_of_scope) are about routes, not people, so nearly every word redacted as a name is
one an editor loses. Prints each question that lost words, the words, and the totals; place and
club names are listed too, so a reader can tell them apart from ordinary words.

    PYTHONPATH=. .venv/bin/python scripts/redaction_check.py [--show] [--dir tests/eval/blind3]
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections import Counter
from pathlib import Path

import yaml

from assistant.content.kb import load_kb
from assistant.insights.question_log import kb_vocabulary
from assistant.insights.redact import NAME, redact
from assistant.quality.blind import HELD_OUT_SETS
from assistant.settings import Settings

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"
FILES = ("questions_a.yaml", "questions_b.yaml", "questions_c.yaml", "questions_faq.yaml", "out_of_scope.yaml",
         "calibration_out_of_scope.yaml")


def questions(paths: list[Path]) -> list[str]:
    """Every question text in these files (follow-ups included)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("q"), str):
                found.append(node["q"])
            for key, value in node.items():
                if key != "facts" and isinstance(value, list | dict):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, list):  # out_of_scope.yaml: a plain list of questions
            found += [item for item in data if isinstance(item, str)]
        walk(data)
    return found


def redacted_words(before: str, after: str) -> list[str]:
    """The words of `before` that became [naam] in `after`."""
    a, b = re.findall(r"\S+", before), re.findall(r"\S+", after)
    lost: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("replace", "delete") and any(NAME in w for w in b[j1:j2]):
            lost += [w.strip(".,?!;:()\"'") for w in a[i1:i2]]
    return lost


def main() -> int:
    """Print the questions that lost words to name redaction and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every question that lost a word")
    parser.add_argument("--dir", type=Path, help="instead: the questions of every *.yaml in this folder "
                                                 "(a tuning set; never blind/ or a held-out set)")
    args = parser.parse_args()
    if args.dir is not None and args.dir.resolve().name in ("blind", *HELD_OUT_SETS):
        parser.error(f"blind/ and the held-out sets ({', '.join(HELD_OUT_SETS)}) stay unread")
    settings = Settings()
    known = kb_vocabulary(load_kb(settings.kb_dir, settings.seeds_dir))
    qs = questions(sorted(args.dir.glob("*.yaml")) if args.dir else [EVAL / name for name in FILES])
    words = sum(len(re.findall(r"\S+", q)) for q in qs)
    lost: Counter[str] = Counter()
    hit = 0
    for q in qs:
        out = redact(q, known)
        gone = redacted_words(q, out)
        if gone:
            hit += 1
            lost.update(gone)
            if args.show:
                print(f"- {q}\n  → {out}")
    print(f"{len(qs)} questions, {words} words: {sum(lost.values())} words redacted as names in {hit} questions")
    for word, count in lost.most_common():
        print(f"  {count}× {word}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
