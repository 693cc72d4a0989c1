#!/usr/bin/env bash
# Set up Routewijzer on a fresh machine: virtualenv, packages, model (converted offline), index.
# Usage: scripts/setup.sh [--test]   (--test also installs test tools and Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
WITH_TEST=0
[[ "${1:-}" == "--test" ]] && WITH_TEST=1

if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.routewijzer-$(sha256sum pyproject.toml | cut -c1-16)-$WITH_TEST"
if [[ ! -f "$stamp" ]]; then
  .venv/bin/pip install -q --upgrade pip
  # The CPU build of torch comes from local disk; pin it so nothing pulls CUDA packages.
  .venv/bin/pip install -q "torch==2.13.0"
  if [[ $WITH_TEST == 1 ]]; then
    .venv/bin/pip install -q -e ".[test]"
  else
    .venv/bin/pip install -q -e .
  fi
  touch "$stamp"
fi

if [[ $WITH_TEST == 1 ]] && ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  else
    echo "warning: Debian's chromium is missing; browser tests will be skipped (sudo apt-get install chromium)" >&2
  fi
fi

.venv/bin/python -m assistant kb check
.venv/bin/python -m assistant model ensure
.venv/bin/python -m assistant index build
