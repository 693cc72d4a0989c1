"""Thin command-line interface: `python -m assistant <command>` over the library functions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from assistant.settings import Settings


def cmd_kb_check(settings: Settings, args: argparse.Namespace) -> int:
    """Validate kb/ and print every problem as file:line: message."""
    from assistant.content.kb import inspect_kb
    from assistant.wizard import wizard_check

    kb, problems = inspect_kb(settings.kb_dir, settings.seeds_dir, extra_checks=[wizard_check])
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"kb check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    n_sections = sum(len(a.sections) for a in kb.articles)
    print(f"kb check: ok — {len(kb.articles)} articles, {n_sections} sections, "
          f"{len(kb.glossary)} glossary terms, {len(kb.sources)} sources")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each subcommand names the function that runs it."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Routewijzer")
    sub = parser.add_subparsers(dest="command", required=True)

    kb = sub.add_parser("kb", help="knowledge base tools").add_subparsers(dest="kb_command", required=True)
    kb.add_parser("check", help="validate kb/").set_defaults(func=cmd_kb_check)

    from assistant.cli import commands as cli_commands

    cli_commands.register(sub)
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
