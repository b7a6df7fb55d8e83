"""Synthetic data of the same shape as the shipped data, at any size, for benchmarks.

`generate(n_triples, path)` writes a TriG file: source graphs with their metadata in the bronnen
graph, entities of every kind with Dutch and English labels and descriptions, and the relations
the real data uses (publisher, creator, about, studied, runBy, locatedIn, signatory, partner,
responsibleMinistry, partOf, pillars, spheres, dates, quantities). Deterministic for a given size.

    python -m benchmarks.synthetic 1000000 /tmp/synthetic-1m.trig
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

BASE = "https://w3id.org/sociale-basis/"
SB = BASE + "def/"
ID = BASE + "id/"
PILLARS = ["sociaaleconomische-zekerheid", "sociale-inclusie", "sociale-cohesie", "sociale-empowerment"]
SPHERES = ["persoonlijke-sfeer", "gemeenschappelijke-sfeer", "institutionele-sfeer"]
WORDS = (
    "buurt wijk dorp bewoners ontmoeting eenzaamheid mantelzorg welzijn gezondheid preventie sociaal werk "
    "vrijwilligers gemeente samenleven leefbaarheid veiligheid armoede jongeren ouderen zorg ondersteuning "
    "netwerk initiatief participatie inclusie cohesie empowerment zekerheid voorzieningen buurthuis"
).split()
EN_WORDS = (
    "neighbourhood district village residents meeting loneliness caregiving wellbeing health prevention social work "
    "volunteers municipality living together liveability safety poverty youth elderly care support "
    "network initiative participation inclusion cohesion empowerment security facilities community centre"
).split()
# kind segment, class, share of entities
KINDS = [
    ("programma", "Programme", 0.02),
    ("onderdeel", "ProgrammeComponent", 0.05),
    ("initiatief", "Initiative", 0.25),
    ("publicatie", "ResearchReport", 0.30),
    ("organisatie", "WelfareOrganisation", 0.15),
    ("plaats", "Municipality", 0.08),
    ("persoon", "Person", 0.15),
]
TRIPLES_PER_ENTITY = 9.3  # measured average of what `_entity` writes, incl. source metadata
ENTITIES_PER_SOURCE = 100


def _lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@' + lang


def generate(n_triples: int, path: Path, seed: int = 42) -> Path:
    """Write about `n_triples` triples as TriG to `path` and return it."""
    rng = random.Random(seed)
    n_entities = max(50, int(n_triples / TRIPLES_PER_ENTITY))
    ids: dict[str, list[str]] = {}
    counts = [(seg, cls, max(2, int(n_entities * share))) for seg, cls, share in KINDS]
    for seg, _cls, n in counts:
        ids[seg] = [f"<{ID}{seg}/{seg}-{i}>" for i in range(n)]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        w = out.write
        w(f"@prefix sb: <{SB}> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
        w("@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")
        w("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix schema: <https://schema.org/> .\n\n")
        # concepts in their own source
        w(f"<{ID}bron/synthetisch-begrippen> {{\n")
        for scheme, members in (("pijlers-sociale-kwaliteit", PILLARS), ("sferen-sociale-basis", SPHERES)):
            w(f"<{ID}begrip/{scheme}> a skos:ConceptScheme ; rdfs:label {_lit(scheme, 'nl')}, {_lit(scheme, 'en')} .\n")
            for m in members:
                w(f"<{ID}begrip/{m}> a skos:Concept ; rdfs:label {_lit(m.replace('-', ' '), 'nl')}, {_lit(m.replace('-', ' '), 'en')} ;"
                  f" skos:inScheme <{ID}begrip/{scheme}> ; skos:topConceptOf <{ID}begrip/{scheme}> .\n")
        w("}\n")
        all_entities = [(seg, cls, e) for seg, cls, _n in counts for e in ids[seg]]
        rng.shuffle(all_entities)
        sources = []
        for start in range(0, len(all_entities), ENTITIES_PER_SOURCE):
            src = f"{ID}bron/synthetisch-{start // ENTITIES_PER_SOURCE}"
            sources.append(src)
            w(f"<{src}> {{\n")
            for seg, cls, e in all_entities[start : start + ENTITIES_PER_SOURCE]:
                _entity(w, rng, seg, cls, e, ids)
            w("}\n")
        w(f"<{BASE}graph/bronnen> {{\n")
        w(f"<{ID}bron/synthetisch-begrippen> a sb:Source ; rdfs:label \"Synthetische begrippen\"@nl, \"Synthetic concepts\"@en ;"
          " dcterms:title \"Synthetische begrippen\" .\n")
        for i, src in enumerate(sources):
            w(f"<{src}> a sb:Source ; rdfs:label \"Synthetische bron {i}\"@nl, \"Synthetic source {i}\"@en ; "
              f"dcterms:title \"Synthetische bron {i}\" ; schema:url \"https://example.org/bron/{i}\"^^xsd:anyURI .\n")
        w("}\n")
    return path


def _text(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n))


def _entity(w, rng: random.Random, seg: str, cls: str, e: str, ids: dict[str, list[str]]) -> None:  # type: ignore[no-untyped-def]
    label = _text(rng, WORDS, 3).capitalize() + f" {e.rsplit('-', 1)[1][:-1]}"
    w(f"{e} a sb:{cls} ; rdfs:label {_lit(label, 'nl')}, {_lit(_text(rng, EN_WORDS, 3).capitalize(), 'en')} ;\n")
    w(f"  dcterms:description {_lit(_text(rng, WORDS, 12), 'nl')}, {_lit(_text(rng, EN_WORDS, 12), 'en')}")
    pick = lambda kind: rng.choice(ids[kind])  # noqa: E731
    rels: list[str] = []
    if seg == "publicatie":
        rels += [f"dcterms:publisher {pick('organisatie')}", f"dcterms:creator {pick('persoon')}",
                 f"sb:about {pick('programma')}", f"sb:studied {pick('initiatief')}",
                 f"dcterms:issued \"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\"^^xsd:date",
                 f"sb:addressesPillar <{ID}begrip/{rng.choice(PILLARS)}>"]
    elif seg == "initiatief":
        rels += [f"sb:runBy {pick('organisatie')}", f"sb:locatedIn {pick('plaats')}", f"sb:partOf {pick('programma')}",
                 f"sb:sphere <{ID}begrip/{rng.choice(SPHERES)}>", f"sb:addressesPillar <{ID}begrip/{rng.choice(PILLARS)}>",
                 f"sb:volunteerHours {rng.randint(10, 5000)}"]
    elif seg == "programma":
        rels += [f"sb:responsibleMinistry {pick('organisatie')}", f"sb:signatory {pick('organisatie')}",
                 f"sb:partner {pick('organisatie')}", f"sb:relatedTo {pick('programma')}",
                 f"schema:startDate \"{rng.randint(2015, 2024)}\"^^xsd:gYear", f"sb:editorialPillar <{ID}begrip/{rng.choice(PILLARS)}>"]
    elif seg == "onderdeel":
        rels += [f"sb:partOf {pick('programma')}", f"sb:budgetEur {rng.randint(1, 900)}000000.0", f"sb:partner {pick('organisatie')}"]
    elif seg == "organisatie":
        rels += [f"sb:locatedIn {pick('plaats')}", f"sb:partner {pick('organisatie')}"]
    elif seg == "persoon":
        rels += [f"<http://www.w3.org/ns/org#memberOf> {pick('organisatie')}", f"schema:jobTitle {_lit('onderzoeker', 'nl')}"]
    elif seg == "plaats":
        rels += [f"sb:locatedIn {pick('plaats')}", f"sb:residents {rng.randint(1000, 900000)}"]
    for r in rels:
        w(f" ;\n  {r}")
    w(" .\n")


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/synthetic-{size}.trig")
    generate(size, target)
    print(target)
