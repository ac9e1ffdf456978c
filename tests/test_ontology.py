"""The ontology documents itself: every term has an English label and definition."""

from __future__ import annotations

import pytest

MG = "https://w3id.org/mgkg/ontology#"

TERMS = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?term WHERE {{
  GRAPH <https://w3id.org/mgkg/graph/ontology/mgkg> {{
    ?term a ?kind .
    VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
    FILTER(STRSTARTS(STR(?term), "{MG}"))
  }}
}}"""


def _english(store, term: str, predicate: str) -> list[str]:
    query = f'SELECT ?v WHERE {{ <{term}> <{predicate}> ?v FILTER(LANGMATCHES(LANG(?v), "en")) }}'
    return [row["v"].value for row in store.query(query)]


def test_core_classes_exist(graph_store) -> None:
    terms = {row["term"].value for row in graph_store.query(TERMS)}
    for name in ("Regime", "Instrument", "Forum", "Actor"):
        assert MG + name in terms


@pytest.mark.parametrize("predicate", [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#definition",
])
def test_every_term_has_exactly_one_english(graph_store, predicate: str) -> None:
    terms = [row["term"].value for row in graph_store.query(TERMS)]
    assert len(terms) > 50
    missing = [t for t in terms if len(_english(graph_store, t, predicate)) != 1]
    assert missing == []


def test_ontology_header_is_complete(graph_store) -> None:
    ask = """ASK { <https://w3id.org/mgkg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> ;
        <http://www.w3.org/2002/07/owl#versionIRI> ?v ; <http://www.w3.org/2002/07/owl#versionInfo> ?i ;
        <http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/> ;
        <http://purl.org/vocab/vann/preferredNamespacePrefix> "mg" ;
        <http://purl.org/vocab/vann/preferredNamespaceUri> "https://w3id.org/mgkg/ontology#" ;
        <http://purl.org/dc/terms/created> ?c ; <http://purl.org/dc/terms/modified> ?m ;
        <http://purl.org/dc/terms/creator> ?who ; <http://purl.org/dc/terms/title> ?t }"""
    assert bool(graph_store.query(ask))
