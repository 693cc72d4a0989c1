"""`python -m assistant ask`: one question, or a batch file as JSON lines, from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.answers.types import Answer, QuestionError
from assistant.search.index import IndexNotReady
from assistant.settings import Settings

BATCH = 16  # questions per batched query embedding in `ask --batch`


def format_answer(answer: Answer, contact: str = "") -> str:
    """Readable text for the terminal: the answer and its sources (and who to contact, if none)."""
    lines = [answer.answer, ""]
    if answer.outdated:
        lines += [answer.outdated, ""]
    if answer.citations:
        lines.append("Bronnen:")
        for n, c in enumerate(answer.citations, start=1):
            lines.append(f"  [{n}] {c.title} — {c.section} ({c.url}), bijgewerkt {c.last_reviewed}")
            if c.stand:
                lines.append(f"      Stand: {c.stand}")
    if answer.related:
        lines.append("Lees ook:" if not answer.abstained else "Misschien helpen deze onderwerpen:")
        lines += [f"  - {r.section + ' — ' if r.section else ''}{r.title} ({r.url})" for r in answer.related]
    if answer.abstained and contact:
        lines.append(f"U kunt ook contact opnemen met {contact}.")
    lines.append(f"(zekerheid {answer.confidence:.2f})")
    return "\n".join(lines)


def run_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Validate input before loading anything heavy, then answer."""
    from assistant.answers.types import validate_question

    questions: list[str]
    if args.batch:
        try:
            raw = args.batch.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {args.batch} as UTF-8 text: {exc}", file=sys.stderr)
            return 2
        if "\x00" in text:
            print(f"error: {args.batch} is not a text file", file=sys.stderr)
            return 2
        questions = [line for line in text.splitlines() if line.strip()]
        if not questions:
            print(f"error: {args.batch} holds no questions", file=sys.stderr)
            return 2
        for n, q in enumerate(questions, start=1):
            try:
                validate_question(q, settings.max_question_chars)
            except QuestionError as exc:
                print(f"error: {args.batch}:{n}: {exc}", file=sys.stderr)
                return 2
    else:
        try:
            questions = [validate_question(args.question if args.question is not None else "",
                                           settings.max_question_chars)]
        except QuestionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    from assistant.engine import Routewijzer

    try:
        rw = Routewijzer.load(settings, purpose="once" if len(questions) == 1 else "batch")
    except IndexNotReady as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    try:
        for start in range(0, len(questions), BATCH):  # one batched embedding per BATCH questions
            for answer in rw.ask_many([(q, None) for q in questions[start:start + BATCH]]):
                if isinstance(answer, QuestionError):  # cannot happen: every question was validated
                    raise answer
                if args.json or args.batch:
                    print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
                else:
                    print(format_answer(answer, settings.contact))
    finally:
        rw.close()
    return 0
