# mesotrain — the two commands a newcomer needs are `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve site check test test-fast schemas bench fuzz mutate clean help

help:
	@echo "make serve   build the course and serve it on http://127.0.0.1:8000 with live reload"
	@echo "make site    build the static site into site/ (atomically)"
	@echo "make check   validate the course (mesotrain check --strict)"
	@echo "make test    install test dependencies, the browser and Ralph (an xAPI LRS), run the whole suite"
	@echo "make bench   run the benchmarks (not part of make test)"
	@echo "make fuzz    mutate the course and result files many more times than make test does"
	@echo "make mutate  break each scoring rule in turn (Python and JS); fail if the vectors miss one"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(VENV)/.runtime

node_modules/.installed: package.json
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
	@touch $@

serve: $(VENV)/.runtime
	$(BIN)/mesotrain check
	$(BIN)/mkdocs serve -a 127.0.0.1:8000 --livereload

site: $(VENV)/.runtime
	$(BIN)/mesotrain build

check: $(VENV)/.runtime
	$(BIN)/mesotrain check --strict

schemas: $(VENV)/.runtime
	$(BIN)/mesotrain schema --out schemas

test: $(VENV)/.test $(if $(wildcard package.json),node_modules/.installed)
	./scripts/ensure-test-system
	./scripts/ensure-ralph $(PYTHON)
	$(BIN)/python -m pytest -q

bench: $(VENV)/.test
	./scripts/ensure-test-system
	@[ -x bench/node_modules/.bin/lighthouse ] || npm install --prefix bench --no-save --no-package-lock \
	  --no-audit --no-fund --silent lighthouse@12 || echo "lighthouse not installed: its row is skipped"
	$(BIN)/python bench/run.py

fuzz: $(VENV)/.test
	MESOTRAIN_FUZZ_EXAMPLES=$${MESOTRAIN_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -q \
	  tests/test_fuzz_course.py tests/results/test_hostile.py

mutate: $(VENV)/.test
	$(BIN)/python scripts/mutate.py

clean:
	rm -rf site .site-* .pytest_cache build *.egg-info
