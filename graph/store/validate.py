"""Parse and SHACL-check RDF files: the shipped ontology and data, or any given files or folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.store.evidence import QuoteProblem, check_quotes
from graph.store.files import SHAPES_FILE, parse_quads, rdf_files
from graph.store.graphstore import from_ox


@dataclass(frozen=True)
class Violation:
    """One SHACL result as plain data."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}"


@dataclass
class Report:
    files: list[Path]
    triples: int
    violations: list[Violation]
    quotes: int = 0  # quotes checked against the source documents (validate --sources)
    quote_problems: list[QuoteProblem] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.quote_problems and not any(v.severity == "Violation" for v in self.violations)


def shapes_path(settings: Mapping[str, Any]) -> Path:
    base = Path(settings["ONTOLOGY_PATH"])
    return (base if base.is_dir() else base.parent) / SHAPES_FILE


def load_union(files: Iterable[Path]) -> Graph:
    """Parse every file (syntax errors name file and line) into one union graph for SHACL."""
    union = Graph()
    for path in files:
        for quad in parse_quads(path):
            union.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return union


def validate_files(files: list[Path], shapes: Path, ontology_files: list[Path], sources: Path | None = None) -> Report:
    """SHACL-validate the union of `files` (plus the ontology, for class hierarchy) against `shapes`;
    with `sources`, also find every quote in its source document."""
    import pyshacl

    data = load_union(list(dict.fromkeys(ontology_files + files)))
    shapes_graph = load_union([shapes])
    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="rdfs", abort_on_first=False, allow_warnings=True
    )
    violations: list[Violation] = []
    if results is not None:  # warnings are reported even when the data conforms
        for result in results.subjects(RDF.type, SH.ValidationResult):
            violations.append(
                Violation(
                    focus=str(results.value(result, SH.focusNode) or ""),
                    path=_short(results.value(result, SH.resultPath)),
                    message=str(results.value(result, SH.resultMessage) or "constraint not met"),
                    severity=_short(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                    value=str(results.value(result, SH.value) or ""),
                )
            )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    report = Report(files, len(data), violations)
    if sources is not None:
        report.quotes, report.quote_problems = check_quotes(data, sources)
    return report


def validate(settings: Mapping[str, Any], paths: list[str] | None = None, sources: Path | None = None) -> Report:
    """Validate the given files/folders, or the shipped ontology and data when none are given; with
    `sources` (the folder of source documents), also check every quote against its document."""
    ontology = rdf_files([settings["ONTOLOGY_PATH"]], skip_shapes=True)
    if paths:
        files = rdf_files(paths, skip_shapes=True)
    else:
        files = ontology + rdf_files([settings["SOURCE_DATA_PATH"]])
    return validate_files(files, shapes_path(settings), ontology, sources)


def _short(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return str(term)
    return str(term)
