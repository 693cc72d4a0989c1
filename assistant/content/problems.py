"""Precise validation errors (file, line, what is wrong) and YAML line lookup for declarative data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a knowledge-base file."""

    file: str
    line: int
    message: str
    level: str = "error"  # "error" fails `kb check` and stops the app; "warning" is reported only

    def __str__(self) -> str:
        tag = "warning: " if self.level == "warning" else ""
        return f"{self.file}:{self.line}: {tag}{self.message}"

    @property
    def is_error(self) -> bool:
        """True unless this is only a warning."""
        return self.level != "warning"


def warning(file: str, line: int, message: str) -> Problem:
    """A problem worth an editor's look that does not fail `kb check` (e.g. a rule past its end date)."""
    return Problem(file, line, message, "warning")


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the problems that fail `kb check`."""
    return [p for p in problems if p.is_error]


class KBError(Exception):
    """Raised when declarative data cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """Path relative to the working directory when possible, for readable messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def yaml_lines(text: str, offset: int = 0) -> dict[tuple, int]:
    """Map each key path in a YAML document, e.g. ('sources', 0), to its 1-based line number."""
    lines: dict[tuple, int] = {}
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return lines

    def walk(n: Any, path: tuple) -> None:
        lines[path] = n.start_mark.line + 1 + offset
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                lines[path + (key.value,)] = key.start_mark.line + 1 + offset
                walk(value, path + (key.value,))
                lines[path + (key.value,)] = key.start_mark.line + 1 + offset
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, path + (i,))

    if node is not None:
        walk(node, ())
    return lines


def line_of(lines: dict[tuple, int], *path: Any, default: int = 1) -> int:
    """Line of the deepest known prefix of `path`."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return default


def load_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Load a YAML file with its line map; raise KBError with the parser's position on bad YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KBError([Problem(display_path(path), 1, f"cannot read file: {exc}")]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise KBError([Problem(display_path(path), line, f"invalid YAML: {exc}")]) from exc
    return data, yaml_lines(text)
