"""The SPARQL editor in headless Chromium: an example question run, completion from our own data,
the chart, timeline, map and graph views (also chosen by `#defaultView:`), readable errors with the
line marked, escaped data, a parameter form, and axe on the whole editor page."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from tests.browse.test_a11y_browse import serious_violations
from tests.conftest import LiveServer, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PREFIXES = """PREFIX sb: <https://w3id.org/sociale-basis/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
COUNTS = PREFIXES + "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type LIMIT 5"
DATES = PREFIXES + """SELECT ?thing ?date WHERE {
  { ?thing dcterms:issued ?date } UNION { ?thing sb:signedOn ?date } UNION { ?thing <https://schema.org/startDate> ?date }
} ORDER BY STR(?date)"""
PLACES = PREFIXES + "SELECT ?gemeente ?code WHERE { ?gemeente sb:cbsCode ?code }"
CONSTRUCT = PREFIXES + "#defaultView:Graph\nCONSTRUCT { ?p sb:responsibleMinistry ?m } WHERE { ?p sb:responsibleMinistry ?m }"


def open_editor(page: Any, server: LiveServer, query: str | None = None, params: str = "") -> list[str]:
    """Open the editor (with `query`), wait until its first run has answered; the console errors."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    url = server.url + "/sparql" + ("?query=" + urllib.parse.quote(query) if query else "?" + params)
    page.goto(url)
    page.wait_for_selector("#yasqe[data-ready='1']")
    page.wait_for_function("() => !document.getElementById('sparql-run').disabled && "
                           "(document.getElementById('sparql-output').childElementCount > 0 || "
                           "!document.getElementById('sparql-error').hidden)")
    return problems


def choose(page: Any, view: str) -> None:
    page.click(f"#sparql-views button[data-view='{view}']")
    page.wait_for_selector(f"#sparql-output[data-view='{view}']")


def test_an_example_runs_with_labels_links_share_and_downloads(live_server: LiveServer, page) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    problems = open_editor(page, live_server, params="voorbeeld=programmas-per-pijler")
    assert "VALUES ?pillar { con:sociale-cohesie }" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert page.locator("#sparql-output table tbody tr").count() == 2
    assert page.locator("#sparql-status").inner_text().startswith("2 resultaten")
    # our IRIs are links to our pages, shown by label (not "…"-cut IRIs)
    page.wait_for_function("() => [...document.querySelectorAll('a.sb-link')].some(a => a.textContent === 'Alfa-akkoord')")
    link = page.locator("a.sb-link[href='/id/programma/alfa']").first
    assert link.get_attribute("title") == "https://w3id.org/sociale-basis/id/programma/alfa"
    # the Dutch interface
    assert page.locator("#sparql-views button[data-view='table']").inner_text() == "Tabel"
    share = page.input_value("#sparql-share-url")
    assert share.startswith(live_server.url + "/sparql?query=")
    csv_link = page.locator("#sparql-downloads a").first.get_attribute("href")
    response = page.request.get(live_server.url + csv_link)
    assert response.status == 200 and len(response.text().strip().splitlines()) == 3
    screenshot(page, "sparql-editor-example")
    link.click()
    page.wait_for_url("**/id/programma/alfa")
    assert outside == [] and problems == []


def test_plain_values_by_default_and_rdf_terms_on_request(live_server: LiveServer, page) -> None:
    open_editor(page, live_server, COUNTS)
    first_count = page.locator("#sparql-output tbody tr").first.locator("td").nth(1).inner_text()
    assert first_count.isdigit()  # no "10"^^xsd:integer
    page.check("#sparql-raw")
    raw = page.locator("#sparql-output tbody tr").first.locator("td").nth(1).inner_text()
    assert raw == f'"{first_count}"^^xsd:integer'
    assert page.locator("#sparql-output tbody tr").first.locator("td").first.inner_text().count(":") == 1  # prefixed name


def test_completion_suggests_classes_properties_and_entities_from_our_data(live_server: LiveServer, page) -> None:
    open_editor(page, live_server)
    page.evaluate("""() => { const cm = document.querySelector('.CodeMirror').CodeMirror;
      cm.setValue('PREFIX sb: <https://w3id.org/sociale-basis/def/>\\n' +
                  'PREFIX prog: <https://w3id.org/sociale-basis/id/programma/>\\nSELECT * WHERE {\\n  ?x a \\n}');
      cm.setCursor({line: 3, ch: 7}); cm.focus(); }""")
    page.keyboard.type("sb:")
    page.wait_for_selector(".CodeMirror-hint")
    hints = page.locator(".CodeMirror-hint").all_inner_texts()
    assert any(h.startswith("sb:Programme") and "Programma" in h for h in hints), hints
    assert not any(h.startswith("sb:responsibleMinistry") for h in hints)  # a class position: classes only
    page.keyboard.type("Progr")
    page.wait_for_function("() => [...document.querySelectorAll('.CodeMirror-hint')].every(h => h.textContent.startsWith('sb:Programme'))")
    page.keyboard.press("Enter")
    assert "?x a sb:Programme" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    # an entity by a word of its label
    page.keyboard.type(" ; sb:about prog:eenz")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.CodeMirror-hint')].some(h => h.textContent.startsWith('prog:een-tegen-eenzaamheid'))"
    )
    screenshot(page, "sparql-editor-completion")


def test_chart_view_draws_a_bar_per_row(live_server: LiveServer, page) -> None:
    open_editor(page, live_server, COUNTS)
    choose(page, "chart")
    assert page.locator("#sparql-output svg.sb-chart rect.bar").count() == 5
    label = page.locator("#sparql-output svg.sb-chart text.bar-label").first.text_content()
    assert label and not label.startswith("http")
    assert page.locator("#sparql-views button[data-view='timeline']").is_disabled()  # no dates in this result
    screenshot(page, "sparql-editor-chart")


def test_timeline_view_places_dated_things_in_order(live_server: LiveServer, page) -> None:
    open_editor(page, live_server, "#defaultView:Timeline\n" + DATES)
    assert page.locator("#sparql-output").get_attribute("data-view") == "timeline"
    dots = page.locator("#sparql-output svg.sb-timeline circle.dot")
    assert dots.count() >= 3
    xs = [float(dots.nth(i).get_attribute("cx") or 0) for i in range(dots.count())]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    assert page.locator("#sparql-output svg.sb-timeline a[href='/id/programma/een-tegen-eenzaamheid']").count() == 1
    screenshot(page, "sparql-editor-timeline")


def test_map_view_colours_the_municipalities_in_the_result(live_server: LiveServer, page) -> None:
    open_editor(page, live_server, PLACES)
    choose(page, "map")
    page.wait_for_selector("#sparql-output figure[data-drawn]")
    assert page.locator("#sparql-output figure").get_attribute("data-drawn") == "1"
    zeist = page.locator("#sparql-output path[data-code='GM0355']")
    assert "step-0" not in (zeist.get_attribute("class") or "")
    assert page.locator("#sparql-output a[href='/id/plaats/zeist']").count() == 1
    assert page.locator("#sparql-output path.step-0").count() > 300  # the other municipalities, grey
    screenshot(page, "sparql-editor-map")


def test_graph_view_for_construct_chosen_by_default_view(live_server: LiveServer, page) -> None:
    open_editor(page, live_server, CONSTRUCT)
    assert page.locator("#sparql-output").get_attribute("data-view") == "graph"
    nodes = int(page.locator("#sparql-output .sb-graph").get_attribute("data-nodes") or 0)
    assert nodes >= 3
    page.wait_for_selector("#sparql-output .sb-graph canvas")
    choose(page, "table")
    assert page.locator("#sparql-output thead th").all_inner_texts() == ["subject", "predicate", "object"]


def test_errors_are_readable_and_mark_the_line(live_server: LiveServer, page) -> None:
    open_editor(page, live_server, "SELECT * WHERE {\n  ?s ?p ?o .\n  SERVICE <http://127.0.0.1:9/> { }\n}")
    error = page.locator("#sparql-error")
    assert error.is_visible()
    text = error.inner_text()
    assert "SERVICE" in text and "regel 3" in text and "{" not in text.split("SERVICE")[0]  # no raw JSON
    assert page.locator(".CodeMirror .sparql-error-line").count() == 1
    # fixing the query clears the error
    page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.setValue('ASK { ?s ?p ?o }')")
    page.click("#sparql-run")
    page.wait_for_selector(".ask-answer")
    assert not error.is_visible() and page.locator(".CodeMirror .sparql-error-line").count() == 0


def test_data_stays_text(live_server: LiveServer, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_editor(page, live_server, PREFIXES + "SELECT ?s WHERE { ?s a sb:Initiative }")
    link = page.locator("a.sb-link[href='/id/initiatief/toets-xss']")
    page.wait_for_function("() => (document.querySelector(\"a.sb-link[href='/id/initiatief/toets-xss']\") || {}).textContent?.includes('onerror')")
    assert link.text_content() == "<img src=x onerror=alert(1)> href"
    assert page.locator("#sparql-output img").count() == 0 and dialogs == []


def test_parameter_form_offers_the_fitting_choices(live_server: LiveServer, page) -> None:
    page.goto(live_server.url + "/queries/begrippen-in-schema")
    picker = page.locator("select#param-scheme")
    options = picker.locator("option").all_inner_texts()
    assert options == ["Pijlers van sociale kwaliteit", "Sferen van de sociale basis"]
    assert picker.input_value() == "pijlers-sociale-kwaliteit"
    picker.select_option("sferen-sociale-basis")
    page.click(".query-params button")
    page.wait_for_url("**scheme=sferen-sociale-basis**")
    cells = page.locator("table.results tbody tr td:first-child").all_inner_texts()
    assert cells and set(cells) == {"Sferen van de sociale basis"}
    assert page.locator("select#param-scheme").input_value() == "sferen-sociale-basis"
    links = {a.get_attribute("href") for a in page.locator(".query-links a").all()}
    assert any(h and h.startswith("/queries/begrippen-in-schema.json?scheme=sferen-sociale-basis") for h in links)
    assert any(h and h.startswith("/queries/begrippen-in-schema.csv") for h in links)
    assert any(h and "voorbeeld=begrippen-in-schema" in h and "scheme=sferen-sociale-basis" in h for h in links)
    screenshot(page, "sparql-query-form")


@pytest.mark.parametrize("query, view", [(None, "table"), (COUNTS, "chart"), (DATES, "timeline"), (PLACES, "map")])
def test_the_whole_editor_page_has_no_serious_accessibility_violations(axe_page, live_server: LiveServer, query, view) -> None:
    open_editor(axe_page, live_server, query)
    if view != "table":
        choose(axe_page, view)
    found = serious_violations(axe_page)
    screenshot(axe_page, f"sparql-axe-editor-{view}")
    assert not found, json.dumps(found, indent=1)


def test_a_saved_query_page_on_a_phone_has_no_serious_accessibility_violations(axe_page, live_server: LiveServer) -> None:
    """At phone width the query text scrolls sideways: the box must be reachable by keyboard."""
    axe_page.set_viewport_size({"width": 390, "height": 844})
    axe_page.goto(live_server.url + "/queries/begrippen-in-schema")
    box = axe_page.locator("pre.query-text")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll here
    assert box.get_attribute("tabindex") == "0"
    found = serious_violations(axe_page)
    screenshot(axe_page, "sparql-axe-saved-query-phone")
    assert not found, json.dumps(found, indent=1)
