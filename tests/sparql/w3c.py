"""Where the W3C SPARQL 1.1 test suite is: `make w3c-suite` puts it in .cache/w3c/sparql11 (from
rdflib's pinned source distribution on PyPI; git-ignored). W3C_SPARQL11_SUITE points elsewhere (not
a SOCIALE_BASIS_ variable: the app refuses unknown ones of those). A test that needs the suite and
does not find it fails, saying how to get it: a missing suite must not pass as skipped tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT


def suite_folder() -> Path:
    """Where the sparql11 folder of the W3C suite should be."""
    return Path(os.environ.get("W3C_SPARQL11_SUITE", ROOT / ".cache" / "w3c" / "sparql11"))


def have_suite() -> bool:
    """True when the suite is there (manifest-all.ttl is the last file `make w3c-suite` writes)."""
    return (suite_folder() / "manifest-all.ttl").is_file()


def suite_dir() -> Path:
    """The sparql11 folder of the W3C suite (fails the test when it is missing)."""
    if not have_suite():
        pytest.fail(f"the W3C SPARQL 1.1 test suite is not in {suite_folder()}: run `make w3c-suite`")
    return suite_folder()
