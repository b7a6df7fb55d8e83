"""Incoming relations of hubs on resource pages: a count per property and one page of values
(`graph.browse.describe`), never the whole list; the RDF twin pages the same way.

(Kept with the search tests: the same work made hub pages and broad searches fast.)
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.browse.describe import PER_PROPERTY, SMALL_INCOMING, describe, statements
from graph.namespaces import ID, SB

HUB = URIRef(ID + "begrip/sociale-cohesie")
MIDDLE = URIRef(ID + "organisatie/middelgroot")
SOURCE = URIRef(ID + "bron/toets-hub")
N_HUB, N_DERIVED, N_MIDDLE = 230, 60, 70


@pytest.fixture
def hub_app(fresh_app):
    from webapp.state import get_store

    triples = [(MIDDLE, RDF.type, SB.Organisation), (MIDDLE, RDFS.label, Literal("Middelgrote organisatie", lang="nl"))]
    for i in range(N_HUB):
        entity = URIRef(ID + f"initiatief/hub-{i:03d}")
        triples += [(entity, RDF.type, SB.Initiative), (entity, RDFS.label, Literal(f"Hub {i:03d}", lang="nl")),
                    (entity, SB.addressesPillar, HUB)]
        if i < N_DERIVED:
            triples.append((entity, SB.editorialPillar, HUB))
        if i < N_MIDDLE:
            triples.append((entity, SB.runBy, MIDDLE))
    with fresh_app.app_context():
        get_store().replace_graph(SOURCE, triples)
    return fresh_app


def _subjects(store, predicate) -> set[str]:
    rows = store.select("SELECT ?x ?p ?o WHERE { ?x ?p ?o }", {"p": predicate, "o": HUB})
    return {str(r["x"]) for r in rows}


def _group(d, predicate):
    return next(g for g in d.incoming if g.predicate == str(predicate))


def test_hub_shows_a_count_and_a_page_per_property(hub_app):
    from webapp.state import get_store

    with hub_app.app_context():
        store = get_store()
        everyone = _subjects(store, SB.addressesPillar)
        assert len(everyone) > SMALL_INCOMING  # a hub: counted and paged
        d = describe(store, HUB)
        stated = _group(d, SB.addressesPillar)
        assert stated.total == len(everyone)
        assert len(stated.items) == PER_PROPERTY and stated.offset == 0 and stated.page == 1
        assert stated.pages == -(-len(everyone) // PER_PROPERTY)
        labels = [i.label.value.lower() for i in stated.items]
        assert labels == sorted(labels)  # each page sorted by label
        assert all(i.sources == [str(SOURCE)] for i in stated.items if i.iri.startswith(ID + "initiatief/hub-"))
        derived = _group(d, SB.editorialPillar)
        assert derived.total == len(_subjects(store, SB.editorialPillar)) and len(derived.items) == PER_PROPERTY
        as_json = d.as_dict()["incoming"]
        assert {"total", "offset", "page", "pages"} <= set(as_json[0])


def test_hub_pages_cover_every_value_once(hub_app):
    from webapp.state import get_store

    with hub_app.app_context():
        store = get_store()
        everyone = _subjects(store, SB.addressesPillar)
        pages = -(-len(everyone) // PER_PROPERTY)
        seen: list[str] = []
        for page in range(1, pages + 1):
            d = describe(store, HUB, incoming=str(SB.addressesPillar), page=page)
            group = _group(d, SB.addressesPillar)
            assert group.offset == (page - 1) * PER_PROPERTY and group.page == page
            seen += [i.iri for i in group.items]
            assert _group(d, SB.editorialPillar).offset == 0  # the other property stays on its first page
        assert len(seen) == len(set(seen)) and set(seen) == everyone
        # beyond the last page: the last page; before the first: the first
        last = _group(describe(store, HUB, incoming=str(SB.addressesPillar), page=999), SB.addressesPillar)
        assert last.page == pages and len(last.items) == len(everyone) - (pages - 1) * PER_PROPERTY
        assert _group(describe(store, HUB, incoming=str(SB.addressesPillar), page=-3), SB.addressesPillar).offset == 0
        assert _group(describe(store, HUB, incoming="https://example.org/unknown", page=3), SB.addressesPillar).offset == 0


def test_hub_twin_is_paged_like_the_page(hub_app):
    from webapp.state import get_store

    with hub_app.app_context():
        store = get_store()
        for page in (1, 2):
            quads = statements(store, HUB, incoming=str(SB.addressesPillar), page=page)
            incoming = {str(s) for s, p, o, _g in quads if o == HUB and p == SB.addressesPillar}
            shown = {i.iri for i in _group(describe(store, HUB, incoming=str(SB.addressesPillar), page=page), SB.addressesPillar).items}
            assert incoming == shown and len(incoming) == PER_PROPERTY
            assert all(g is not None for _s, _p, _o, g in quads)
        assert any(s == HUB for s, _p, _o, _g in statements(store, HUB))  # outgoing statements complete


def test_smaller_lists_are_read_whole_and_paged_by_label(hub_app):
    from webapp.state import get_store

    with hub_app.app_context():
        store = get_store()
        first = _group(describe(store, MIDDLE), SB.runBy)
        assert first.total == N_MIDDLE and [i.label.value for i in first.items] == [f"Hub {i:03d}" for i in range(PER_PROPERTY)]
        second = _group(describe(store, MIDDLE, incoming=str(SB.runBy), page=2), SB.runBy)
        assert [i.label.value for i in second.items] == [f"Hub {i:03d}" for i in range(PER_PROPERTY, N_MIDDLE)]
        assert second.pages == 2 and second.offset == PER_PROPERTY
        twin = statements(store, MIDDLE)
        assert len({s for s, p, _o, _g in twin if p == SB.runBy}) == N_MIDDLE  # complete below SMALL_INCOMING


def test_hub_page_and_json_twin(hub_app):
    client = hub_app.test_client()
    html = client.get("/id/begrip/sociale-cohesie").get_data(as_text=True)
    assert 0 < html.count('href="/id/initiatief/hub-') <= 2 * PER_PROPERTY
    data = client.get("/id/begrip/sociale-cohesie.json").get_json()
    stated = next(g for g in data["incoming"] if g["property"] == str(SB.addressesPillar))
    assert stated["total"] > SMALL_INCOMING and len(stated["values"]) == PER_PROPERTY and stated["pages"] > 1
    turtle = client.get("/id/begrip/sociale-cohesie.ttl").get_data(as_text=True)
    assert turtle.count("hub-") <= 2 * PER_PROPERTY


def test_hub_page_links_to_the_next_page_of_a_property(hub_app):
    from urllib.parse import quote

    from webapp.state import get_store

    client = hub_app.test_client()
    first = client.get("/id/begrip/sociale-cohesie").get_data(as_text=True)
    next_link = f'href="/id/begrip/sociale-cohesie?incoming={quote(str(SB.addressesPillar), safe="")}&amp;pagina=2#in-h"'
    assert 'rel="next"' in first and next_link in first
    second = client.get("/id/begrip/sociale-cohesie", query_string={"incoming": str(SB.addressesPillar), "pagina": 2})
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and 'rel="prev"' in html and "51–100" in html
    with hub_app.app_context():
        page2 = describe(get_store(), HUB, incoming=str(SB.addressesPillar), page=2)
    shown = [i.iri.split("/id/", 1)[1] for i in _group(page2, SB.addressesPillar).items]
    assert all(f'href="/id/{i}"' in html for i in shown)
    turtle = client.get("/id/begrip/sociale-cohesie.ttl", query_string={"incoming": str(SB.addressesPillar), "pagina": 2})
    assert all(i.rsplit("/", 1)[1] in turtle.get_data(as_text=True) for i in shown)
    assert client.get("/id/begrip/sociale-cohesie?incoming=x&pagina=abc").status_code == 200
