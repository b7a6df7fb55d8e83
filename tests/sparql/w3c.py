"""Where the W3C SPARQL 1.1 test suite is: `make w3c-suite` puts it in .cache/w3c/sparql11 (from
rdflib's source distribution on PyPI); SOCIALE_BASIS_W3C_SUITE points elsewhere. A test that needs
it and does not find it fails, saying how to get it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT


def suite_folder() -> Path:
    """Where the sparql11 folder of the W3C suite should be."""
    return Path(os.environ.get("SOCIALE_BASIS_W3C_SUITE", ROOT / ".cache" / "w3c" / "sparql11"))


def have_suite() -> bool:
    return (suite_folder() / "manifest-all.ttl").is_file()


def suite_dir() -> Path:
    """The sparql11 folder of the W3C suite (fails the test when it is missing)."""
    if not have_suite():
        pytest.fail(f"the W3C SPARQL 1.1 test suite is not in {suite_folder()}: run `make w3c-suite`")
    return suite_folder()
