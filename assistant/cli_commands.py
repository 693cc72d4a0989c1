"""Subcommands beyond `kb check`: index, ask, eval, bench, serve, wizard, model."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the remaining subcommands to the parser."""
