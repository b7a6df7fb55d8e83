"""The ontology declares every term the data uses, each with nl and en labels and a definition."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.namespaces import SB
from tests import shipped

DECLARED_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}


def declared_terms() -> set[URIRef]:
    onto = shipped.ontology()
    return {s for t in DECLARED_TYPES for s in onto.subjects(RDF.type, t) if isinstance(s, URIRef)}


def langs(graph, subject, predicate) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_every_sb_term_is_declared_with_labels_and_definition():
    onto = shipped.ontology()
    terms = [t for t in declared_terms() if str(t).startswith(str(SB))]
    assert len(terms) > 40
    missing = [str(t) for t in terms if not {"nl", "en"} <= langs(onto, t, RDFS.label) or not langs(onto, t, SKOS.definition)]
    assert missing == []


def test_every_predicate_and_class_used_in_data_is_declared():
    onto = shipped.ontology()
    described = {s for s in onto.subjects(RDFS.label, None)}
    used_predicates = {p for _s, p, _o, _g in shipped.data().quads((None, None, None, None))}
    used_classes = {o for _s, _p, o, _g in shipped.data().quads((None, RDF.type, None, None))}
    undeclared = sorted(str(t) for t in used_predicates | used_classes if t not in described)
    assert undeclared == []
    unlabelled = sorted(str(t) for t in used_predicates | used_classes if not {"nl", "en"} <= langs(onto, t, RDFS.label))
    assert unlabelled == []


@pytest.mark.parametrize("cls", ["Publication", "ResearchReport", "Essay", "PositionPaper", "Article", "Magazine", "Presentation",
                                 "WebPage", "Organisation", "Ministry", "KnowledgeInstitute", "MunicipalityOrganisation",
                                 "WelfareOrganisation", "Association", "Programme", "Initiative", "Place", "Municipality",
                                 "Neighbourhood", "FocusArea", "Person", "Source"])
def test_required_classes_exist(cls):
    assert (SB[cls], RDF.type, OWL.Class) in shipped.ontology()


def test_sb_terms_reuse_standard_vocabularies():
    onto = shipped.ontology()
    supers = {o for t in declared_terms() for o in onto.objects(t, RDFS.subClassOf)} | {
        o for t in declared_terms() for o in onto.objects(t, RDFS.subPropertyOf)}
    for ns in ("http://purl.org/dc/terms/", "https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "http://xmlns.com/foaf/0.1/"):
        assert any(str(s).startswith(ns) for s in supers), ns


def test_every_object_property_used_in_data_reads_both_ways_in_nl_and_en():
    """Sentences such as 'GALA — wordt ondertekend door — VNG — ondertekent ook — IZA' need, for each
    relation, a reading from the subject (sb:phrase) and one from the object (sb:inverseLabel)."""
    onto = shipped.ontology()
    assert (SB.phrase, RDF.type, OWL.AnnotationProperty) in onto
    used = {p for _s, p, o, _g in shipped.data().quads((None, None, None, None)) if not isinstance(o, Literal)}
    assert len(used) > 20
    incomplete = sorted(
        str(p) for p in used if not {"nl", "en"} <= langs(onto, p, SB.phrase) or not {"nl", "en"} <= langs(onto, p, SB.inverseLabel)
    )
    assert incomplete == []
