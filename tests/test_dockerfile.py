"""The Dockerfile builds everything at build time and downloads nothing at run time (no daemon here to build it)."""

from __future__ import annotations

import re

from assistant.settings import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [(line.split(" ", 1)[0], line.split(" ", 1)[1]) for line in joined.splitlines()
            if line.strip() and not line.startswith("#")]


def test_model_and_index_are_made_during_the_build_and_served_offline() -> None:
    steps = instructions()
    runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert "assistant model ensure" in runs and "assistant index build" in runs
    env = " ".join(arg for op, arg in steps if op == "ENV")
    assert "HF_HUB_OFFLINE=1" in env and "TRANSFORMERS_OFFLINE=1" in env
    assert [arg for op, arg in steps if op == "USER"] == ["routewijzer"]  # not root
    cmd = next(arg for op, arg in steps if op == "CMD")
    assert '"serve"' in cmd and "download" not in cmd


def test_torch_pin_matches_pyproject_and_build_outputs_stay_out_of_the_context() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pin = re.search(r'"(torch==[^"]+)"', pyproject).group(1)
    assert f'"{pin}"' in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "models", "index", "var", ".git"} <= set(ignored)
