"""The pieces the search and library pages are built from, worked out once per page rather than per
template call: highlighting and the facet links. Each must give what the plain form gave."""

from __future__ import annotations

import pytest

from graph.textproc import highlight
from webapp.browse.respond import FilterToggle, current_args, url_with


def test_highlight_splits_text_at_matched_words():
    stems = {"eenzaam", "buurt"}
    assert highlight("Eén tegen eenzaamheid, in de buurten.", stems, "nl") == [
        ("Eén tegen ", False), ("eenzaamheid", True), (", in de ", False), ("buurten", True), (".", False)]
    assert highlight("Eenzaamheid", stems, "nl") == [("Eenzaamheid", True)]
    assert highlight("buurt buurt", stems, "nl") == [("buurt", True), (" ", False), ("buurt", True)]
    assert highlight("Niets hier", stems, "nl") == [("Niets hier", False)]
    assert highlight("", stems, "nl") == [("", False)]
    assert highlight("buurt", set(), "nl") == [("buurt", False)]
    assert highlight("coöperatie_x", {"cooperatie"}, "nl") == [("coöperatie", True), ("_x", False)]


def _plain_toggle(endpoint: str, facet: str, value: str) -> str:
    """The facet link as the page built it before FilterToggle: current arguments changed by one value."""
    args = current_args()
    values = list(args.get(facet, []))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return url_with(endpoint, args, **{facet: values or None})


@pytest.mark.parametrize("query", [
    "",
    "?q=eenzaamheid",
    "?q=sociale+basis&kind=publicatie",
    "?kind=publicatie&q=a%26b&pillar=sociale-inclusie&pillar=sociale-cohesie&pagina=3&lang=en",
    "?q=%C3%A9%C3%A9n+%22x%22&year=2023&year=2024",
    "?q=&kind=publicatie&kind=publicatie&foo=bar",
])
def test_filter_toggle_gives_the_same_links(app, query):
    with app.test_request_context("/search" + query):
        toggle = FilterToggle("find.search")
        for facet, value in [("kind", "publicatie"), ("kind", "programma"), ("pillar", "sociale-inclusie"),
                             ("pillar", "sociale-cohesie"), ("year", "2023"), ("theme", "eenzaamheid"),
                             ("place", "a b&c")]:
            assert toggle(facet, value) == _plain_toggle("find.search", facet, value), (facet, value)
