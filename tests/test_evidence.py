"""Every quote states its fact: the rule of mgkg.checks.evidence, on examples and over all the graph's evidence."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import ROOT
from mgkg.checks.evidence import Claim, build_names, mentions, problems, read_claims, read_names
from mgkg.checks.quote_text import dates_stated, names_number, number_spellings

EXCEPTIONS = ROOT / "tests" / "quote_exceptions.csv"
MG = "https://w3id.org/mgkg/id/"
MARTIN_2015 = MG + "martin-2015-international-migration-and-global-governance"
NAMES = build_names({
    MG + "gcim": ["Global Commission on International Migration", "GCIM"],
    MG + "mwc": ["International Convention on the Protection of the Rights of All Migrant Workers", "MWC"],
    MG + "trafficking-protocol": ["Protocol to Prevent, Suppress and Punish Trafficking in Persons"],
    MG + "un-secretary-general": ["UN Secretary-General"],
    MG + "switzerland": ["Switzerland"],
    MG + "berne-initiative": ["Berne Initiative"],
    MG + "migrant-workers": ["Migrant workers"],
    MG + "us": ["United States"],
    MG + "iom": ["International Organization for Migration", "IOM"],
})


def claim(subject: str, prop: str, value: str, quote: str, datatype: str | None = None, **figure: str) -> Claim:
    value = value if datatype else MG + value
    return Claim(MG + subject, prop, value, datatype, quote, MARTIN_2015, "001_x.txt", **figure)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as table:
        return list(csv.DictReader(table))


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_a_quote_naming_subject_and_value_states_the_fact() -> None:
    quote = "the GCIM, which was set up by the UN Secretary-General in 2003"
    assert problems(claim("gcim", "establishedBy", "un-secretary-general", quote), NAMES) == []


def test_a_list_tail_that_names_neither_is_refused() -> None:
    found = problems(claim("berne-initiative", "establishedBy", "switzerland", "and later with Sweden"), NAMES)
    assert found == ["quote does not name the subject", "quote does not name the value"]


def test_lost_ligatures_still_match() -> None:
    quote = "he Protocol to Prevent, Suppress and Punish Traicking in Persons protects migrant workers"
    assert problems(claim("trafficking-protocol", "protects", "migrant-workers", quote), NAMES) == []


def test_acronyms_keep_their_case_and_places_their_adjective() -> None:
    assert problems(claim("iom", "relatedTo", "us", "the US and the IOM"), NAMES) == []
    assert "quote does not name the subject" in problems(claim("iom", "relatedTo", "us", "the US and iom"), NAMES)
    assert problems(claim("berne-initiative", "establishedBy", "switzerland",
                          "the Swiss government launched the Berne Initiative"), NAMES) == []
    finland = build_names({MG + "finland": ["Finland"], MG + "eu": ["European Union", "EU"]})
    assert problems(claim("finland", "memberOf", "eu", "an example of the EU, in Finnish parliaments"), finland) == []


def test_back_reference_only_by_the_subjects_own_kind_noun() -> None:
    assert problems(claim("mwc", "protects", "migrant-workers", "The Convention protects migrant workers"), NAMES) == []
    assert problems(claim("mwc", "protects", "migrant-workers", "It protects migrant workers"), NAMES) \
        == ["quote does not name the subject"]
    assert problems(claim("iom", "protects", "migrant-workers", "The Convention protects migrant workers"), NAMES) \
        == ["quote does not name the subject"]


def test_a_back_reference_may_pass_through_a_possessive() -> None:
    report = build_names({MG + "wg-report": ["Report of the UN working group on migration"],
                          MG + "wg": ["UN working group on migration", "working group on migration"]})
    quote = "he set up a working group on migration. he working group’s report recommended creating a commission"
    assert problems(claim("wg-report", "producedBy", "wg", quote), report) == []
    assert problems(claim("wg-report", "producedBy", "wg", "a working group on migration recommended it"), report) \
        == ["quote does not name the subject"]


def test_a_plural_in_es_and_its_singular_name_each_other() -> None:
    rcps = build_names({MG + "rcps": ["Regional consultative processes"], MG + "igc": ["IGC"],
                        MG + "rabat-process": ["Rabat Process"], MG + "eu": ["EU"]})
    quote = "he Regional Consultative Process (RCP) model began in 1985 with the IGC"
    assert problems(claim("rcps", "emergedFrom", "igc", quote), rcps) == []
    quote = "the regional dialogues established by the EU, such as the Khartoum and Rabat Processes in the South"
    assert problems(claim("rabat-process", "establishedBy", "eu", quote), rcps) == []
    assert problems(claim("rcps", "emergedFrom", "igc", "a regional consultative model began with the IGC"), rcps) \
        == ["quote does not name the subject"]


def test_a_group_of_migrants_is_named_by_its_kind_of_migration() -> None:
    groups = build_names({MG + "irregular-migrants": ["Irregular migrants"], MG + "migrants": ["migrants"],
                          MG + "schengen": ["Schengen Acquis"]})
    quote = "he Schengen Acquis was essentially focused on border control and the ight against irregular migration."
    assert problems(claim("schengen", "addresses", "irregular-migrants", quote), groups) == []
    # a bare "migrants" is no kind: "migration" alone names no group
    assert problems(claim("schengen", "addresses", "migrants", quote), groups) == ["quote does not name the value"]


def test_a_possessive_and_a_compound_with_an_acronym_still_name() -> None:
    names = build_names({MG + "iom-constitution": ["IOM Constitution"], MG + "un-charter": ["UN Charter"],
                         MG + "eu-africa": ["EU-Africa dialogue on migration"], MG + "africa": ["Africa"],
                         MG + "us": ["United States"], MG + "iachr": ["Inter-American Court"]})
    quote = "he principles of the UN Charter would need to be integrated into IOM’s constitution."
    assert problems(claim("un-charter", "relatedTo", "iom-constitution", quote), names) == []
    quote = "The best example of inter-regional consultations is the EU-Africa dialogue on migration"
    assert problems(claim("eu-africa", "coversRegion", "africa", quote), names) == []
    # the adjective of the United States is no part of "Inter-American"
    assert problems(claim("iachr", "coversRegion", "us", "the Inter-American Court"), names) \
        == ["quote does not name the value"]


def test_a_title_may_drop_an_article_of_the_name_but_not_add_a_word() -> None:
    groups = build_names({MG + "irregular-migrants": ["migrants in an irregular situation"],
                          MG + "statement": ["GMG statement"]})
    quote = "GMG statement on the Human Rights of Migrants in Irregular Situation (Geneva, 30 September 2010)"
    assert problems(claim("statement", "addresses", "irregular-migrants", quote), groups) == []
    assert mentions("the Commission on Status of Women", "Commission on the Status of Women")
    # an article that opens the name is part of it, and no other word may stand in for one
    assert mentions("irregular situation", "an irregular situation") is False
    assert mentions("migrants in some irregular situation", "migrants in an irregular situation") is False


def test_a_regime_is_referred_to_as_the_regime() -> None:
    names = build_names({MG + "refugee-regime": ["Refugee regime"], MG + "refugees": ["Refugees"]})
    quote = "a highly institutionalized global governance of refugees through the international regime within the UN"
    assert problems(claim("refugee-regime", "addresses", "refugees", quote), names) == []
    assert problems(claim("refugee-regime", "addresses", "refugees", "a governance of refugees"), names) \
        == ["quote does not name the subject"]


def test_a_footnote_marker_may_stick_to_a_name_but_not_change_a_number() -> None:
    names = build_names({MG + "kyoto": ["Kyoto Protocol"], MG + "polluter-pays": ["polluter pays"]})
    quote = "Based on the principles of “polluter pays”26 and “historical responsibility”27 the Kyoto Protocol"
    assert problems(claim("kyoto", "relatedTo", "polluter-pays", quote), names) == []
    assert mentions("the ILO adopted Convention No. 97", "Convention No. 9") is False


def test_a_seed_is_named_by_being_the_quotes_source() -> None:
    quote = "doi: 10.1093/global/guw001 Advance Access publication 28 May 2015"
    assert problems(claim(MARTIN_2015.removeprefix(MG), "publicationDate", "2015-05-28", quote, "date"), NAMES) == []
    assert problems(claim("gcim", "foundingDate", "2015-05-28", quote, "date"), NAMES) \
        == ["quote does not name the subject"]


def test_a_document_is_named_by_its_symbol_even_broken_at_a_slash() -> None:
    reports = build_names({MG + "sr-report": ["Report of the Special Rapporteur on migrants (A/HRC/20/24)"],
                           MG + "sr-report-2014": ["Report of the Special Rapporteur on labour (A/HRC/26/35)"],
                           MG + "hrc": ["Human Rights Council", "HRC"], MG + "crepeau": ["François Crépeau"]})
    for quote in ("Report by the Special Rapporteur, François Crépeau – A/ HRC/20/24, 12/04/2012",
                  "François Crépeau – A/HRC/20/24"):
        assert problems(claim("crepeau", "authorOf", "sr-report", quote), reports) == []
    assert problems(claim("crepeau", "authorOf", "sr-report", "François Crépeau – A/HRC/26/35"), reports) \
        == ["quote does not name the value"]


def test_a_year_backs_a_year_not_a_month() -> None:
    year_only = "the Global Commission on International Migration was created in 2003"
    assert problems(claim("gcim", "foundingDate", "2003", year_only, "gYear"), NAMES) == []
    assert problems(claim("gcim", "foundingDate", "2003-12", year_only, "gYearMonth"), NAMES) \
        == ["quote does not state the value at its precision (gYearMonth)"]
    assert problems(claim("gcim", "foundingDate", "2003-12", "the GCIM, launched in December 2003", "gYearMonth"),
                    NAMES) == []


@pytest.mark.parametrize(("text", "dates"), [
    ("entered into force 1 July 2003.", {"2003", "2003-07", "2003-07-01"}),
    ("On October 3 and 4, 2013, the General Assembly", {"2013", "2013-10", "2013-10-03", "2013-10-04"}),
    ("Consultations (2-3 July 2003, Berne)", {"2003", "2003-07", "2003-07-02", "2003-07-03"}),
    ("A/HRC/20/24, 12/04/2012, paras 43", {"2012", "2012-04", "2012-04-12"}),
    ("in September 2006, New-York", {"2006", "2006-09"}),
    ("between 1990 and 2013", {"1990", "2013"}),
])
def test_dates_are_read_at_the_precision_written(text: str, dates: set[str]) -> None:
    assert dates_stated(text) == dates


def test_numbers_in_the_seeds_spellings() -> None:
    assert {"49", "forty-nine", "forty nine"} <= set(number_spellings(49))
    assert {"155 million", "155,000,000"} <= set(number_spellings(155_000_000))
    assert {"half a million", "0.5 million"} <= set(number_spellings(500_000))
    quote = "the IOM has 151 member States and more than 7,800 staf members"
    assert problems(claim("iom", "figure", "7800", quote, "integer", as_of="2016", as_of_type="gYear"), NAMES) == []
    assert problems(claim("iom", "figure", "7000", quote, "integer"), NAMES) == ["quote does not state the value"]


def test_a_figure_dated_to_the_month_needs_the_month_in_its_quote() -> None:
    quote = "the MWC is still only ratified by 48"
    assert problems(claim("mwc", "figure", "48", quote, "integer", as_of="2015-09", as_of_type="gYearMonth"), NAMES) \
        == ["quote does not state the figure's date 2015-09 at its precision"]


def test_a_tenure_needs_its_date_in_its_quote_even_a_bare_year() -> None:
    """Unlike a figure's date (often the seed's own), when a tenure held is the fact it adds."""
    quote = "the Berne Initiative was launched by Switzerland"
    assert problems(claim("berne-initiative", "convenedBy", "switzerland", quote, held="2001"), NAMES) \
        == ["quote does not state the tenure's date 2001 at its precision"]
    assert problems(claim("berne-initiative", "convenedBy", "switzerland", "In 2001, " + quote, held="2001"),
                    NAMES) == []
    assert problems(claim("berne-initiative", "convenedBy", "switzerland", "In 2001, " + quote, held="2001-06"),
                    NAMES) == ["quote does not state the tenure's date 2001-06 at its precision"]

def test_booleans_by_their_propertys_words() -> None:
    informal = "the Berne Initiative is a state-owned informal consultation mechanism"
    assert problems(claim("berne-initiative", "formalInstitution", "false", informal, "boolean"), NAMES) == []
    assert problems(claim("berne-initiative", "formalInstitution", "true", informal, "boolean"), NAMES) \
        == ["quote does not state the value"]
    assert problems(claim("iom", "inUNSystem", "false", "The IOM is not part of the UN system", "boolean"), NAMES) == []
    parties = "he Protocol to Prevent, Suppress and Punish Traicking in Persons has 159 States Parties."
    assert problems(claim("trafficking-protocol", "legallyBinding", "true", parties, "boolean"), NAMES) == []
    custom = "he MWC is considered customary international law"
    assert problems(claim("mwc", "customaryLaw", "true", custom, "boolean"), NAMES) == []
    assert problems(claim("mwc", "customaryLaw", "false", custom, "boolean"), NAMES) \
        == ["quote does not state the value"]


def test_quotes_stay_short() -> None:
    quote = "The GCIM was created in 2003 " + "and so on " * 30
    assert problems(claim("gcim", "foundingDate", "2003", quote, "gYear"), NAMES) \
        == [f"quote is {len(quote)} characters, more than 300"]


def test_an_elided_quote_names_subject_and_value_in_any_part_and_counts_the_text_it_keeps() -> None:
    quote = "Dialogue with certain Asian states20 […] 20 The Asian states are Brunei, China"
    names = build_names({MG + "asem": ["ASEM dialogue"], MG + "brunei": ["Brunei"], MG + "korea": ["Korea"]})
    assert problems(claim("brunei", "participantIn", "asem", quote.replace("Dialogue", "ASEM dialogue")), names) == []
    assert problems(claim("korea", "participantIn", "asem", quote), names) \
        == ["quote does not name the subject", "quote does not name the value"]
    long_quote = "The GCIM was created in 2003 " + "and so on " * 28 + "[…] and then"
    assert problems(claim("gcim", "foundingDate", "2003", long_quote, "gYear"), NAMES) \
        == [f"quote is {len(long_quote) - len(' […]')} characters, more than 300"]
    # a date is read within a part, never across a mark
    assert problems(claim("gcim", "foundingDate", "2003-12", "the GCIM, launched in December […] 2003", "gYearMonth"),
                    NAMES) == ["quote does not state the value at its precision (gYearMonth)"]


@pytest.fixture(scope="module")
def failing(graph_store) -> dict[tuple[str, str, str], list[tuple[str, list[str]]]]:
    """Every claim of the graph whose quote does not state it, by (subject, property, value) slug."""
    names = read_names(graph_store)
    claims = read_claims(graph_store)
    assert len(claims) > 1000
    found: dict[tuple[str, str, str], list[tuple[str, list[str]]]] = {}
    for each in claims:
        if wrong := problems(each, names):
            found.setdefault((_slug(each.subject), each.property, _slug(each.value)), []).append((each.quote, wrong))
    return found


def _covered(row: dict[str, str], key: tuple[str, str, str], quote: str) -> bool:
    return (row["subject"] in ("*", key[0]) and (row["property"], row["value"]) == key[1:]
            and quote.startswith(row["quote_starts"]))


def test_every_quote_states_its_fact(failing) -> None:
    """Each failure is a reviewed exception, with its reason; nothing else."""
    listed = [row for row in _rows(EXCEPTIONS) if row["reason"].strip()]
    unexplained = [(key, quote, wrong) for key, quotes in failing.items() for quote, wrong in quotes
                   if not any(_covered(row, key, quote) for row in listed)]
    assert unexplained == []


def test_listed_failures_still_fail(failing) -> None:
    """A re-cut or removed claim must leave the list, so it only shrinks."""
    stale = [row for row in _rows(EXCEPTIONS)
             if not any(_covered(row, key, quote) for key, quotes in failing.items() for quote, _ in quotes)]
    assert stale == []


def test_the_exceptions_are_few_and_explained() -> None:
    exceptions = _rows(EXCEPTIONS)
    assert len(exceptions) <= 12  # about 1 % of the claims: each row a reviewed case the rule cannot see
    assert all(len(row["reason"]) > 40 for row in exceptions)


PARTS = build_names({
    MG + "gmg": ["Global Migration Group", "GMG"],
    MG + "gfmd": ["Global Forum on Migration and Development", "Global Forum", "GFMD"],
    MG + "gmg-secretariat": ["Permanent secretariat of the Global Migration Group", "GMG secretariat"],
    MG + "gfmd-support-unit": ["GFMD support unit"],
    MG + "friends": ["GFMD Friends of the Forum", "Friends of the Forum"],
    MG + "ohchr": ["Office of the United Nations High Commissioner for Human Rights", "OHCHR"],
    MG + "hchr": ["United Nations High Commissioner for Human Rights"],
    MG + "unhcr": ["Office of the United Nations High Commissioner for Refugees", "UNHCR"],
    MG + "hcr": ["United Nations High Commissioner for Refugees"], MG + "zeid": ["Zeid Ra'ad Al Hussein"],
    MG + "ilo": ["International Labour Organization", "ILO"], MG + "mwc": ["Migrant Workers Convention"],
    MG + "c143": ["International Labour Organization Migrant Workers Convention"],
    # the real graph's many other names, which keep "GMG", "Forum", "Migrant" or "Convention" from singling one out
    MG + "gmg-wg": ["GMG working group on Data and Research"], MG + "gmg-statement": ["GMG statement"],
    MG + "mfa": ["Migrant Forum in Asia"], MG + "refugee-convention": ["Refugee Convention"],
    MG + "migrant-workers": ["Migrant workers"],
})


def test_a_part_is_named_by_its_short_name_after_its_whole() -> None:
    quote = "the GMG has undertaken a consolidation efort in 2013, establishing a permanent secretariat"
    assert problems(claim("gmg-secretariat", "establishedBy", "gmg", quote), PARTS) == []
    assert problems(claim("gmg", "secretariatProvidedBy", "gmg-secretariat", quote), PARTS) == []
    quote = "the Global Forum lacks institutional memory. Despite the existence of a small support unit"
    assert problems(claim("gfmd-support-unit", "relatedTo", "gfmd", quote), PARTS) == []
    # before its whole, or after another whole, the short name may be any body's part; one word says too little
    assert problems(claim("gmg-secretariat", "establishedBy", "gmg", "a permanent secretariat for the GMG"), PARTS) \
        == ["quote does not name the subject"]
    assert problems(claim("gmg-secretariat", "relatedTo", "gfmd", "the GFMD and its permanent secretariat"), PARTS) \
        == ["quote does not name the subject"]
    assert problems(claim("gmg-secretariat", "establishedBy", "gmg", "the GMG and its secretariat"), PARTS) \
        == ["quote does not name the subject"]


def test_a_short_name_another_resource_bears_names_that_one() -> None:
    quote = "the ILO has long campaigned for ratification of a Migrant Workers Convention"
    assert problems(claim("mwc", "relatedTo", "ilo", quote), PARTS) == []
    assert problems(claim("c143", "relatedTo", "ilo", quote), PARTS) == ["quote does not name the subject"]


def test_a_post_is_named_by_its_title_after_its_office() -> None:
    quote = ("it should be noted that the OHCHR has recently taken a keen interest in migration issues. In his"
             " inaugural speech, the new High Commissioner, Zeid Ra’ad Al Hussein")
    assert problems(claim("zeid", "holdsPost", "hchr", quote), PARTS) == []
    # the office names which High Commissioner: the OHCHR's is not the UNHCR's, and a bare title names neither
    assert problems(claim("zeid", "holdsPost", "hcr", quote), PARTS) == ["quote does not name the value"]
    assert problems(claim("zeid", "holdsPost", "hchr", "the new High Commissioner, Zeid Ra’ad Al Hussein"), PARTS) \
        == ["quote does not name the value"]


def test_a_parts_own_name_may_refer_back_to_its_whole() -> None:
    quote = "There is also a “Friends of the Forum” that is open to all state members."
    assert problems(claim("friends", "relatedTo", "gfmd", quote), PARTS) == []
    # "the Forum" names the GFMD only inside the name of a part the labels give the GFMD
    assert problems(claim("friends", "relatedTo", "gmg", quote), PARTS) == ["quote does not name the value"]
    assert problems(claim("gfmd-support-unit", "relatedTo", "gfmd", "a support unit that serves the Forum"), PARTS) \
        == ["quote does not name the subject", "quote does not name the value"]


def test_a_count_written_as_a_sum_or_as_the_list_it_counts() -> None:
    assert names_number("the “5+5” dialogue", 10)
    assert not names_number("the “5+5” dialogue", 11)
    listing = "he Geneva Migration Group included he IOM, ILO, OHCHR, UNCTAD, UNHCR, and UNODC."  # in normal form
    assert names_number(listing, 6)
    assert not names_number(listing, 5) and not names_number(listing, 7)
    # a list that trails off into words is no count
    assert not names_number("he group included he IOM, ILO and several other agencies", 3)


def test_a_series_is_named_as_its_meetings_kind() -> None:
    series = build_names({
        MG + "hld-2013": ["UN High-level Dialogue on International Migration and Development (2013)", "HLD 2013"],
        MG + "hld-series": ["High-level Dialogues on International Migration and Development"],
        MG + "gfmd-series": ["Global Forums on Migration and Development"]})
    quote = "The HLD was the second of its kind, the first having taken place in 2006."
    assert problems(claim("hld-2013", "meetingOf", "hld-series", quote), series) == []
    # "its kind" is the subject's own kind: the plural of its name, not any series
    assert problems(claim("hld-2013", "meetingOf", "gfmd-series", quote), series) == ["quote does not name the value"]
    assert problems(claim("hld-2013", "meetingOf", "hld-series", "The HLD was held in 2013."), series) \
        == ["quote does not name the value"]


def test_a_distinctive_word_as_written_or_in_capitals() -> None:
    names = build_names({MG + "gp": ["Guiding Principles on Internal Displacement"], MG + "idps": ["IDPs"],
                         MG + "iom": ["International Organization for Migration", "IOM"]})
    assert problems(claim("gp", "addresses", "idps", "THE GUIDING PRINCIPLES ARE SOFT LAW FOR IDPs"), names) == []
    # in lower case it is the English word, and an acronym is written in its own case
    assert problems(claim("gp", "addresses", "idps", "protection from displacement of IDPs"), names) \
        == ["quote does not name the subject"]
    assert problems(claim("gp", "addresses", "idps", "Guiding Principles for idps"), names) \
        == ["quote does not name the value"]
