"""Thin command-line interface: `python -m assistant <command>` over the library functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from assistant.settings import Settings


def cmd_kb_check(settings: Settings, args: argparse.Namespace) -> int:
    """Validate kb/ and print every problem as file:line: message; warnings fail only with --strict."""
    from assistant.content.checks import inspect_kb
    from assistant.content.kb import KnowledgeBase
    from assistant.content.problems import Problem
    from assistant.wizard import wizard_check

    today = args.today
    def wizard(kb: KnowledgeBase, kb_dir: Path) -> list[Problem]:
        return wizard_check(kb, kb_dir, settings.seeds_dir)

    kb, problems = inspect_kb(settings.kb_dir, settings.seeds_dir, extra_checks=[wizard],
                              **({"clock": lambda: today} if today else {}))
    for problem in problems:
        print(problem, file=sys.stderr)
    n_errors = sum(p.is_error for p in problems)
    n_warnings = len(problems) - n_errors
    if n_errors or (args.strict and n_warnings):
        print(f"kb check: {n_errors} error(s), {n_warnings} warning(s)", file=sys.stderr)
        return 1
    n_sections = sum(len(a.sections) for a in kb.articles)
    print(f"kb check: ok — {len(kb.articles)} articles, {n_sections} sections, "
          f"{len(kb.glossary)} glossary terms, {len(kb.sources)} sources; {n_warnings} warning(s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each subcommand names the function that runs it."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Routewijzer")
    sub = parser.add_subparsers(dest="command", required=True)

    kb = sub.add_parser("kb", help="knowledge base tools").add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="validate kb/ (errors fail; warnings are listed)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--today", type=date.fromisoformat, default=None,
                       help="check dates as if it were this day (YYYY-MM-DD)")
    check.set_defaults(func=cmd_kb_check)

    from assistant.cli import commands as cli_commands

    cli_commands.register(sub)
    from assistant.cli import gaps as cli_gaps

    cli_gaps.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, validate settings, run the command, return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except Exception as exc:  # noqa: BLE001 - pydantic reports every bad setting at once
        print(f"error: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    return int(args.func(settings, args) or 0)
