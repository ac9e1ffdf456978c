"""The HTML pages of the site, rendered from the store with Jinja2 (autoescaping every value).

Each function returns a page as text; web/linked_data.py serves them over HTTP and mirror.py writes them
to files, so the live site and the static mirror are the same pages.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from mgkg import __version__
from mgkg.errors import NotFoundError
from mgkg.namespaces import MG, ONTOLOGY_IRI, PREFIXES, curie, prologue
from mgkg.pages.addresses import TEMPLATE_GLOBALS, href, resource_iri, sparql_path
from mgkg.pages.catalog import catalog
from mgkg.pages.citation import dataset_citation, resource_citation
from mgkg.pages.dataset import schema_org_script, sources
from mgkg.pages.describe import RDF_FORMS, describe
from mgkg.pages.figures import AS_OF_NOTE
from mgkg.pages.models import Names, json_ld, resource_view
from mgkg.pages.provenance import citations
from mgkg.pages.release import build_release
from mgkg.pages.search import badge
from mgkg.pages.search import hits as find_hits
from mgkg.pages.series import series
from mgkg.pages.tables import COLUMNS, class_table, table_csv
from mgkg.pages.timeline import layout
from mgkg.pages.vocabulary import Term, Vocabulary, vocabulary
from mgkg.queries import Example, load_examples
from mgkg.settings import Settings
from mgkg.store.base import SparqlStore
from mgkg.store.cache import per_store

#: What a page may load: its own scripts, styles and images, nothing inline and nothing from elsewhere.
#: Pages carry it in a <meta> element too, so the static mirror, served without headers, is held to
#: it as well (a <meta> policy cannot hold frame-ancestors: the server adds that as a header).
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'")
#: The static mirror's query page runs Oxigraph compiled to WebAssembly, which the browser may only compile
#: under 'wasm-unsafe-eval': it allows compiling WebAssembly, not eval() or new Function() of JavaScript.
#: No other page gets it (see docs/design.md).
IN_BROWSER_SPARQL_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
#: The static mirror's engine: its bundled JavaScript and the WebAssembly it compiles (built by `make editor`).
IN_BROWSER_ENGINE = ("sparql-in-browser.js", "oxigraph/oxigraph.wasm")

_env = Environment(
    loader=PackageLoader("mgkg.pages", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(TEMPLATE_GLOBALS, version=__version__, content_security_policy=CONTENT_SECURITY_POLICY,
                    rdf_forms=RDF_FORMS, ontology_iri=ONTOLOGY_IRI,
                    citation=dataset_citation(),
                    form_names={ext: form.native.name for ext, form in RDF_FORMS.items()})
_env.filters["curie"] = curie
_env.filters["term_of"] = lambda iri, vocab: vocab.terms[iri]
# Jinja's capitalize lowers the rest ("IOM" would read "iom"): only the first letter changes here.
_env.filters["first_upper"] = lambda text: str(text)[:1].upper() + str(text)[1:]
_env.filters["urlquote"] = lambda text: quote(str(text), safe="")

STATIC_DIR = Path(__file__).parent / "static"

#: The classes the home page offers as entry points, most general first.
ENTRY_CLASSES = ("Regime", "Instrument", "Forum", "Actor", "GovernanceOption", "MigrantGroup", "Place",
                 "SourceDocument")


def render(template: str, **context: object) -> str:
    """Render one template of server/mgkg/templates."""
    return _env.get_template(template).render(**context)


def home(store: SparqlStore) -> str:
    """What MGKG is, counts per class, entry points."""
    vocab = vocabulary(store)
    entries = [vocab.terms[MG + name] for name in ENTRY_CLASSES if MG + name in vocab.terms]
    counted = [term for term in vocab.classes() if term.count]
    release = build_release(store)
    return render("home.html", entries=entries, classes=counted, resources=len(catalog(store).entries),
                  triples=len(store), release=release, dataset_json_ld=schema_org_script(release, sources(store)))


def resource(store: SparqlStore, slug: str, page: int = 1, compared: list[dict[str, str]] | None = None) -> str:
    """The page of one resource (with its recorded Wikidata comparison, if any); NotFoundError for
    unknown slugs or pages past the end."""
    iri = resource_iri(slug)
    return resource_from(store, iri, describe(store, iri), page, compared or [])[0]


def resource_pages(store: SparqlStore, slug: str) -> list[str]:
    """Every page of one resource (long link lists span several), from one description."""
    iri = resource_iri(slug)
    triples = describe(store, iri)
    first, count = resource_from(store, iri, triples, 1)
    return [first, *(resource_from(store, iri, triples, n)[0] for n in range(2, count + 1))]


def resource_from(store: SparqlStore, iri: str, triples: list[ox.Triple], page: int,
                  compared: list[dict[str, str]] | None = None) -> tuple[str, int]:
    """Page `page` of the resource described by `triples`, and how many pages it has."""
    vocab = vocabulary(store)
    view = resource_view(iri, triples, vocab, page, names(store))
    if page > view.pages:
        raise NotFoundError(f"{view.slug} has {view.pages} page(s) of links, not {page}")
    html = render("resource.html", view=view, page=page, as_of_note=AS_OF_NOTE, json_ld=json_ld(view, triples, vocab),
                  describe_href=sparql_path(f"DESCRIBE <{iri}>"), compared=compared or [],
                  meetings=series(store).get(iri, []),
                  citation=resource_citation(view.label, iri, view.slug))
    return html, view.pages


@per_store
def names(store: SparqlStore) -> Names:
    """Every resource's label and every source's citation, for naming what a description only links to."""
    labels = {resource_iri(slug): entry.label for slug, entry in catalog(store).entries.items()}
    return Names(labels, citations(store))


def class_index(store: SparqlStore, name: str, sort: str = "label") -> str:
    """The table of every instance of one mg: class, its subclasses included, sorted by the column `sort`."""
    vocab = vocabulary(store)
    term = _class_term(vocab, name)
    table = class_table(store, vocab.descendants(term.iri), vocab, sort)
    return render("class.html", term=term, table=table, columns=COLUMNS, vocab=vocab)


def class_csv(store: SparqlStore, name: str) -> str:
    """The table of one mg: class as CSV, by label."""
    vocab = vocabulary(store)
    return table_csv(class_table(store, vocab.descendants(_class_term(vocab, name).iri), vocab), vocab)


def _class_term(vocab: Vocabulary, name: str) -> Term:
    term = vocab.terms.get(MG + name)
    if term is None or not term.is_class:
        raise NotFoundError(f"there is no class mg:{name}")
    return term


def ontology(store: SparqlStore) -> str:
    """The documentation of every class, property and individual, with a class tree and a ready query per property."""
    vocab = vocabulary(store)
    return render("ontology.html", vocab=vocab, classes=vocab.classes(), properties=vocab.properties(),
                  individuals=vocab.individuals(),
                  usage_query=lambda term: prologue("mg") + f"SELECT ?s ?o WHERE {{ ?s mg:{term.name} ?o }} LIMIT 100")


def search(store: SparqlStore, text: str) -> str:
    """Resources whose names, description or quotes hold `text`, ranked (pages/search.py), each with its badge."""
    text = text.strip()
    vocab = vocabulary(store)
    return render("search.html", q=text, hits=find_hits(store, text) if text else None,
                  badge=lambda entry: badge(entry, vocab))


def timeline(store: SparqlStore, kinds: list[str] | None = None) -> str:
    """Instruments adopted and forums founded on a proportional axis, as an inline SVG; only events of
    `kinds` (class names) are shown when given, the others are drawn hidden for the page's filter."""
    vocab, events = vocabulary(store), catalog(store).events
    kinds_of = {e.entry.slug: tuple(sorted(vocab.terms[t].name for t in e.entry.types if t in vocab.terms))
                for e in events}
    picture = layout(events, kinds_of)
    shown = set(kinds or ()) & {name for name, _ in picture.kinds} or {name for name, _ in picture.kinds}
    return render("timeline.html", picture=picture, events=list(zip(events, picture.marks, strict=True)),
                  shown=shown, label_of=lambda name: vocab.label(MG + name))


#: What the editor holds when no query is given: a first question that finds every forum.
DEFAULT_QUERY = prologue("mg", "rdfs") + """SELECT ?resource ?label WHERE {
  ?resource a/rdfs:subClassOf* mg:Forum ; rdfs:label ?label .
} ORDER BY ?label LIMIT 25"""


def sparql_editor(settings: Settings, query: str | None = None) -> str:
    """The query editor, holding `query` (run at once) or a first example, with the examples to pick from."""
    return render("sparql.html", examples=_examples_in(settings.queries_dir), query=query or DEFAULT_QUERY,
                  run_at_once=query is not None)


@lru_cache(maxsize=8)
def _examples_in(queries_dir: Path) -> list[Example]:
    # Read once per folder, as the /.well-known/sparql-examples router does: not on every browser visit.
    return load_examples(queries_dir)


def not_found(message: str, slug: str = "") -> str:
    """A 404 page that says what was not found and where to look instead."""
    return render("not_found.html", message=message, slug=slug)


def in_browser_sparql(dump: str, examples: list[Example]) -> str:
    """The static mirror's query editor: the server's editor, its queries answered in the browser by Oxigraph
    over the release's N-Quads `dump` (read-only), under IN_BROWSER_SPARQL_POLICY."""
    return render("sparql.html", examples=examples, query=DEFAULT_QUERY, run_at_once=False, dump=dump,
                  engine=IN_BROWSER_ENGINE, content_security_policy=IN_BROWSER_SPARQL_POLICY)


def moved(target: str, title: str) -> str:
    """For the static mirror, which cannot answer 303: a page that forwards to `target`."""
    return render("moved.html", target=target, title=title)


def completions_json(store: SparqlStore) -> str:
    """What the query editor completes, as JSON: every prefix, every mg: term, every resource by label."""
    vocab = vocabulary(store)
    terms = [{"name": f"mg:{t.name}", "label": t.label, "kind": t.kind, "detail": t.definition[:120],
              "href": href(t.iri)}
             for t in (*vocab.classes(), *vocab.properties())]
    resources = [{"name": f"mgid:{e.slug}", "label": e.label, "alt": e.alt_labels}
                 for e in catalog(store).by_label()]
    return json.dumps({"prefixes": PREFIXES, "terms": terms, "resources": resources}, ensure_ascii=False)
