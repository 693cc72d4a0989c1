"""The package layout's import rule (docs/architecture.md), enforced with import-linter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.settings import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True, env=env, timeout=120)


def test_imports_point_one_way_and_have_no_cycles() -> None:
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 kept, 0 broken" in out.stdout


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "assistant", tmp_path / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_lower_stage_importing_a_higher_one_fails(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    kb = root / "assistant" / "content" / "kb.py"
    kb.write_text(kb.read_text(encoding="utf-8") + "\nfrom assistant.engine import Routewijzer  # noqa\n",
                  encoding="utf-8")
    out = _lint(root)
    assert out.returncode != 0
    assert "assistant.content.kb -> assistant.engine" in out.stdout


def test_a_module_outside_every_stage_fails(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "assistant" / "stray.py").write_text('"""Not placed in a stage."""\n', encoding="utf-8")
    out = _lint(root)
    assert out.returncode != 0
    assert "assistant.stray" in out.stdout
