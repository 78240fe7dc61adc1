# The two commands of the README: `make demo` (set up, load Enschede, serve the map) and
# `make test` (set up, run the whole test suite).
.PHONY: demo test setup setup-test lint serve stop bench

demo: setup
	.venv/bin/sia demo

test: setup-test
	.venv/bin/python -m pytest -rs

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

serve: setup
	.venv/bin/sia serve

stop:
	.venv/bin/sia db stop

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

bench:
	.venv/bin/python benchmarks/bench_engine.py
	.venv/bin/python benchmarks/bench_api_scores.py
