# Farmhand: the two commands a fresh machine needs are `make demo` and `make test`.
# Both do their own set-up (Debian packages, virtualenvs) through scripts/bootstrap.sh.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
QT5_PY    := .venv-qt5/bin/python
PY37      := .venv-py37/bin/python
PY313     := .venv-py313/bin/python
# Code that hosts import: tested on the oldest and newest host Pythons too (without Qt there:
# the widget tests run in test-main and test-qt5).
HOST_TESTS := tests/core tests/api tests/plugins/contract tests/plugins/maya tests/plugins/houdini \
	tests/plugins/clarisse tests/install
PYTEST_OPTS ?=

export QT_QPA_PLATFORM := offscreen
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help demo test dev setup lint typecheck test-main test-qt5 test-hosts bench soak fuzz clean

help:
	@echo "make demo   render a Blender job end to end on the embedded local farm"
	@echo "make test   the whole test suite (lint, types, PySide6, PySide2, Python 3.7 and 3.13)"
	@echo "make dev    create or refresh .venv only (run after adding a module)"
	@echo "make bench  run the benchmarks in bench/ and print their tables"
	@echo "make soak   the long soak: 50 jobs, 4 clients, 3 farm kills, crashing tasks (RELIABILITY.md)"
	@echo "make fuzz   every fuzz target for FUZZ_SECONDS (300) each, then the property tests x20"

setup:
	scripts/bootstrap.sh all

dev:
	scripts/bootstrap.sh main

demo:
	scripts/bootstrap.sh system
	scripts/bootstrap.sh main
	$(PY) examples/demo/run.py

test: setup lint typecheck test-main test-qt5 test-hosts

lint:
	$(VENV)/bin/ruff check .
	$(PY) scripts/check_layers.py

typecheck:
	$(VENV)/bin/mypy

test-main:
	QT_API=pyside6 PYTEST_QT_API=pyside6 $(PY) -m pytest $(PYTEST_OPTS)

test-qt5:
	QT_API=pyside2 PYTEST_QT_API=pyside2 $(QT5_PY) -m pytest -m ui $(PYTEST_OPTS) tests/ui \
		tests/plugins/maya

test-hosts:
	$(PY37) -m pytest -m "not ui" $(PYTEST_OPTS) $(HOST_TESTS)
	$(PY313) -m pytest -m "not ui" $(PYTEST_OPTS) $(HOST_TESTS)

bench: dev
	$(PY) -m bench.run

soak: dev
	mkdir -p build
	$(PY) tests/support/soak.py --full --json build/soak.json

# The long fuzz run (make test runs each target for 4 s in tests/fuzz): atheris per target,
# then the hypothesis properties of tests/fuzz with 20 times the examples. See RELIABILITY.md.
FUZZ_SECONDS ?= 300
fuzz: dev
	$(PY) -m fuzz.run --seconds $(FUZZ_SECONDS)
	FARMHAND_HYPOTHESIS_EXAMPLES=3000 $(PY) -m pytest $(PYTEST_OPTS) tests/fuzz \
		--ignore=tests/fuzz/test_fuzz_run.py

clean:
	rm -rf build .stamps .venv .venv-qt5 .venv-py37 .venv-py313 *.egg-info
