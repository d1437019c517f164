# Quick start: `make demo` builds the demo site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo serve test lint docs docs-serve clean bench-serve bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed  ## Build the demo site (site_example/) with the offline writer
	$(BIN)/mkdocs build --strict -f site_example/mkdocs.yml
	@echo
	@echo "Demo site built in site_example/site/ (open site_example/site/index.html)."
	@echo "Preview it live with: make serve"

serve: $(VENV)/.installed  ## Preview the demo site; edits to site_example/src reload the page
	$(BIN)/mkdocs serve --livereload -f site_example/mkdocs.yml

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(VENV)/.installed  ## Lint, type-check, run the test suite and both strict builds
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest
	$(BIN)/mkdocs build --strict -f site_example/mkdocs.yml
	$(BIN)/mkdocs build --strict -f mkdocs.yml

docs: $(VENV)/.installed  ## Build the project's own documentation
	$(BIN)/mkdocs build --strict -f mkdocs.yml

docs-serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --livereload -f mkdocs.yml

bench:  ## Build time and memory vs the floor and mkdocstrings + api-autonav (bench/RESULTS.md)
	$(PYTHON) bench/run.py $(BENCH_ARGS)

bench-serve: $(VENV)/.installed  ## Time save→served: cache, kept tree, one-function edits, MkDocs' floor (bench/RESULTS.md)
	$(BIN)/python bench/serve/run.py
	$(BIN)/python bench/serve/edit.py --packages networkx sqlalchemy

clean:
	rm -rf $(VENV) site site_example/site .pytest_cache .mypy_cache .ruff_cache
