"""Finding and parsing the shipped RDF files, with errors that name the file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from graph.errors import NotFound, ParseError

FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
SHAPES_FILE = "shapes.ttl"


def rdf_files(paths: Iterable[str | Path], *, skip_shapes: bool = False) -> list[Path]:
    """The RDF files in the given files or folders (recursively), sorted; missing paths are errors."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in FORMATS_BY_SUFFIX and p.is_file()))
        elif path.is_file():
            if path.suffix not in FORMATS_BY_SUFFIX:
                raise ParseError(f"unknown RDF file type '{path.suffix}' (use {', '.join(FORMATS_BY_SUFFIX)})", source=str(path))
            found.append(path)
        else:
            raise NotFound(f"no such file or folder: {path}")
    if skip_shapes:
        found = [p for p in found if p.name != SHAPES_FILE]
    return found


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS_BY_SUFFIX[path.suffix]
    except KeyError:
        raise ParseError(f"unknown RDF file type '{path.suffix}'", source=str(path)) from None


def parse_quads(path: Path) -> list[ox.Quad]:
    """All quads of one file; a syntax error becomes a ParseError naming file and line."""
    try:
        return list(ox.parse(path=str(path), format=rdf_format(path)))
    except SyntaxError as exc:
        raise syntax_error(exc, path) from exc


def syntax_error(exc: SyntaxError, path: Path | str) -> ParseError:
    """Turn pyoxigraph's SyntaxError into our ParseError with file and line."""
    message = exc.msg if exc.msg else str(exc)
    return ParseError(message, source=str(path), line=exc.lineno)


def content_hash(files: Iterable[Path], roots: Iterable[Path], salt: str = "") -> str:
    """SHA-256 over the relative names and bytes of the files: changes when any shipped file changes."""
    digest = hashlib.sha256(salt.encode())
    root_list = [r.resolve() for r in roots]
    for path in sorted(files, key=lambda p: str(p)):
        resolved = path.resolve()
        name = str(resolved)
        for root in root_list:
            base = root if root.is_dir() else root.parent
            if resolved.is_relative_to(base):
                name = f"{root.name}/{resolved.relative_to(base)}"
                break
        digest.update(name.encode() + b"\0")
        digest.update(resolved.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
