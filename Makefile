# Two commands on a fresh machine:
#   make run    install into .venv, build the store from the bundled data, serve on http://127.0.0.1:8080/
#   make test   install (with test extras and Debian's chromium for the browser tests) and run all tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test lint install install-test browser bench clean

$(BIN)/sociale-basis: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/sociale-basis

$(VENV)/.test-installed: $(BIN)/sociale-basis
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install-test: $(VENV)/.test-installed

# Debian's Chromium for the Playwright tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }

run: install
	$(BIN)/sociale-basis build
	$(BIN)/sociale-basis serve

test: install-test browser
	$(BIN)/pytest -q

# The gate CI runs besides the tests: ruff (pyflakes, pycodestyle, import order, bugbear) and mypy.
lint: install-test
	$(BIN)/ruff check graph webapp tests benchmarks
	$(BIN)/mypy

bench: install-test
	$(BIN)/python -m benchmarks.bench_build

clean:
	rm -rf $(VENV) var test-artifacts
