"""Dutch by default, English by switch on the same page; labels fall back; lang attributes."""

from __future__ import annotations


def test_dutch_by_default_english_by_switch(client):
    html = client.get("/id/programma/alfa").get_data(as_text=True)
    assert '<html lang="nl">' in html and "Ondertekenaar" in html
    assert 'href="/id/programma/alfa?lang=en"' in html
    english = client.get("/id/programma/alfa?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Alpha Agreement" in english and "Signatory" in english.title()
    assert 'href="/id/programma/alfa?lang=nl"' in english
    # the choice is remembered
    assert '<html lang="en">' in client.get("/bibliotheek").get_data(as_text=True)
    assert '<html lang="nl">' in client.get("/bibliotheek?lang=nl").get_data(as_text=True)


def test_switch_keeps_the_query(client):
    html = client.get("/search?q=eenzaam&kind=publicatie").get_data(as_text=True)
    assert "/search?q=eenzaam&amp;kind=publicatie&amp;lang=en" in html


def test_text_in_another_language_is_marked(client):
    # the job title exists only in Dutch: on the English page it carries lang="nl"
    html = client.get("/id/persoon/an-onderzoeker?lang=en").get_data(as_text=True)
    assert '<span lang="nl">senior onderzoeker</span>' in html
    # the alternative label "VNG" is Dutch-tagged only
    vng = client.get("/id/organisatie/vng?lang=en").get_data(as_text=True)
    assert '<span lang="nl">VNG</span>' in vng


def test_english_error_pages_and_dates(client):
    response = client.get("/bestaat-niet?lang=en")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    assert "3 February 2023" in client.get("/id/programma/alfa?lang=en").get_data(as_text=True)


def test_label_fallback_to_local_name(client, store):
    from rdflib import URIRef

    from graph.store.present import texts

    unknown = URIRef("https://w3id.org/sociale-basis/id/begrip/zonder-label")
    alfa = URIRef("https://w3id.org/sociale-basis/id/programma/alfa")
    labels = texts(store, [unknown, alfa], "en")
    assert labels[unknown].value == "zonder-label" and labels[alfa].value == "Alpha Agreement"
