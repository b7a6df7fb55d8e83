"""Query results as bytes, with an explicit row cap: runs inside the query worker processes.

SPARQL JSON (the default, and most answers) is written by pyoxigraph's own writer into a sink that
stops it at the byte cap; its rows are counted after. The other formats are written here, by a
writer that counts rows and can stop at the cap and say so: a result with more rows than `max_rows` is never shortened, it
raises `ResultTooLarge` (answered with status 422 and a message that says to add LIMIT). The bytes
are capped too (`max_bytes`): the values are measured while they are read, so a few huge values
stop the query before the worker, or the web process it answers, holds them all
(`ResultTooManyBytes`, also 422).
Formats: SPARQL 1.1 Query Results JSON, XML, CSV and TSV for SELECT (JSON and XML for ASK);
Turtle, N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE (written by pyoxigraph).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class ResultTooLarge(Exception):
    """More rows (or triples) than the cap; carries the cap for the message."""

    def __init__(self, max_rows: int, what: str = "rows") -> None:
        super().__init__(max_rows)
        self.max_rows = max_rows
        self.what = what


class ResultTooManyBytes(Exception):
    """The answer would be larger than the byte cap; carries the cap for the message."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes)
        self.max_bytes = max_bytes


def _term_size(term: Any) -> int:
    """About what a term costs in an answer: its text (IRI, literal value, blank node id)."""
    value = getattr(term, "value", None)
    return len(value) if isinstance(value, str) else 16


def _capped(body: bytes, max_bytes: int | None) -> bytes:
    if max_bytes is not None and len(body) > max_bytes:
        raise ResultTooManyBytes(max_bytes)
    return body


class _CappedSink(io.RawIOBase):
    """Where pyoxigraph writes an answer: bytes kept until `max_bytes`, then ResultTooManyBytes,
    which stops the writer (and the query's evaluation) at once."""

    def __init__(self, max_bytes: int | None) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.size += len(chunk)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise ResultTooManyBytes(self.max_bytes)
        self.parts.append(chunk)
        return len(chunk)


def _json_solutions(solutions: Any, max_rows: int, max_bytes: int | None) -> tuple[bytes, int]:
    """SPARQL JSON written by pyoxigraph's own writer (in Rust, several times faster than ours),
    within the byte cap while it writes; its rows are counted after (parsed back, also in Rust)."""
    sink = _CappedSink(max_bytes)
    try:
        solutions.serialize(sink, format=ox.QueryResultsFormat.JSON)
    except OSError as exc:  # our sink's ResultTooManyBytes, as pyoxigraph passes it on
        if isinstance(exc.__cause__, ResultTooManyBytes) or isinstance(exc.__context__, ResultTooManyBytes):
            raise ResultTooManyBytes(max_bytes or 0) from exc
        raise
    body = b"".join(sink.parts)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if not isinstance(parsed, ox.QuerySolutions):  # a writer of solutions writes solutions
        raise TypeError("expected solutions")
    rows = 0
    for _row in parsed:
        rows += 1
        if rows > max_rows:
            raise ResultTooLarge(max_rows)
    return body, rows


def serialize_solutions(
    variables: list[str], solutions: Iterable[Any], fmt: str, max_rows: int, max_bytes: int | None = None
) -> tuple[bytes, int]:
    """(bytes, row count) of a SELECT result in `fmt`; ResultTooLarge beyond `max_rows` rows,
    ResultTooManyBytes beyond `max_bytes` (measured while reading, and on the written answer)."""
    if fmt == "sparql-json" and isinstance(solutions, ox.QuerySolutions):
        return _json_solutions(solutions, max_rows, max_bytes)
    rows: list[Any] = []
    size = 0
    for solution in solutions:
        if len(rows) >= max_rows:
            raise ResultTooLarge(max_rows)
        if max_bytes is not None:
            size += sum(_term_size(solution[i]) for i in range(len(variables)) if solution[i] is not None)
            if size > max_bytes:
                raise ResultTooManyBytes(max_bytes)
        rows.append(solution)
    writer = _WRITERS[fmt]
    return _capped(writer(variables, rows), max_bytes), len(rows)


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "sparql-json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "sparql-xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode("utf-8")
    raise ValueError(f"no boolean results in {fmt}")


def serialize_triples(
    triples: Iterable[Any], fmt: str, max_rows: int, prefixes: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
) -> tuple[bytes, int]:
    """(bytes, triple count) of a CONSTRUCT/DESCRIBE result; ResultTooLarge beyond `max_rows` triples,
    ResultTooManyBytes beyond `max_bytes`."""
    collected: list[Any] = []
    size = 0
    for triple in triples:
        if len(collected) >= max_rows:
            raise ResultTooLarge(max_rows, "triples")
        if max_bytes is not None:
            size += _term_size(triple.subject) + _term_size(triple.predicate) + _term_size(triple.object)
            if size > max_bytes:
                raise ResultTooManyBytes(max_bytes)
        collected.append(triple)
    entry = formats.get(fmt)
    use_prefixes = dict(prefixes) if prefixes and entry.prefixes else None
    if use_prefixes is not None:
        used = _used_namespaces(collected)
        use_prefixes = {p: iri for p, iri in use_prefixes.items() if iri in used}
    body = ox.serialize(collected, format=entry.rdf_format, prefixes=use_prefixes) or b""
    return _capped(body, max_bytes), len(collected)


def _used_namespaces(triples: list[Any]) -> set[str]:
    names: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                value = term.value
                cut = max(value.rfind("/"), value.rfind("#"))
                names.add(value[: cut + 1])
    return names


# -- SPARQL 1.1 Query Results JSON ----------------------------------------------------------
def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _write_json(variables: list[str], rows: list[Any]) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for name, value in zip(variables, row, strict=False):
            if value is not None:
                binding[name] = _json_term(value)
        bindings.append(binding)
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- SPARQL Query Results XML ---------------------------------------------------------------
def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _xml_text(text: str) -> str:
    return escape(text).replace("\r", "&#13;")


def _write_xml(variables: list[str], rows: list[Any]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        for name, value in zip(variables, row, strict=False):
            if value is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


# -- SPARQL 1.1 Query Results CSV and TSV ----------------------------------------------------
def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _write_csv(variables: list[str], rows: list[Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _tsv_value(term: Any) -> str:
    if term is None:
        return ""
    # N-Triples syntax: IRIs in <>, literals quoted with their language or datatype, escapes for
    # tabs and line breaks, so a value never breaks the row.
    return str(term)


def _write_tsv(variables: list[str], rows: list[Any]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_value(value) for value in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"sparql-json": _write_json, "sparql-xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
