# Two commands on a fresh machine:
#   make run    install into .venv, build the store from the bundled data, serve on http://127.0.0.1:8080/
#   make test   install (with test extras and Debian's chromium for the browser tests) and run all tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test lint install install-test browser w3c-suite bench clean

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

# Debian's packages the tests use, installed when missing: Chromium for the Playwright tests
# (Playwright's own browser download is not used); PostgreSQL, Redis, Virtuoso and nginx, which the test
# fixtures start themselves in temporary folders (Oxigraph server comes with the test extras).
browser:
	@{ command -v chromium && command -v redis-server && command -v virtuoso-t && { command -v nginx || test -x /usr/sbin/nginx; } \
	   && { command -v initdb || ls /usr/lib/postgresql/*/bin/initdb; }; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium fonts-dejavu-core nginx-light postgresql redis-server virtuoso-opensource; }

# The W3C SPARQL 1.1 test suite (protocol and query evaluation tests, tests/sparql/test_w3c_*.py),
# taken from rdflib's source distribution on PyPI (pinned, checked against its SHA-256) and kept out
# of git in .cache/w3c/; downloaded only when it is not there yet. Only its sparql11 folder is kept.
W3C_SUITE = .cache/w3c/sparql11
W3C_SDIST = rdflib-7.6.0
W3C_SDIST_SHA256 = 6c831288d5e4a5a7ece85d0ccde9877d512a3d0f02d7c06455d00d6d0ea379df
$(W3C_SUITE)/manifest-all.ttl: | $(BIN)/sociale-basis
	rm -rf .cache/w3c && mkdir -p .cache/w3c
	$(BIN)/pip download --quiet --no-deps --no-binary :all: --dest .cache/w3c $(subst -,==,$(W3C_SDIST))
	echo "$(W3C_SDIST_SHA256)  .cache/w3c/$(W3C_SDIST).tar.gz" | sha256sum --check --quiet
	tar -xzf .cache/w3c/$(W3C_SDIST).tar.gz -C .cache/w3c --strip-components=5 $(W3C_SDIST)/test/data/suites/w3c/sparql11
	rm .cache/w3c/$(W3C_SDIST).tar.gz
	touch $@

w3c-suite: $(W3C_SUITE)/manifest-all.ttl

run: install
	$(BIN)/sociale-basis build
	$(BIN)/sociale-basis serve

test: install-test browser w3c-suite
	$(BIN)/pytest -q

# The gate CI runs besides the tests: ruff (pyflakes, pycodestyle, import order, bugbear) and mypy.
lint: install-test
	$(BIN)/ruff check graph webapp tests benchmarks
	$(BIN)/mypy

bench: install-test
	$(BIN)/python -m benchmarks.bench_build

clean:
	rm -rf $(VENV) var test-artifacts .cache
