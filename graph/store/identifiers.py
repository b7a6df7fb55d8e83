"""External identifiers and all municipalities, from the sources `identifiers.tsv` and `gemeenten-2025.tsv`.

Both files are sources in their own right (see ../shared/sources/README.md), so their facts become
named graphs of their own, with the source named per value:

- `identifiers.tsv` gives one value per row, each with its own upstream `source` (a file of a
  public repository at a commit, or a web page). Rows are grouped by that source: one named graph
  per upstream source (`id/bron/ids-<slug>`), described in `graph/bronnen` with its URL and
  `dcterms:isPartOf` the file. A web page that is already a source of the graph is reused (one
  URL, one source).
- `gemeenten-2025.tsv` gives all 342 municipalities: the CBS code, name and province come from the
  CBS/PDOK 2025 list (graph `id/bron/gemeenten-2025-cbs`), the Wikidata item, TOOI, OIN and website
  from `anneschuth/polder` (graph `id/bron/gemeenten-2025-polder`, with the polder file named per
  municipality through `prov:wasDerivedFrom`).

Modelling (README: the CBS code and Wikidata item identify the territory; TOOI, OIN and website the
gemeente as government body): a municipality is `id/plaats/<slug>` (`sb:Municipality`) with
`sb:cbsCode`, `schema:containedInPlace` its province (`sb:Province`) and `schema:sameAs` its Wikidata
item; its government is `id/organisatie/gemeente-<slug>` (`sb:MunicipalityOrganisation`) that
`sb:governs` it, with `sb:tooi`, `sb:oin` and `schema:url`. A merged municipality (Uden, GM0856, in
Maashorst since 2022-01-01) keeps its former code as `sb:formerCbsCode` and is `sb:mergedInto` the
current one. Values whose note records a doubt or a disagreement between sources are stated by
neither (the README: "state neither as fact"); `SKIPPED` lists them.

`write(sources_dir, out_dir)` writes the TriG files shipped in data/identifiers/; the test in
tests/store/ regenerates them from ../shared/sources/ and compares.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from graph.namespaces import BASE, GRAPH_SOURCES, ID, PREFIXES, slugify
from graph.store.files import rdf_format

SB = BASE + "def/"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
WIKIDATA = "http://www.wikidata.org/entity/"

IDENTIFIERS_FILE = "identifiers.tsv"
MUNICIPALITIES_FILE = "gemeenten-2025.tsv"
OUT_FILES = ("identifiers.trig", "gemeenten-2025.trig")
FILE_SOURCES = {IDENTIFIERS_FILE: ID + "bron/identifiers", MUNICIPALITIES_FILE: ID + "bron/gemeenten-2025"}
CBS_GRAPH = ID + "bron/gemeenten-2025-cbs"
POLDER_GRAPH = ID + "bron/gemeenten-2025-polder"
DOUBT_MARKERS = ("DISAGREEMENT", "DOUBT")
# Merged municipalities: (place slug, former code, current municipality slug, date), as the README states.
MERGED = (("uden", "GM0856", "maashorst", "2022-01-01"),)
# Places the sources README says lie in a municipality (its notes on gemeenten-2025.tsv): (place, municipality).
CONTAINED = (("zaandam", "zaanstad"),)
# Wikidata items the file gives for a place that are another place's: (place slug, QID) -> owner slug.
QID_OWNER = {("uden", "Q104758976"): "maashorst"}

Quad = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.Literal | ox.BlankNode, ox.NamedNode]


@dataclass(frozen=True)
class Row:
    entity: str
    label: str
    kind: str
    value: str
    source: str
    note: str


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(text, language=lang)
    return ox.Literal(text, datatype=_n(datatype)) if datatype else ox.Literal(text)


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [Row(r["entity_iri"], r["label"], r["id_kind"], r["value"].strip(), r["source"], r.get("note") or "")
                for r in reader]


def read_municipalities(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def source_url(source: str) -> str:
    """A web address for an upstream source: 'owner/repo:path@commit' -> its GitHub blob URL."""
    if source.startswith("http"):
        return source
    repo, _, rest = source.partition(":")
    path, _, commit = rest.partition("@")
    return f"https://github.com/{repo}/blob/{commit or 'HEAD'}/{path}"


def source_slug(source: str) -> str:
    if source.startswith("http"):
        return "ids-" + slugify(source.split("://", 1)[1], 60)
    repo, _, rest = source.partition(":")
    path = rest.partition("@")[0]
    owner_repo = repo.split("/")[-1]
    return "ids-" + slugify(f"{owner_repo} {path.rsplit('.', 1)[0].replace('data/organisaties/', '')}", 60)


def known_sources(data_dir: Path) -> dict[str, str]:
    """{web address: source IRI} of the sources the shipped data already describes."""
    store = ox.Store()
    for path in sorted(Path(data_dir).rglob("*.trig")):
        if "identifiers" not in path.parts:
            store.bulk_load(path=str(path), format=rdf_format(path))
    found: dict[str, str] = {}
    query = f"SELECT ?s ?u WHERE {{ GRAPH <{GRAPH_SOURCES}> {{ ?s <{SCHEMA}url> ?u }} }}"
    for solution in store.query(query):  # type: ignore[union-attr]  # a SELECT gives solutions
        found.setdefault(str(solution["u"].value).rstrip("/"), str(solution["s"].value))
    return found


def _place(slug: str) -> str:
    return ID + "plaats/" + slug


def _organisation(slug: str) -> str:
    return ID + "organisatie/" + slug


def _municipality_slug(entity: str) -> str | None:
    """The territory's slug for a place or a 'gemeente-<slug>' organisation IRI."""
    if entity.startswith(ID + "plaats/"):
        return entity.rsplit("/", 1)[1]
    if entity.startswith(ID + "organisatie/gemeente-"):
        return entity.rsplit("/", 1)[1].removeprefix("gemeente-")
    return None


SKIPPED: list[tuple[str, str, str]] = []  # (entity, kind, value) stated by neither (doubt or disagreement)


def identifier_quads(rows: Iterable[Row], sources: dict[str, str]) -> Iterator[Quad]:
    """The facts of identifiers.tsv, each in the graph of its upstream source."""
    described: set[str] = set()
    for row in rows:
        if any(marker in row.note for marker in DOUBT_MARKERS):
            SKIPPED.append((row.entity, row.kind, row.value))
            continue
        url = source_url(row.source)
        graph = sources.get(url.rstrip("/")) or ID + "bron/" + source_slug(row.source)
        g = _n(graph)
        if graph not in described and graph not in sources.values():
            described.add(graph)
            yield from _source_description(graph, row.source, url, IDENTIFIERS_FILE)
        slug = _municipality_slug(row.entity)
        if row.kind == "cbs_gemeentecode":
            if slug is None:
                continue
            merged = next((m for m in MERGED if m[0] == slug), None)
            if merged is not None:  # the file gives the code of the municipality Uden lies in now
                yield (_n(_place(slug)), _n(SB + "mergedInto"), _n(_place(merged[2])), g)
                continue
            yield (_n(_place(slug)), _n(SB + "cbsCode"), _lit(row.value), g)
        elif row.kind == "wikidata":
            owner = QID_OWNER.get((slug or "", row.value), slug) if slug else None
            subject = _place(owner) if owner else row.entity
            yield (_n(subject), _n(SCHEMA + "sameAs"), _n(WIKIDATA + row.value), g)
        else:
            # TOOI, OIN and website identify the gemeente as government body: a place's go to the body governing it.
            body = _organisation("gemeente-" + slug) if row.entity.startswith(ID + "plaats/") and slug else row.entity
            if row.kind == "tooi":
                yield (_n(body), _n(SB + "tooi"), _n(row.value), g)
            elif row.kind == "oin":
                yield (_n(body), _n(SB + "oin"), _lit(row.value), g)
            elif row.kind == "website":
                yield (_n(body), _n(SCHEMA + "url"), _lit(row.value, datatype=XSD + "anyURI"), g)


def _source_description(graph: str, source: str, url: str, part_of: str) -> Iterator[Quad]:
    meta, s = _n(GRAPH_SOURCES), _n(graph)
    title = source.partition("@")[0]
    yield (s, _n(RDF_TYPE), _n(SB + "Source"), meta)
    yield (s, _n(RDFS + "label"), _lit(title, "nl"), meta)
    yield (s, _n(RDFS + "label"), _lit(title, "en"), meta)
    yield (s, _n(DCTERMS + "title"), _lit(title), meta)
    yield (s, _n(SCHEMA + "url"), _lit(url, datatype=XSD + "anyURI"), meta)
    yield (s, _n(DCTERMS + "isPartOf"), _n(FILE_SOURCES[part_of]), meta)
    yield (s, _n(SB + "sourceFile"), _lit(part_of), meta)  # where the values stand, beside the project


def _file_source(iri: str, file_name: str, title_nl: str, title_en: str) -> Iterator[Quad]:
    meta, s = _n(GRAPH_SOURCES), _n(iri)
    yield (s, _n(RDF_TYPE), _n(SB + "Source"), meta)
    yield (s, _n(RDFS + "label"), _lit(title_nl, "nl"), meta)
    yield (s, _n(RDFS + "label"), _lit(title_en, "en"), meta)
    yield (s, _n(DCTERMS + "title"), _lit(title_nl), meta)
    yield (s, _n(SB + "sourceFile"), _lit(file_name), meta)


def municipality_quads(rows: list[dict[str, str]], known_places: dict[str, str]) -> Iterator[Quad]:
    """All municipalities: code, name and province (CBS list), and Wikidata, TOOI, OIN, website (polder)."""
    cbs, polder = _n(CBS_GRAPH), _n(POLDER_GRAPH)
    yield from _source_description(CBS_GRAPH, "entranos/regioviewer:data/gemeenten.csv@0a7ee9d",
                                   source_url("entranos/regioviewer:data/gemeenten.csv@0a7ee9d"), MUNICIPALITIES_FILE)
    yield from _source_description(POLDER_GRAPH, "anneschuth/polder:data/organisaties/gemeenten@82b2d3b",
                                   source_url("anneschuth/polder:data/organisaties/gemeenten@82b2d3b"), MUNICIPALITIES_FILE)
    provinces: set[str] = set()
    for row in rows:
        code, name, province = row["gm_code"].strip(), row["cbs_name_2025"].strip(), row["province"].strip()
        slug = known_places.get(code) or slugify(name)
        place, body = _n(_place(slug)), _n(_organisation("gemeente-" + slug))
        province_iri = _n(_place("provincie-" + slugify(province)))
        yield (place, _n(RDF_TYPE), _n(SB + "Municipality"), cbs)
        yield (place, _n(RDFS + "label"), _lit(name, "nl"), cbs)
        yield (place, _n(RDFS + "label"), _lit(name, "en"), cbs)  # a proper name: the same in English
        yield (place, _n(SB + "cbsCode"), _lit(code), cbs)
        yield (place, _n(SCHEMA + "containedInPlace"), province_iri, cbs)
        if province not in provinces:
            provinces.add(province)
            yield (province_iri, _n(RDF_TYPE), _n(SB + "Province"), cbs)
            yield (province_iri, _n(RDFS + "label"), _lit(province, "nl"), cbs)
            yield (province_iri, _n(RDFS + "label"), _lit(province, "en"), cbs)
        if row.get("wikidata"):
            yield (place, _n(SCHEMA + "sameAs"), _n(WIKIDATA + row["wikidata"].strip()), polder)
        yield (body, _n(RDF_TYPE), _n(SB + "MunicipalityOrganisation"), polder)
        body_name = row.get("polder_name") or f"Gemeente {name}"
        yield (body, _n(RDFS + "label"), _lit(body_name, "nl"), polder)
        yield (body, _n(RDFS + "label"), _lit(body_name, "en"), polder)  # the body's name, not translated
        yield (body, _n(SB + "governs"), place, polder)
        if row.get("tooi"):
            yield (body, _n(SB + "tooi"), _n(row["tooi"].strip()), polder)
        if row.get("oin"):
            yield (body, _n(SB + "oin"), _lit(row["oin"].strip()), polder)
        if row.get("website"):
            yield (body, _n(SCHEMA + "url"), _lit(row["website"].strip(), datatype=XSD + "anyURI"), polder)
        if row.get("polder_file"):
            yield (body, _n(PROV + "wasDerivedFrom"),
                   _n(source_url(f"anneschuth/polder:{row['polder_file'].strip()}@82b2d3b07f6d8ec2cfc2efe79e60856e56008227")), polder)
    readme = _n(FILE_SOURCES[MUNICIPALITIES_FILE])
    for place_slug, municipality in CONTAINED:
        yield (_n(_place(place_slug)), _n(SCHEMA + "containedInPlace"), _n(_place(municipality)), readme)
    for slug, former, current, date in MERGED:
        place = _n(_place(slug))
        yield (place, _n(SB + "formerCbsCode"), _lit(former), polder)
        yield (place, _n(SB + "mergedInto"), _n(_place(current)), polder)
        yield (place, _n(SCHEMA + "dissolutionDate"), _lit(date, datatype=XSD + "date"), polder)


def _serialize(quads: Iterable[Quad]) -> bytes:
    unique = sorted(set(quads), key=lambda q: (str(q[3]), str(q[0]), str(q[1]), str(q[2])))
    items = [ox.Quad(s, p, o, g) for s, p, o, g in unique]
    return ox.serialize(items, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)) or b""


def generate(sources_dir: Path, data_dir: Path) -> dict[str, bytes]:
    """{file name: TriG} for data/identifiers/ from the two TSV files in `sources_dir`."""
    SKIPPED.clear()
    rows = read_rows(Path(sources_dir) / IDENTIFIERS_FILE)
    known_places = {r.value: r.entity.rsplit("/", 1)[1] for r in rows
                    if r.kind == "cbs_gemeentecode" and r.entity.startswith(ID + "plaats/")
                    and not any(m[0] == r.entity.rsplit("/", 1)[1] for m in MERGED)}
    header = (b"# Generated by `sociale-basis import-identifiers` from ../shared/sources/%s (graph.store.identifiers);\n"
              b"# edit the generator, not this file.\n")
    ids = list(_file_source(FILE_SOURCES[IDENTIFIERS_FILE], IDENTIFIERS_FILE, "Externe identificatoren (identifiers.tsv)",
                            "External identifiers (identifiers.tsv)"))
    ids += list(identifier_quads(rows, known_sources(data_dir)))
    municipalities = list(_file_source(FILE_SOURCES[MUNICIPALITIES_FILE], MUNICIPALITIES_FILE,
                                       "Alle gemeenten van 2025 (gemeenten-2025.tsv)", "All municipalities of 2025 (gemeenten-2025.tsv)"))
    municipalities += list(municipality_quads(read_municipalities(Path(sources_dir) / MUNICIPALITIES_FILE), known_places))
    return {
        OUT_FILES[0]: header % IDENTIFIERS_FILE.encode() + _serialize(ids),
        OUT_FILES[1]: header % MUNICIPALITIES_FILE.encode() + _serialize(municipalities),
    }


def write(sources_dir: Path, data_dir: Path) -> list[Path]:
    """Write data/identifiers/*.trig; returns the files written."""
    out = Path(data_dir) / "identifiers"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in generate(sources_dir, data_dir).items():
        (out / name).write_bytes(body)
        written.append(out / name)
    return written
