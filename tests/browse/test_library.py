"""The library: publications newest first, filters, pillar badges, JSON and Atom twins."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from graph.namespaces import ID

ATOM = "{http://www.w3.org/2005/Atom}"


def test_newest_first_with_badges(client):
    data = client.get("/bibliotheek.json").get_json()
    assert [h["iri"] for h in data["hits"]] == [ID + "publicatie/rapport-a", ID + "publicatie/essay-b"]
    html = client.get("/bibliotheek").get_data(as_text=True)
    links = re.findall(r'<h3 class="result-title"><a href="([^"]+)"', html)
    assert links == [h["url"] for h in data["hits"]]
    assert 'class="badge pillar pillar-sociale-cohesie"' in html
    assert "26 juni 2023" in html and "Toetsinstituut" in html  # date and publisher


def test_filters(client):
    def hits(**params):
        return [h["iri"].rsplit("/", 1)[1] for h in client.get("/bibliotheek.json", query_string=params).get_json()["hits"]]

    assert hits(pillar="sociale-empowerment") == ["essay-b"]
    assert hits(sphere="gemeenschappelijke-sfeer") == ["rapport-a"]
    assert hits(publisher="kennisinstituut") == ["rapport-a", "essay-b"]
    assert hits(programme="alfa") == ["rapport-a"]
    assert hits(year="2021") == ["essay-b"]
    assert hits(type="Essay") == ["essay-b"]
    assert hits(pillar="sociale-cohesie", year="2021") == []
    assert hits(q="eenzaam") == ["rapport-a", "essay-b"]
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in client.get("/bibliotheek.json").get_json()["facets"]}
    assert facets["year"] == {"2023": 1, "2021": 1}
    assert facets["publisher"] == {"kennisinstituut": 2}
    html = client.get("/bibliotheek?pillar=sociale-empowerment").get_data(as_text=True)
    assert "1 publicatie" in html and "Verwijder filter" in html


def test_atom_feed(client):
    response = client.get("/bibliotheek.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [ID + "publicatie/rapport-a", ID + "publicatie/essay-b"]
    assert entries[0].findtext(f"{ATOM}updated") == "2023-06-26T00:00:00Z"
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/id/publicatie/rapport-a")
    filtered = ET.fromstring(client.get("/bibliotheek/feed.atom?pillar=sociale-empowerment").data)
    assert [e.findtext(f"{ATOM}id") for e in filtered.findall(f"{ATOM}entry")] == [ID + "publicatie/essay-b"]
    html = client.get("/bibliotheek?pillar=sociale-empowerment").get_data(as_text=True)
    assert 'type="application/atom+xml"' in html and "/bibliotheek/feed.atom?pillar=sociale-empowerment" in html
    assert client.get("/bibliotheek", headers={"Accept": "application/atom+xml"}).mimetype == "application/atom+xml"
