"""The route wizard: the tree from kb/wizard.yaml (`tree`), loading and checks (`check`, `rules`),
and what a result shows (`present`)."""

from __future__ import annotations

from pathlib import Path

from assistant.content.kb import KnowledgeBase
from assistant.content.problems import Problem
from assistant.wizard.check import check_wizard_file, load_wizard

__all__ = ["check_wizard_file", "load_wizard", "wizard_check"]


def wizard_check(kb: KnowledgeBase, kb_dir: Path, seeds_dir: Path | None = None) -> list[Problem]:
    """The wizard's part of `kb check`: every problem in kb/wizard.yaml, when the file exists
    (wording copied from the seeds too, when `seeds_dir` is given)."""
    path = kb_dir / "wizard.yaml"
    return check_wizard_file(path, kb, seeds_dir) if path.exists() else []
