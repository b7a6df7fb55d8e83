"""Themes, pillars and spheres on the shipped data, as users meet them: resource pages show each
assignment with its kind, quote and source (and can show stated only), municipality pages list
the national programmes that reach every municipality per source, search puts the theme first,
and the home page counts stated and editorial apart."""

from __future__ import annotations

import re

import pytest

from graph.namespaces import ID

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    from webapp import create_app
    from webapp.state import get_store

    application = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("evidence")), "SECRET_KEY": "x"})
    application.testing = True
    yield application.test_client()
    with application.app_context():
        get_store().close()


def test_a_programme_page_shows_assignments_with_kind_quote_and_source(shipped):
    html = shipped.get("/id/programma/een-tegen-eenzaamheid").get_data(as_text=True)
    section = html[html.index('id="evidence-h"'):]
    assert "Thema&#39;s, pijlers en sferen" in html or "Thema's, pijlers en sferen" in html
    assert 'href="/id/begrip/eenzaamheid"' in section
    assert re.search(r'<span class="badge stated">gesteld</span>\s*<q lang="nl">Eén tegen eenzaamheid</q>', section)
    assert '<span class="badge derived">redactioneel</span>' in section
    stated_only = shipped.get("/id/programma/een-tegen-eenzaamheid?gesteld=1").get_data(as_text=True)
    only = stated_only[stated_only.index('id="evidence-h"'):stated_only.index("</section>", stated_only.index('id="evidence-h"'))]
    assert '<span class="badge stated">' in only and '<span class="badge derived">' not in only


def test_the_json_twin_carries_each_assignment_with_its_evidence(shipped):
    payload = shipped.get("/id/programma/een-tegen-eenzaamheid.json").get_json()
    kinds = {(a["dimension"], a["kind"]) for a in payload["assignments"]}
    assert ("theme", "stated") in kinds and ("pillar", "editorial") in kinds
    for a in payload["assignments"]:
        assert a["quote"] and len(a["quote"].split()) <= 12 and a["source"].startswith(ID + "bron/")
    eenzaamheid = next(a for a in payload["assignments"] if a["concept"] == ID + "begrip/eenzaamheid")
    assert eenzaamheid["kind"] == "stated"
    assert {t["iri"] for t in payload["themes"]} >= {ID + "begrip/eenzaamheid"}


def test_an_inherited_assignment_names_its_parent_on_the_page_and_in_the_twin(shipped):
    html = shipped.get("/id/onderdeel/monitor-kansrijke-start").get_data(as_text=True)
    section = html[html.index('id="evidence-h"'):html.index("</section>", html.index('id="evidence-h"'))]
    assert re.search(r'<span class="badge derived">redactioneel</span>\s*<span class="small">via '
                     r'<a href="/id/programma/kansrijke-start"[^>]*>Kansrijke Start</a>:</span>', section)
    payload = shipped.get("/id/onderdeel/monitor-kansrijke-start.json").get_json()
    inherited = [a for a in payload["assignments"] if a.get("via")]
    assert inherited and all(a["kind"] == "editorial" and a["via"] == ID + "programma/kansrijke-start"
                             and a["viaLabel"] == "Kansrijke Start" for a in inherited)
    assert not [a for a in inherited if a["dimension"] == "sphere"]
    stated_only = shipped.get("/id/onderdeel/monitor-kansrijke-start?gesteld=1").get_data(as_text=True)
    assert "via <a" not in stated_only


def test_a_municipality_page_lists_national_programmes_per_source(shipped):
    html = shipped.get("/id/plaats/zeist").get_data(as_text=True)
    section = html[html.index('id="reach-h"'):html.index("</section>", html.index('id="reach-h"'))]
    assert "Landelijke programma&#39;s voor elke gemeente" in section or "Landelijke programma's voor elke gemeente" in section
    assert 'href="/id/programma/brede-spuk"' in section and 'href="/id/programma/een-tegen-eenzaamheid"' in section
    assert '<q lang="nl">alle gemeenten</q>' in section
    payload = shipped.get("/id/plaats/zeist.json").get_json()
    spuk = [n for n in payload["national"] if n["programme"] == ID + "programma/brede-spuk"]
    assert spuk and all(n["source"].startswith(ID + "bron/") and n["source_label"] for n in spuk)
    # a place that is not a municipality has no such section
    assert 'id="reach-h"' not in shipped.get("/id/plaats/amsterdam-zuidoost").get_data(as_text=True)


def test_search_puts_the_theme_and_the_programme_before_any_source_record(shipped):
    payload = shipped.get("/search.json?q=eenzaamheid").get_json()
    hits = [h["iri"] for h in payload["hits"]]
    assert hits[0] == ID + "begrip/eenzaamheid"
    assert hits.index(ID + "programma/een-tegen-eenzaamheid") < 3
    first_source = next((i for i, h in enumerate(hits) if "/bron/" in h), len(hits))
    assert first_source > 10
    facets = {f["name"] for f in payload["facets"]}
    assert "theme" in facets


def test_the_home_page_counts_stated_and_editorial_apart(shipped):
    payload = shipped.get("/", headers={"Accept": "application/json"}).get_json()
    cohesie = next(p for p in payload["pillars"] if p["iri"].endswith("/sociale-cohesie"))
    assert cohesie["derived"] > 0
    assert any(s["derived"] > 0 for s in payload["spheres"])  # the sphere cards no longer say 0


def test_a_theme_page_splits_what_it_is_the_theme_of_by_pillar_and_sphere(shipped):
    payload = shipped.get("/id/begrip/eenzaamheid.json").get_json()
    split = payload["theme"]
    assert split["total"] >= 10
    by_pillar = {g["concept"]: {e["iri"] for e in g["entries"]} for g in split["pillars"]}
    assert ID + "programma/een-tegen-eenzaamheid" in by_pillar[ID + "begrip/sociale-inclusie"]
    entry = next(e for g in split["pillars"] for e in g["entries"] if e["iri"] == ID + "programma/een-tegen-eenzaamheid")
    assert entry["theme"] == "stated" and entry["assignment"] == "editorial"
    assert any(g["concept"] is None for g in split["spheres"])  # what has no sphere is listed as such
    html = shipped.get("/id/begrip/eenzaamheid").get_data(as_text=True)
    section = html[html.index('id="theme-h"'):html.index("</section>", html.index('id="theme-h"'))]
    assert "Per pijler" in section and "Per sfeer" in section and 'href="/id/programma/een-tegen-eenzaamheid"' in section
    # a concept outside the theme thesaurus has no such section
    assert 'id="theme-h"' not in shipped.get("/id/begrip/sociale-cohesie").get_data(as_text=True)
