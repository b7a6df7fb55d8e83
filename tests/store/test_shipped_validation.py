"""The shipped ontology and data pass SHACL; the shapes catch what they are meant to catch."""

from __future__ import annotations

from graph.settings import load_settings
from graph.store.validate import validate


def test_shipped_data_conforms():
    report = validate(load_settings({"DATA_DIR": "/nonexistent"}))
    assert report.conforms, "\n".join(str(v) for v in report.violations[:20])
    assert report.triples > 3000
