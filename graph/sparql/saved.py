"""Saved (example) queries: `.rq` files with a small front matter, run with safely bound parameters.

A file starts with `#+ key: value` lines, then the query:

    #+ order: 1
    #+ title_nl: Welke programma's werken aan sociale cohesie?
    #+ title_en: Which programmes address social cohesion?
    #+ description_nl: Eén zin die uitlegt wat de vraag laat zien.
    #+ description_en: One sentence that explains what the question shows.
    #+ tags: programma's, pijlers
    #+ param: pillar | type: begrip | default: sociale-cohesie | label_nl: Pijler | label_en: Pillar
    SELECT ?pillar ?programme ... WHERE { ... }

The name is the file name without `.rq`. Parameter types: an entity kind (`programma`, `begrip`,
`organisatie`, ...; the value is a slug, a prefixed name or the full IRI of that kind), `string`
(max. 200 characters) or `integer`. Values are bound as typed RDF terms through Oxigraph's
`substitutions` (SEP-0007), never pasted into the query text, so a parameter variable must be one
the query projects (it is part of every answer row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from graph.errors import N_, BadRequest, ParseError
from graph.namespaces import ID, KINDS_BY_SEGMENT, PREFIXES, SLUG_RE, entity_iri
from graph.sparql.guard import QueryRefused, check_query, tokens
from graph.store.graphstore import GraphStore
from graph.store.labels import labels

FRONT_MATTER = re.compile(r"^#\+\s*([a-z_]+)\s*:\s*(.*?)\s*$")
REQUIRED = ("title_nl", "title_en", "description_nl", "description_en")
PARAM_TYPES = tuple(KINDS_BY_SEGMENT) + ("string", "integer")
MAX_STRING = 200
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str
    label_nl: str
    label_en: str

    def term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The typed RDF term for a value given in a URL (BadRequest when it does not fit the type)."""
        value = raw.strip()
        if self.type == "string":
            if len(value) > MAX_STRING:
                raise BadRequest(N_("parameter '%(name)s': at most %(max)s characters"), name=self.name, max=MAX_STRING)
            return ox.Literal(value)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,18}", value):
                raise BadRequest(N_("parameter '%(name)s': expected a whole number, got %(value)r"),
                                 name=self.name, value=value[:40])
            return ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        return ox.NamedNode(str(entity_iri(self.type, self._slug(value))))

    def _slug(self, value: str) -> str:
        namespace = f"{ID}{self.type}/"
        if value.startswith(namespace):
            value = value[len(namespace) :]
        else:
            prefix, colon, local = value.partition(":")
            if colon and PREFIXES.get(prefix) == namespace:
                value = local
        if not SLUG_RE.match(value):
            raise BadRequest(
                N_("parameter '%(name)s': expected the short name of a %(type)s "
                   "(lowercase words joined by '-', e.g. '%(example)s'), got %(value)r"),
                name=self.name, type=self.type, example=self.default, value=value[:60],
            )
        return value


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    text: str  # the query without its front matter
    form: str
    parameters: tuple[Parameter, ...] = ()
    tags: tuple[str, ...] = ()
    order: int = 1000
    path: Path | None = field(default=None, compare=False)

    def title(self, lang: str = "nl") -> str:
        return self.title_en if lang == "en" else self.title_nl

    def description(self, lang: str = "nl") -> str:
        return self.description_en if lang == "en" else self.description_nl

    def values(self, args: Mapping[str, str], ignore: tuple[str, ...] = ()) -> dict[str, ox.NamedNode | ox.Literal]:
        """{variable: term} for the given URL arguments, defaults for the rest; BadRequest on unknown ones."""
        known = {p.name: p for p in self.parameters}
        unknown = [k for k in args if k not in known and k not in ignore]
        if unknown:
            takes = ", ".join(known) or "no parameters"
            raise BadRequest(N_("unknown parameter '%(name)s'; this query takes: %(takes)s"), name=unknown[0], takes=takes)
        return {p.name: p.term(args[p.name] if args.get(p.name) else p.default) for p in self.parameters}

    def substitutions(self, args: Mapping[str, str], ignore: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
        """(variable, N-Triples term) pairs, as a worker job takes them."""
        return tuple((name, str(term)) for name, term in self.values(args, ignore).items())

    def editor_text(self, args: Mapping[str, str] | None = None, ignore: tuple[str, ...] = ()) -> str:
        """The query as it opens in the editor: parameter values as a VALUES block at the top of WHERE.

        This is text for a person to read and change (and it runs through the same public checks);
        the API binds values with substitutions instead.
        """
        values = self.values(args or {}, ignore)
        if not values:
            return self.text
        toks = tokens(self.text)
        declared = {t.text[:-1] for i, t in enumerate(toks[1:], 1) if t.kind == "pname" and _after_prefix(toks, i)}
        shorts = {name: _short(term) for name, term in values.items()}
        missing = sorted({v.split(":", 1)[0] for v in shorts.values() if not v.startswith(("<", '"'))} - declared)
        head = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing)
        brace = next(t for t in toks if t.kind == "char" and t.text == "{")
        lines = "".join(f"\n  VALUES ?{name} {{ {short} }}" for name, short in shorts.items())
        return head + self.text[: brace.pos + 1] + lines + self.text[brace.pos + 1 :]


def _after_prefix(toks: list, i: int) -> bool:
    """True when token i directly follows a PREFIX keyword (whitespace and comments aside)."""
    j = i - 1
    while j >= 0 and toks[j].kind in ("ws", "comment"):
        j -= 1
    return j >= 0 and toks[j].kind == "word" and toks[j].text.upper() == "PREFIX"


MAX_CHOICES = 500
_CHOICES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?default ?namespace WHERE {  # the bound variables are projected, as substitution needs
  ?default a ?type . ?s a ?type .
  FILTER(STRSTARTS(STR(?s), ?namespace))
  FILTER NOT EXISTS { ?default a ?t FILTER NOT EXISTS { ?s a ?t } }
  FILTER NOT EXISTS { ?default skos:inScheme ?scheme FILTER NOT EXISTS { ?s skos:inScheme ?scheme } }
}
"""


def choices(store: GraphStore, parameter: Parameter, lang: str = "nl") -> list[tuple[str, str]]:
    """(slug, label) of the values that fit an entity parameter, sorted by label: the entities of its
    kind with every type of the default (and in its concept scheme, if it has one), so a pillar
    parameter offers the pillars and a municipality parameter the municipalities. Empty for plain
    parameters and when there are more than MAX_CHOICES (the page then keeps a text field).
    """
    if parameter.type in ("string", "integer"):
        return []
    default = parameter.term(parameter.default)
    namespace = f"{ID}{parameter.type}/"
    rows = store.select(_CHOICES, {"default": URIRef(default.value), "namespace": RDFLiteral(namespace)})
    iris = [URIRef(str(row["s"])) for row in rows]
    if not iris or len(iris) > MAX_CHOICES:
        return []
    names = labels(store, iris, lang)
    found = [(str(iri)[len(namespace):], names.get(iri) or str(iri)[len(namespace):]) for iri in iris]
    return sorted(found, key=lambda pair: (pair[1].casefold(), pair[0]))


STARTER = """PREFIX sb: <https://w3id.org/sociale-basis/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# {comment}
SELECT ?programme ?name ?ministry WHERE {{
  ?programme a/rdfs:subClassOf* sb:Programme ;
             rdfs:label ?name .
  FILTER(LANG(?name) = "{lang}")
  OPTIONAL {{ ?programme sb:responsibleMinistry ?ministry }}
}}
ORDER BY ?name
LIMIT 100
"""


def starter_query(lang: str = "nl") -> str:
    """The query the editor opens with when it is given none."""
    if lang == "en":
        return STARTER.format(comment="All programmes and agreements, with their responsible ministry", lang="en")
    return STARTER.format(comment="Alle programma's en akkoorden, met hun verantwoordelijke ministerie", lang="nl")


def _short(term: ox.NamedNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            local = term.value[len(namespace) :]
            if term.value.startswith(namespace) and SLUG_RE.match(local):
                return f"{prefix}:{local}"
    return str(term)


def load_queries(folder: Path) -> dict[str, SavedQuery]:
    """All `*.rq` files in `folder`, checked (front matter, parameters, the public query checks)."""
    loaded = [parse_query_file(path) for path in sorted(Path(folder).glob("*.rq"))]
    return {q.name: q for q in sorted(loaded, key=lambda q: (q.order, q.name))}


def parse_query_file(path: Path) -> SavedQuery:
    raw = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    lines = raw.splitlines(keepends=True)
    body_start = 0
    for number, line in enumerate(lines, start=1):
        match = FRONT_MATTER.match(line)
        if not match:
            if line.strip():
                break
            body_start = number
            continue
        body_start = number
        key, value = match.groups()
        if key == "param":
            params.append(_parameter(value, path, number))
        else:
            meta[key] = value
    name = path.stem
    if not NAME_RE.match(name):
        raise ParseError(f"query file names are lowercase words joined by '-': {name!r}", source=str(path))
    missing = [k for k in REQUIRED if not meta.get(k)]
    if missing:
        raise ParseError(f"front matter lacks {', '.join(missing)}", source=str(path), line=1)
    text = "".join(lines[body_start:]).strip() + "\n"
    try:
        checked = check_query(text)
    except QueryRefused as exc:
        raise ParseError(f"the query does not pass the public checks: {exc}", source=str(path)) from exc
    _check_projected(text, checked.form, params, path)
    return SavedQuery(
        name=name,
        title_nl=meta["title_nl"],
        title_en=meta["title_en"],
        description_nl=meta["description_nl"],
        description_en=meta["description_en"],
        text=text,
        form=checked.form,
        parameters=tuple(params),
        tags=tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip()),
        order=_order(meta.get("order", ""), path),
        path=path,
    )


def _order(value: str, path: Path) -> int:
    if not value:
        return 1000
    if not value.isdigit():
        raise ParseError(f"order must be a whole number, not {value!r}", source=str(path))
    return int(value)


def _parameter(spec: str, path: Path, line: int) -> Parameter:
    name, *pairs = [part.strip() for part in spec.split("|")]
    options: dict[str, str] = {}
    for pair in pairs:
        key, colon, value = pair.partition(":")
        if not colon:
            raise ParseError(f"parameter option {pair!r} is not 'key: value'", source=str(path), line=line)
        options[key.strip()] = value.strip()
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ParseError(f"bad parameter name {name!r}", source=str(path), line=line)
    kind = options.get("type", "")
    if kind not in PARAM_TYPES:
        raise ParseError(f"parameter {name}: type must be one of {', '.join(PARAM_TYPES)}", source=str(path), line=line)
    if not options.get("default"):
        raise ParseError(f"parameter {name} needs a default", source=str(path), line=line)
    param = Parameter(name, kind, options["default"], options.get("label_nl", name), options.get("label_en", name))
    try:
        param.term(param.default)
    except BadRequest as exc:
        raise ParseError(f"parameter {name}: bad default ({exc})", source=str(path), line=line) from exc
    return param


def _check_projected(text: str, form: str, params: list[Parameter], path: Path) -> None:
    """Substitution (SEP-0007) replaces projected variables: each parameter must be in SELECT."""
    if not params:
        return
    if form != "SELECT":
        raise ParseError("only SELECT queries can take parameters", source=str(path))
    toks = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    start = next(i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() == "SELECT")
    projected: set[str] = set()
    for tok in toks[start + 1 :]:
        if tok.text == "{" or (tok.kind == "word" and tok.text.upper() == "WHERE"):
            break
        if tok.text == "*":
            return
        if tok.kind == "var":
            projected.add(tok.text[1:])
    for param in params:
        if param.name not in projected:
            raise ParseError(f"parameter ?{param.name} must be projected by SELECT", source=str(path))
