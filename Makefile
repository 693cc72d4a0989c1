# Two commands for a newcomer: `make run` and `make test` (see README).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint eval bench

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/python -m assistant serve --host $(HOST) --port $(PORT)

test:
	bash scripts/setup.sh --test
	.venv/bin/python -m ruff check assistant tests
	.venv/bin/python -m pytest

lint:
	.venv/bin/python -m ruff check assistant tests

eval:
	.venv/bin/python -m assistant eval

bench:
	.venv/bin/python -m assistant bench
