"""The four Kennisplein criteria and the suggestions, on realistic Dutch texts (from shared/sources)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.submissions.criteria import NO, UNCLEAR, YES, assess, check, find_terms, suggest_entities, suggest_pillars, tokens
from graph.submissions.entity_index import entity_index

# After Platform31, "Versterken van de sociale basis: rollen voor gemeenten" (shared/sources).
PLATFORM31 = {
    "title": "Versterken van de sociale basis: rollen voor gemeenten",
    "summary": (
        "Platform31 onderzocht hoe gemeenten lokale initiatieven kunnen ondersteunen om de sociale basis te versterken. "
        "Steeds meer gemeenten doen een beroep op de informele netwerken in een wijk of gemeente waar bewoners op terug "
        "kunnen vallen. Wanneer bewoners elkaar ontmoeten, zich inzetten voor elkaar en kunnen meedoen aan de samenleving, "
        "verhoogt dit hun welzijn. De publicatie gaat in op de rol van gemeenten als financier, sparringpartner en verbinder."
    ),
    "kind": "onderzoeksrapport", "date": "2021", "url": "https://www.platform31.nl/publicaties/versterken-van-de-sociale-basis",
    "publishers": ["Platform31"], "pillars": ["sociale-cohesie"],
}
# After the Buurtwijs Kennisplein description of Studio BRUIS.
STUDIO_BRUIS = {
    "title": "Studio BRUIS: nieuw sociaal leven in 55+ wooncomplexen",
    "summary": (
        "Er staan in Nederland vijf- à zesduizend wooncomplexen waarin ruim een miljoen ouderen wonen. Er zijn zorgen over "
        "eenzaamheid en anonimiteit. De interventie stelt bewoners in staat om zelf een nieuwe impuls te geven aan het sociale "
        "leven in en rond het woongebouw, met een gemeenschappelijke ontmoetingsruimte en oog voor diversiteit en talenten."
    ),
    "kind": "artikel", "date": "2021-03-15", "url": "https://www.buurtwijs.nl/studio-bruis", "authors": ["Studio BRUIS"],
    "pillars": ["sociale-cohesie", "sociale-empowerment"],
}
# After "Versterken van inclusieve burgermacht" (Kennisplein).
BURGERMACHT = {
    "title": "Versterken van inclusieve burgermacht",
    "summary": (
        "Hoe krijgen inwoners invloed over en beslismacht in de aanpak van maatschappelijke vraagstukken in hun buurt? "
        "Wat werkt in het bijzonder voor inwoners in een kwetsbare positie? De publicatie beschrijft bewonersinitiatieven "
        "en buurthuizen waar bewoners zelf de regie nemen."
    ),
    "kind": "onderzoeksrapport", "pillars": ["sociale-empowerment"],
}
# Individual care, not neighbourhoods or collective facilities.
INDIVIDUAL = {
    "title": "Behandeling van depressie bij cliënten in de ggz",
    "summary": (
        "Een evaluatie van individuele behandeling en therapie voor cliënten met een depressie. De studie vergelijkt "
        "diagnose en zorgtraject van patiënten in twee instellingen en geeft aanbevelingen voor hulpverleners."
    ),
    "kind": "onderzoeksrapport", "date": "2022", "url": "https://example.org/ggz", "authors": ["J. Jansen"],
    "pillars": ["sociaaleconomische-zekerheid"],
}
# Poverty and debts in a village: socio-economic security.
ARMOEDE = {
    "title": "Schulden en armoede in het dorp",
    "summary": (
        "In kleine dorpen blijven geldzorgen vaak verborgen. Het dorpshuis organiseert een inloop waar inwoners terecht "
        "kunnen met vragen over schulden, inkomen en toeslagen; vrijwilligers helpen bij het invullen van formulieren."
    ),
    "kind": "artikel", "pillars": [],
}


def outcomes(data: dict[str, Any]) -> dict[str, str]:
    return {c["key"]: c["outcome"] for c in check(data)}


def criterion(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in check(data) if c["key"] == key)


def test_platform31_meets_all_four() -> None:
    assert outcomes(PLATFORM31) == {"complete": YES, "neighbourhoods": YES, "collective": YES, "pillar": YES}
    assert "wijk" in criterion(PLATFORM31, "neighbourhoods")["words"]
    assert "sociale basis" in criterion(PLATFORM31, "collective")["words"]
    pillar = criterion(PLATFORM31, "pillar")
    assert {"ontmoeten", "informele netwerken"} <= set(pillar["words"])
    # a chosen pillar with support, and another the text points to, each with its words
    assert any("Sociale cohesie" in r["nl"] and "ontmoeten" in r["nl"] for r in pillar["reasons"])
    assert any("sociale inclusie" in r["nl"] and "meedoen" in r["nl"] for r in pillar["reasons"])


def test_compounds_are_recognised() -> None:
    result = outcomes(STUDIO_BRUIS)
    assert result["neighbourhoods"] == YES  # 'wooncomplexen', 'woongebouw'
    assert set(criterion(STUDIO_BRUIS, "neighbourhoods")["words"]) >= {"wooncomplexen", "woongebouw"}
    assert "ontmoetingsruimte" in criterion(STUDIO_BRUIS, "collective")["words"]
    assert result["pillar"] == YES


def test_burgermacht_points_to_empowerment() -> None:
    pillars = suggest_pillars(BURGERMACHT["title"] + " " + BURGERMACHT["summary"], BURGERMACHT["pillars"])
    assert pillars[0]["key"] == "sociale-empowerment"
    assert pillars[0]["chosen"] is True
    assert {"invloed", "regie", "burgermacht"} <= {w.lower() for w in pillars[0]["words"]}
    assert criterion(BURGERMACHT, "complete")["outcome"] == NO
    missing = criterion(BURGERMACHT, "complete")["reasons"][0]["nl"]
    assert "het webadres" in missing and "de datum of het jaar" in missing and "de auteurs of de uitgever" in missing


def test_individual_care_fails_neighbourhood_and_collective() -> None:
    result = outcomes(INDIVIDUAL)
    assert result["complete"] == YES
    assert result["neighbourhoods"] == NO
    assert result["collective"] == NO
    assert "individuele" in " ".join(criterion(INDIVIDUAL, "collective")["words"]).lower()
    assert result["pillar"] == UNCLEAR  # chosen, but the text gives no sign of it


def test_poverty_in_a_village() -> None:
    assert outcomes(ARMOEDE)["neighbourhoods"] == YES
    assert {"dorpen", "dorpshuis"} <= set(criterion(ARMOEDE, "neighbourhoods")["words"])
    assert criterion(ARMOEDE, "collective")["outcome"] == YES
    pillars = suggest_pillars(ARMOEDE["title"] + " " + ARMOEDE["summary"])
    assert pillars[0]["key"] == "sociaaleconomische-zekerheid"
    assert {"Schulden", "armoede", "geldzorgen", "inkomen"} <= set(pillars[0]["words"])
    # no pillar chosen, but the text points to one: unclear, and it says so
    pillar = criterion(ARMOEDE, "pillar")
    assert pillar["outcome"] == UNCLEAR
    assert pillar["reasons"][0]["nl"] == "Er is nog geen pijler gekozen."


def test_no_false_compounds() -> None:
    text = "De cijfers wijken af; afwijkende netwerkorganisaties en het werk van de kern."
    assert [f["term"] for f in find_terms(tokens(text), ["wijk"])] == ["wijk"]  # 'wijken af' (verb) still a word match
    assert find_terms(tokens("afwijkende resultaten"), ["wijk"]) == []
    assert find_terms(tokens("netwerkorganisaties en welzijnswerk"), ["=werk"]) == []
    assert find_terms(tokens("betaald werk"), ["=werk"])[0]["words"] == ["werk"]
    assert find_terms(tokens("basisvoorzieningen in de buurt"), ["voorziening"])[0]["words"] == ["basisvoorzieningen"]
    assert find_terms(tokens("sociaal-economische zekerheid"), ["sociaaleconomisch"])[0]["words"] == ["sociaal-economische"]


def test_missing_pillar_and_no_signal() -> None:
    data = {"title": "Jaarverslag", "summary": "Een overzicht van de cijfers over het afgelopen jaar voor de aandeelhouders.", "pillars": []}
    result = outcomes(data)
    assert result == {"complete": NO, "neighbourhoods": NO, "collective": NO, "pillar": NO}
    assert all(c["reasons"] and c["reasons"][0]["en"] for c in check(data))


@pytest.fixture(scope="module")
def index(store):  # type: ignore[no-untyped-def]
    return entity_index(store)


def test_entity_suggestions_with_words(index) -> None:
    text = (
        "Welzijn West en de Vereniging van Nederlandse Gemeenten (VNG) onderzochten de Buurtkamer West in Zeist, "
        "als onderdeel van het Gamma-programma en het Alfa-akkoord."
    )
    found = {s["iri"].rsplit("/", 1)[1]: s for s in suggest_entities(index, text)}
    assert {"welzijn-west", "vng", "buurtkamer", "zeist", "gamma", "alfa"} <= set(found)
    assert found["vng"]["field"] == "organisations"
    assert found["buurtkamer"]["field"] == "initiatives"
    assert found["zeist"]["field"] == "places" and found["zeist"]["words"] == ["Zeist"]
    assert found["alfa"]["field"] == "programmes" and found["alfa"]["words"] == ["Alfa-akkoord"]
    assert found["gamma"]["words"] == ["Gamma-programma"]
    # the words as they stand in the text, for the full name and the abbreviation
    assert found["vng"]["words"] == ["Vereniging van Nederlandse Gemeenten", "VNG"]
    # the longest names first
    assert next(iter(found)) == "vng"


def test_entity_suggestions_are_stemmed_and_strict(index) -> None:
    # inflected words match ('Gemeenten' ~ 'gemeente'); lowercase common words do not make a proper name
    text = "de vereniging van nederlandse gemeenten; zeist (kleine letters) en een vng'tje"
    found = {s["iri"].rsplit("/", 1)[1] for s in suggest_entities(index, text)}
    assert "vng" in found  # the full multi-word name, in any case
    assert suggest_entities(index, text)[0]["words"] == ["vereniging van nederlandse gemeenten"]
    assert "zeist" not in found  # a single word counts only capitalised, as a name
    assert suggest_entities(index, "Niets bekends hier.") == []
    # already filled in: not suggested again
    present = suggest_entities(index, "Welzijn West in Zeist", present=["Welzijn West"])
    assert [s["label"] for s in present] == ["Zeist"]


def test_assess_combines_everything(index) -> None:
    result = assess(dict(PLATFORM31, summary=PLATFORM31["summary"] + " In Zeist werkt Welzijn West mee."), index)
    assert result["met"] == 4 and result["total"] == 4
    assert result["pillars"][0]["key"] == "sociale-cohesie"
    assert {e["label"] for e in result["entities"]} >= {"Zeist", "Welzijn West"}
