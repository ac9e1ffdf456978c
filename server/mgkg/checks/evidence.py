"""Whether a quote states the fact it backs: subject and value named, and no more date precision than the text.

An evidence node claims `subject property value` with a verbatim quote from a seed; a figure claims that its
subject has `value` as of `asOf`. The quote states the claim when it

- names the subject: a label or acronym of it, a distinctive word of one (a word that few resources' names
  use, as written or in capitals), a short name after its whole ("the GMG ... a permanent secretariat"; a post
  by its title after its office: "the OHCHR ... the new High Commissioner"), or a definite back-reference by a
  kind noun of the subject's own label ("the Convention", "its report"); a seed is named by being the quote's
  own source, as a subject and as a value;
- names the value: a resource as a subject is named, but never by back-reference, save inside the subject's own
  name ("Friends of the Forum" names the GFMD its label says it belongs to) or a series as the subject's kind
  ("the second of its kind"); a date at the value's
  precision ("in 2003" backs 2003, not 2003-12); a number in any spelling the seeds use ("forty-nine", "7,800",
  "1.2 million", "5+5"), a small count also by the list of names it counts; a boolean by a word of its
  property's small vocabulary below; a text by itself or by most of its words;
- is at most MAX_QUOTE_CHARS characters long.

An elided quote ("the GMG [...] working groups", `mgkg.checks.elision`) may name its subject and value in any
of its parts; the length limit counts the text it keeps.

Names are compared in the normal form of `mgkg.checks.quote_text`, which forgives the seeds' lost ligatures
("traicking", "his" for "This"); dates and numbers are read there too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from mgkg.checks.elision import MAX_QUOTE_CHARS, kept_text
from mgkg.checks.quote_text import damaged_pattern, dates_stated, lose_ligatures, names_number, normal_form, tidy

# A word that more resources' names use than this says what kind of thing a resource is, not which one.
DISTINCTIVE_MAX_RESOURCES = 2
# A text value is stated when the quote holds it, or at least this share of its words.
TEXT_WORDS_SHARE = 2 / 3
STOP_WORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on", "or", "the", "to", "with",
    "against", "between", "concerning", "other", "all", "their",
))
# Capitalised words of titles that are still plain English, so they cannot single a resource out.
GENERIC_WORDS = frozenset((
    "action", "affairs", "approach", "areas", "basic", "beings", "best", "board", "centre", "change", "children",
    "civil", "countries", "department", "economic", "employment", "family", "families", "fundamental", "general",
    "high", "human", "improving", "independent", "integration", "joint", "labour", "legal", "members", "mobility",
    "national", "origin", "people", "policy", "population", "principles", "protection", "research", "rights",
    "service", "services", "social", "state", "states", "statement", "sustainable", "system", "trends", "women",
    "work", "workers", "world",
))
# Nouns by which the seeds name a document, body or proposal again on second mention: "the Convention",
# "the report", "this incorporation" (of the IOM into the UN).
KIND_NOUNS = frozenset((
    "charter", "commission", "committee", "conference", "constitution", "convention", "council", "court",
    "covenant", "declaration", "dialogue", "directive", "forum", "incorporation", "programme", "protocol",
    "rapporteur", "regime", "report", "treaty",
))


# The words that state a boolean property's value. "informal" must not count as "formal".
BOOLEAN_WORDS: Mapping[tuple[str, bool], re.Pattern[str]] = {key: damaged_pattern(pattern) for key, pattern in {
    ("formalInstitution", False): r"(?i)informal|non-?formal|not a formal|no formal|non-? ?binding",
    ("formalInstitution", True): r"(?i)(?<!in)formal|normative|established|convention|treaty|organi[sz]ation",
    ("legallyBinding", True): r"(?i)(?<!non-)(?<!non )(?<!not )(?<!not legally )binding|ratified|ratification|"
                              r"direct effect|hard law|states part(?:y|ies)",  # only a treaty has States Parties
    ("legallyBinding", False): r"(?i)non-? ?binding|not (?:constitute a |legally )?binding|voluntary|informal|"
                               r"soft law",
    ("customaryLaw", True): r"(?i)(?<!not )customary",
    ("customaryLaw", False): r"(?i)not (?:part of |considered )?customary",
    # UN as a word or opening an acronym (UNHCR), never the "un" of "under"
    ("inUNSystem", True): r"\bUN(?:[A-Z]*|-[A-Za-z]+)\b|(?i:united nations|specialized agenc)",
    ("inUNSystem", False): r"(?i:non-)UN|(?i:outside (?:of )?the) UN|(?i:not (?:part of |a |an )?(?:the )?)UN\b|"
                           r"(?i:independent (?:from|of) the) UN",
}.items()}
# A place is also named by its adjective: "the Swiss government", "European States".
PLACE_ADJECTIVES: Mapping[str, tuple[str, ...]] = {
    "Africa": ("African",), "Asia": ("Asian",), "Europe": ("European",), "West Africa": ("Western Africa",),
    "Southern Africa": ("South Africa",), "Switzerland": ("Swiss",), "Sweden": ("Swedish",), "Finland": ("Finnish",),
    "Ireland": ("Irish",),
    "Belgium": ("Belgian",), "Mexico": ("Mexican",), "Germany": ("German",), "France": ("French",),
    "Italy": ("Italian",), "Philippines": ("Filipino", "Philippine"), "United States": ("American", "U.S.", "US"),
    "Australia": ("Australian",), "Canada": ("Canadian",), "Greece": ("Greek",), "Brazil": ("Brazilian",),
    "Central America": ("Central American",), "Libya": ("Libyan",),
}
# "the Convention", "its final report", "the high level dialogue", "the working group's report"
BACK_REFERENCE = lose_ligatures(r"\b(?:the|its|this|these)\s+(?:[\w'-]+\s+){0,2}")

# "The HLD was the second of its kind": a meeting placed in its series, which the sentence names by "its kind"
OF_ITS_KIND = re.compile(r"(?i)\b(?:first|second|third|fourth|fifth|sixth|\w+th|last|latest) of its kind\b")

def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 8 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def mentions(quote: str, name: str) -> bool:
    """Whether `quote` (in normal form) holds `name` as whole words: acronyms in their case, other names in
    any case, in the singular or the plural ("migrant worker", "migrant workers", "process", "processes"), and with
    a possessive between its words ("IOM's constitution"), without an article inside it ("Migrants in Irregular
    Situation"); a slash may be followed by the space a line break left ("A/ HRC/20/24")."""
    return first_mention(quote, name) is not None


def first_mention(quote: str, name: str) -> re.Match[str] | None:
    """Where `quote` first holds `name`, as `mentions` reads it."""
    target = normal_form(name).strip(" .,;:")
    if not target:
        return None
    if _is_acronym(name):
        return re.search(rf"(?<![\w-]){re.escape(target)}(?!\w)", quote)
    if re.search(r"(?:ss|x|ch|sh)(?:es)?$", target, re.IGNORECASE):  # process, processes
        stem, plural = re.sub(r"(?i)es$", "", target), "(?:es)?"
    else:
        stem, plural = (target[:-1] if target.endswith("s") and len(target) > 4 else target), "s?"
    # Secretary-General, Secretary General; IOM Constitution, IOM's constitution
    pattern = re.escape(stem).replace(r"\-", "[- ]").replace(r"\ ", "(?:'s)?[- ]").replace("/", "/ ?")
    # a title may drop an article the name has: "Migrants in Irregular Situation", "migrants in an irregular situation"
    pattern = re.sub(r"(?<=\[- \])(?:an?|he)\(\?:'s\)\?\[- \]", lambda article: f"(?:{article[0]})?", pattern)
    # a name starts a word, or follows an acronym in a compound ("EU-Africa"), never another word ("Inter-American")
    start = r"(?:(?<![\w-])|(?<=(?-i:[A-Z]{2})-))"
    # a footnote marker may stick to a name that ends in a letter ("Colombo Process18")
    end = r"(?!\w)" if stem[-1].isdigit() else r"(?![^\W\d_])"
    return re.search(rf"{start}{pattern}{plural}{end}", quote, re.IGNORECASE)


@dataclass(frozen=True)
class Names:
    """How a quote may name one resource: its labels and acronyms, their distinctive words, their kind nouns."""

    labels: tuple[str, ...]
    words: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    # (the names of a whole, the short name of this resource as a part of it): ("GMG", ...), "permanent secretariat"
    parts: tuple[tuple[tuple[str, ...], str], ...] = ()

    def named_in(self, quote: str) -> bool:
        return (any(mentions(quote, name) for name in self.labels)
                or any(_holds_word(quote, word) for word in self.words)
                or any(_introduced_by_whole(quote, whole, part) for whole, part in self.parts))

    def names_its_whole(self, quote: str, whole: Names) -> bool:
        """Whether `quote` names this part by a short name that refers back to `whole` by its kind noun:
        "Friends of the Forum", part of the GFMD as its label "GFMD Friends of the Forum" says."""
        return any(names == whole.labels and mentions(quote, short)
                   and any(re.search(rf"\bthe\s+{kind}s?\b", short, re.IGNORECASE) for kind in whole.kinds)
                   for names, short in self.parts)

    def is_series_of(self, member: Names) -> bool:
        """Whether this resource's label is the plural of a name of `member`: "High-level Dialogues on International
        Migration and Development" is the series of the "UN High-level Dialogue on International Migration and
        Development (2013)"."""
        series = {normal_form(label).casefold() for label in self.labels}
        return any(plural.endswith(tuple(series))
                   for name in member.labels
                   for plural in [re.sub(r"^(.+?)(?=(?: (?:on|of|for) .*)?$)", r"\1s", normal_form(name).casefold())])

    def referred_to_in(self, quote: str) -> bool:
        """A definite back-reference by a kind noun of the resource's own label ("the Convention")."""
        return any(re.search(BACK_REFERENCE + rf"{lose_ligatures(kind)}s?\b", quote, re.IGNORECASE)
                   for kind in self.kinds)


def _holds_word(quote: str, word: str) -> bool:
    """Whether `quote` holds a distinctive word of a name as the name writes it, or in capitals ("GENEVA" in a
    heading); in lower case it is the plain English word ("displacement" is no name)."""
    pattern = rf"(?<![\w-]){re.escape(normal_form(word))}(?!\w)"
    return re.search(pattern, quote) is not None or any(
        found[0].isupper() for found in re.finditer(pattern, quote, re.IGNORECASE))


def _introduced_by_whole(quote: str, whole: Iterable[str], part: str) -> bool:
    """A part named by its short name after its whole: "the GMG ... established a permanent secretariat",
    "the OHCHR ... the new High Commissioner". Before its whole, the short name could be any whole's part."""
    starts = [match.end() for name in whole if (match := first_mention(quote, name))]
    return bool(starts) and mentions(quote[min(starts):], part)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def _without_trailing_parenthesis(label: str) -> str:
    """ "Report (International Migration 45(1), 2007)" without its last, balanced, parenthesis."""
    if not label.endswith(")"):
        return label
    depth = 0
    for i in range(len(label) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(label[i], 0)
        if depth == 0:
            return label[:i].strip()
    return label


def _name_variants(label: str) -> list[str]:
    """A label; without a trailing parenthesis ("... Report (1997)"); an acronym or a document symbol
    ("A/HRC/26/35") in its parentheses; the adjective of a place ("Swiss"); a group of migrants by its kind of
    migration ("irregular migration")."""
    variants = [label, _without_trailing_parenthesis(label)]
    variants += re.findall(r"\(([A-Z][A-Za-z0-9+&/-]{1,9})\)", label)
    variants += re.findall(r"\(([A-Z]+(?:/[A-Za-z0-9.]+){2,})\)", label)
    variants += PLACE_ADJECTIVES.get(label, ())
    if group := re.fullmatch(r"(?i)([\w -]+) migrants", label):
        variants.append(f"{group[1]} migration")
    return variants


# A post is titled by its label without the UN it belongs to and the field it covers: "High Commissioner".
_POST_TITLE = re.compile(r"^(?:United Nations |UN )?(.+?)(?: (?:for|of|on) .*)?$")


def _parts(labels: Mapping[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    """For each resource that is part of another, (the whole, its short name as a part): a label that is a
    whole's name and more ("GMG working group on Data and Research", "GFMD support unit"), or more and then a
    whole's name ("Permanent secretariat of the Global Migration Group"); and a post whose office another
    resource is ("Office of the United Nations High Commissioner for Human Rights": "High Commissioner").
    A whole is named by one of its own labels as written, an acronym or of two words or more: not "state" or
    "Europe", nor the group "Migrant workers" in the title "Migrant Workers Convention". A short name of one word
    ("secretariat", "Council") says too little to single a part out, and one that opens with a preposition or a
    bracket ("in the former Soviet Union") is the rest of a phrase, not a name. A short name that another resource
    bears ("Migrant Workers Convention", of the ILO's C143) names that one."""
    owner: dict[str, set[str]] = {}
    for resource, ls in labels.items():
        for label in ls:
            if _is_acronym(label) or len(_words(label)) >= 2:
                owner.setdefault(normal_form(label), set()).add(resource)
    borne = {normal_form(name).casefold(): resource
             for resource, ls in labels.items() for label in ls for name in _name_variants(label)}
    found: dict[str, list[tuple[str, str]]] = {}

    def add(part_of: Iterable[str], whole: Iterable[str], short: str) -> None:
        words = [w.casefold() for w in _words(short)]
        part_of = [r for r in part_of if borne.get(normal_form(short).casefold(), r) == r]
        content = [w for w in words if w not in STOP_WORDS]
        if short[:1].isalnum() and words and words[0] not in STOP_WORDS and len(content) >= 2:
            for resource in part_of:
                found.setdefault(resource, []).extend((w, short) for w in whole if w != resource)

    for resource, ls in labels.items():
        for label in ls:
            words = label.split(" ")
            for k in range(1, len(words)):
                head = re.sub(r"['’]s$", "", " ".join(words[:k]))
                add([resource], owner.get(normal_form(head), ()), " ".join(words[k:]))
            if of := re.search(r" (?:of|for) (?:the )?", label):
                add([resource], owner.get(normal_form(label[of.end():]), ()), label[:of.start()])
            if office := re.fullmatch(r"Office of (?:the )?(.+)", label):
                for post in owner.get(normal_form(office[1]), ()):
                    add([post], [resource], _POST_TITLE.fullmatch(office[1])[1])  # type: ignore[index]
    return found


def build_names(labels_by_resource: Mapping[str, Iterable[str]]) -> dict[str, Names]:
    """The names of every resource from all its labels and acronyms; distinctiveness is counted over them all."""
    labels = {r: [v for label in ls for v in _name_variants(label)] for r, ls in labels_by_resource.items()}
    parts = _parts({r: list(ls) for r, ls in labels_by_resource.items()})
    usage: Counter[str] = Counter()
    for ls in labels.values():
        usage.update({w.casefold() for label in ls for w in _words(label)})
    names = {}
    for resource, ls in labels.items():
        words = {w for label in ls for w in _words(label)
                 if usage[w.casefold()] <= DISTINCTIVE_MAX_RESOURCES and w[0].isupper()
                 and w.casefold() not in STOP_WORDS | GENERIC_WORDS and (len(w) >= 4 or _is_acronym(w))}
        kinds = {w.casefold() for label in ls for w in _words(label) if w.casefold() in KIND_NOUNS}
        part_of = tuple((tuple(dict.fromkeys(labels[whole])), short)
                        for whole, short in dict.fromkeys(parts.get(resource, ())))
        names[resource] = Names(tuple(dict.fromkeys(ls)), tuple(sorted(words)), tuple(sorted(kinds)), part_of)
    return names


@dataclass(frozen=True)
class Claim:
    """What one evidence node, figure or tenure says: `subject property value`, with its quote and seed."""

    subject: str
    property: str  # local name in mg:, or "figure" for a figure's value
    value: str  # an IRI, or a literal's lexical form
    datatype: str | None  # the literal's XSD local name; None for an IRI
    quote: str
    source: str  # the seed document's IRI
    seed: str  # its file name
    as_of: str | None = None  # a figure's date
    as_of_type: str | None = None
    held: str | None = None  # a tenure's date (when it held, began or ended)


def _states_literal(claim: Claim, plain: str, quote: str) -> bool:
    kind, value = claim.datatype, claim.value
    if kind in ("gYear", "gYearMonth", "date"):
        return value in dates_stated(plain)
    if kind == "boolean":
        vocabulary = BOOLEAN_WORDS.get((claim.property, value == "true"))
        return vocabulary is not None and vocabulary.search(quote) is not None
    if kind in ("integer", "decimal", "double"):
        return names_number(quote, float(value))
    text, folded = normal_form(value).casefold(), quote.casefold()
    words = [w for w in _words(text) if w not in STOP_WORDS]
    return text in folded or (bool(words) and sum(w in folded for w in words) >= TEXT_WORDS_SHARE * len(words))


def problems(claim: Claim, names: Mapping[str, Names]) -> list[str]:
    """Why the claim's quote does not state it; empty when it does."""
    plain = tidy(claim.quote)
    quote = lose_ligatures(plain)
    found = []
    if len(kept := kept_text(claim.quote)) > MAX_QUOTE_CHARS:
        found.append(f"quote is {len(kept)} characters, more than {MAX_QUOTE_CHARS}")
    subject = names.get(claim.subject)
    # a seed's own record (its DOI, its date) is quoted from the seed itself, which names it by being the source
    if claim.subject != claim.source and (subject is None or not (subject.named_in(quote)
                                                                 or subject.referred_to_in(quote))):
        found.append("quote does not name the subject")
    if claim.datatype is None:
        value = names.get(claim.value)
        if claim.value != claim.source and (value is None or not (
                value.named_in(quote) or (subject is not None and subject.names_its_whole(quote, value))
                or (subject is not None and OF_ITS_KIND.search(quote) and value.is_series_of(subject)))):
            found.append("quote does not name the value")
    elif not _states_literal(claim, plain, quote):
        precision = f" at its precision ({claim.datatype})" if claim.datatype in ("gYearMonth", "date") else ""
        found.append("quote does not state the value" + precision)
    if claim.as_of_type in ("gYearMonth", "date") and claim.as_of not in dates_stated(plain):
        found.append(f"quote does not state the figure's date {claim.as_of} at its precision")
    # when a tenure held is the fact it adds, so its quote states that date even when it is only a year
    if claim.held is not None and claim.held not in dates_stated(plain):
        found.append(f"quote does not state the tenure's date {claim.held} at its precision")
    return found


class SparqlQueryable(Protocol):
    """Anything that answers a SELECT with rows of pyoxigraph terms, as `SparqlStore.query` does."""

    def query(self, sparql: str) -> Any: ...


_PREFIXES = """PREFIX mg: <https://w3id.org/mgkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_CLAIMS = _PREFIXES + """
SELECT ?subject ?property ?value ?quote ?source ?file ?asOf ?held WHERE {
  { ?subject mg:evidence ?node . ?node mg:statesProperty ?property ; mg:statesValue ?value }
  UNION
  { ?subject mg:figure ?node . ?node mg:value ?value OPTIONAL { ?node mg:asOf ?asOf } }
  UNION
  { ?subject mg:tenure ?node . ?node mg:statesProperty ?property ; mg:statesValue ?value
    OPTIONAL { ?node mg:pointInTime|mg:startDate|mg:endDate ?held } }
  ?node mg:quote ?quote ; mg:source ?source . ?source mg:fileName ?file .
}"""
_NAMES = _PREFIXES + "SELECT ?resource ?name WHERE { ?resource rdfs:label|skos:altLabel ?name }"
_MG = "https://w3id.org/mgkg/ontology#"


def _datatype(term: Any) -> str | None:
    datatype = getattr(term, "datatype", None)
    return None if datatype is None else str(datatype.value).rsplit("#", 1)[-1]


def read_claims(store: SparqlQueryable) -> list[Claim]:
    """Every evidence node, figure and tenure of the store, as claims (a tenure once for each of its dates)."""
    claims = []
    for row in store.query(_CLAIMS):
        as_of, held = row["asOf"], row["held"]
        claims.append(Claim(
            subject=row["subject"].value,
            property="figure" if row["property"] is None else row["property"].value.removeprefix(_MG),
            value=row["value"].value, datatype=_datatype(row["value"]), quote=row["quote"].value,
            source=row["source"].value, seed=row["file"].value,
            as_of=None if as_of is None else as_of.value, as_of_type=_datatype(as_of),
            held=None if held is None else held.value))
    return claims


def read_names(store: SparqlQueryable) -> dict[str, Names]:
    """The names of every labelled resource of the store."""
    labels: dict[str, list[str]] = {}
    for row in store.query(_NAMES):
        labels.setdefault(row["resource"].value, []).append(row["name"].value)
    return build_names(labels)
