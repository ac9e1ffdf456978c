"""Every IRI namespace MGKG writes or reads, one PREFIXES map, and PREFIX lines for queries.

`MG.evidence` is the IRI string https://w3id.org/mgkg/ontology#evidence; a namespace is also a
plain string (`MG + name`, `iri.startswith(MG)`). A new prefix is added here and nowhere else.
"""

from __future__ import annotations


class Namespace(str):
    """An IRI namespace whose attributes are the IRIs inside it: `RDFS.label`."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self + name

    def term(self, name: str) -> str:
        """The IRI of `name` in this namespace, for names that are not identifiers (`type`, `Class`...)."""
        return self + name


#: The public base of every MGKG IRI; the server maps it to its own address.
BASE_IRI = "https://w3id.org/mgkg/"
ONTOLOGY_IRI = BASE_IRI + "ontology"

MG = Namespace(ONTOLOGY_IRI + "#")
MGID = Namespace(BASE_IRI + "id/")
MGSH = Namespace(BASE_IRI + "shapes#")
#: One named graph per source file: GRAPH + its path below the project root, without suffix.
GRAPH = Namespace(BASE_IRI + "graph/")

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
SCHEMA = Namespace("https://schema.org/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")

#: rdf:type, written out so often that it has its own name.
RDF_TYPE = RDF.term("type")

#: Prefix -> namespace, for Turtle output, compact names in reports, and query prologues.
PREFIXES: dict[str, str] = {
    "mg": MG, "mgid": MGID, "mgsh": MGSH,
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS, "prov": PROV,
    "sh": SH, "sd": SD, "void": VOID, "formats": FORMATS, "schema": SCHEMA, "spex": SPEX, "wd": WD,
    "dcat": DCAT, "foaf": FOAF, "spdx": SPDX,
}


def prologue(*names: str) -> str:
    """PREFIX lines for the prefixes `names` (KeyError for a prefix that is not in PREFIXES)."""
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


def curie(iri: str, keep_whole: frozenset[str] = frozenset()) -> str:
    """`iri` as a prefixed name ("schema:Organization") when a prefix of PREFIXES (not in `keep_whole`)
    covers it, else whole."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and prefix not in keep_whole:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def compact(iri: str) -> str:
    """`iri` as a CURIE (mg:Treaty) when one of the prefixes covers it, else unchanged; resources keep
    their full IRI (mgid: is for reading, not for the ids other services store)."""
    return curie(iri, frozenset({"mgid"}))


def expand(curie: str) -> str:
    """The IRI a CURIE stands for (mg:Treaty); a bare local name (Treaty) is read in the mg: namespace."""
    prefix, colon, local = curie.partition(":")
    if colon and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return curie if colon else MG + curie
