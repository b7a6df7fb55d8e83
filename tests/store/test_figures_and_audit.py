"""Comparable figures and the data audit's findings on the shipped data: lower bounds stay lower
bounds, money is a monetary amount with currency (and period where stated), dates of mixed
precision sort and filter in SPARQL, a joining date sits on the relation, and the audit's fixes
(one publication date, one source per page, links, no unsourced description, own-words definitions
in the editorial graph)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from graph.namespaces import GRAPH_SOURCES, ID, SB, SCHEMA
from tests import shipped
from tests.conftest import ROOT

SOURCES = ROOT.parent / "shared" / "sources"
PROG, COMP, PUB, ORG = ID + "programma/", ID + "onderdeel/", ID + "publicatie/", ID + "organisatie/"


def figures(ds, subject: str) -> list[dict]:
    out = []
    for _s, _p, node, _g in ds.quads((URIRef(subject), SB.figure, None, None)):
        props: dict = defaultdict(list)
        for _n, p, o, _g2 in ds.quads((node, None, None, None)):
            props[p].append(o)
        out.append(props)
    return out


def test_lower_bounds_are_minimums_not_values():
    ds = shipped.data()
    marked = 0
    for node, _p, text, _g in ds.quads((None, DCTERMS.description, None, None)):
        if "(ondergrens)" in str(text) or "een ondergrens" in str(text):
            marked += 1
            assert not any(True for _ in ds.quads((node, SCHEMA.value, None, None))), text
            assert any(True for _ in ds.quads((node, SCHEMA.minValue, None, None))), text
    assert marked >= 8
    nplv = [f for f in figures(ds, PROG + "nplv") if SCHEMA.MonetaryAmount in f[RDF.type] and f[SCHEMA.minValue]]
    assert [int(f[SCHEMA.minValue][0]) for f in nplv] == [700000000]
    l_flat = figures(ds, ID + "plaats/l-flat")
    assert any(int(f[SCHEMA.minValue][0]) == 100 for f in l_flat if f[SCHEMA.minValue])  # "meer dan 100 nationaliteiten"
    assert not any(True for _ in ds.quads((None, SB.nationalities, None, None)))


def test_money_is_a_monetary_amount_with_currency_and_period_where_stated():
    ds = shipped.data()
    amounts = [n for n, _p, _o, _g in ds.quads((None, RDF.type, SCHEMA.MonetaryAmount, None))]
    assert len(set(amounts)) >= 12
    for node in amounts:
        assert {o for _n, _p, o, _g in ds.quads((node, SCHEMA.currency, None, None))} == {Literal("EUR")}
    for node, _p, unit, _g in ds.quads((None, SCHEMA.unitText, None, None)):
        if re.search(r"\beuro", str(unit)):
            assert (node, RDF.type, SCHEMA.MonetaryAmount) in ds or any(
                True for _ in ds.quads((node, RDF.type, SCHEMA.MonetaryAmount, None))), unit
    # the 40 million sits on what it funds, the follow-up period of Eén tegen eenzaamheid, as an amount
    extra = [f for f in figures(ds, COMP + "een-tegen-eenzaamheid-2022-2025") if SCHEMA.MonetaryAmount in f[RDF.type]]
    assert [int(f[SCHEMA.value][0]) for f in extra] == [40000000]
    per_year = [f for f in figures(ds, PROG + "brede-spuk") if SB.PerYear in f[SB.amountBasis]]
    assert per_year
    assert not any(True for _ in ds.quads((None, SB.budgetEur, None, None)))


def test_a_joining_date_sits_on_the_relation():
    ds = shipped.data()
    signings = {}
    for _s, _p, node, _g in ds.quads((URIRef(PROG + "iza"), SB.qualifiedSignatory, None, None)):
        agent = next(o for _n, _p2, o, _g2 in ds.quads((node, PROV.agent, None, None)))
        date = next(o for _n, _p2, o, _g2 in ds.quads((node, SB.signedOn, None, None)))
        signings[str(agent)] = str(date)
    assert signings == {ORG + "vng": "2022-12-02", ORG + "lhv": "2023-01-24"}
    # the agreement itself keeps its own date; the simple relation stays for simple queries
    assert {str(o) for _s, _p, o, _g in ds.quads((URIRef(PROG + "iza"), SB.signedOn, None, None))} == {"2022-09-16"}
    running = [node for _s, _p, node, _g in ds.quads((URIRef(COMP + "week-tegen-eenzaamheid"), SB.qualifiedRunBy, None, None))]
    assert len(running) == 1
    assert (running[0], PROV.agent, URIRef(ORG + "coalitie-erbij")) in {(s, p, o) for s, p, o, _g in ds.quads((running[0], None, None, None))}


def test_mixed_precision_dates_sort_and_filter_in_the_timeline_query():
    from graph.sparql.saved import load_queries

    query = load_queries(ROOT / "webapp" / "queries")["tijdlijn"]
    ds = shipped.data()
    ds.default_union = True  # the union of the graphs, as the store's default graph
    rows = [r.asdict() for r in ds.query(query.text)]
    assert len(rows) > 50
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates)  # the text order is the time order: 2018 < 2018-03-20 < 2019
    kinds = {r["date"].datatype for r in rows}
    assert XSD.gYear in kinds and XSD.date in kinds
    assert all(int(r["jaar"]) == int(str(r["date"])[:4]) for r in rows)


def test_the_audit_fixes():
    ds = shipped.data()
    issued = {str(o) for _s, _p, o, _g in ds.quads((URIRef(PUB + "kernboodschap-sociale-basis"), DCTERMS.issued, None, None))}
    assert issued == {"2023-06-26"}
    urls: dict[str, set] = defaultdict(set)
    for s, _p, o, _g in ds.quads((None, SCHEMA.url, None, GRAPH_SOURCES)):
        if (s, RDF.type, SB.Source, GRAPH_SOURCES) in ds:
            urls[str(o).rstrip("/").replace("://www.", "://")].add(s)
    assert {u: v for u, v in urls.items() if len(v) > 1} == {}
    assert any(True for _ in ds.quads((URIRef(PUB + "wij-in-de-wijk-2"), DCTERMS.isPartOf, URIRef(ID + "initiatief/wij-in-de-wijk"), None)))
    assert not any(True for _ in ds.quads((URIRef(ORG + "alles-is-gezondheid"), DCTERMS.description, None, None)))
    # L-Flat's "meer sociale cohesie" is a stated pillar now, with its quote
    assert any(True for _ in ds.quads((URIRef(ID + "initiatief/l-flat-gericht-toewijzen"), SB.addressesPillar,
                                        URIRef(ID + "begrip/sociale-cohesie"), None)))


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"the source documents ({SOURCES}) are not here")
def test_definitions_in_a_source_graph_stand_in_that_source_and_the_rest_are_editorial():
    ds = shipped.data()
    texts = " ".join(p.read_text(encoding="utf-8") for p in Path(SOURCES).iterdir() if p.suffix in (".txt", ".md"))
    flat = " ".join(re.sub(r"[^\w ]+", " ", texts.casefold()).split())
    editorial = URIRef("https://w3id.org/sociale-basis/graph/redactie/omschrijvingen")
    moved = 0
    for _s, _p, o, g in ds.quads((None, SKOS.definition, None, None)):
        if not isinstance(o, Literal) or o.language != "nl":
            continue
        graph = getattr(g, "identifier", g)
        if graph == editorial:
            moved += 1
        elif str(graph).startswith(ID + "bron/"):
            assert " ".join(re.sub(r"[^\w ]+", " ", str(o).casefold()).split()) in flat, o
    assert moved >= 27
