"""The four Kennisplein criteria, pre-checked, and suggestions for pillars and related entities.

Buurtwijs' Kennisplein checks a proposed publication against four criteria (shared/sources/
buurtwijs-over-het-kennisplein.txt): is the form complete; is it about neighbourhoods (buurten,
wijken, dorpen); does it focus on collective facilities; does it fit at least one of the four
pillars of social quality. `assess()` gives a suggestion for each, with the reasons and the words
that triggered it; an editor decides. Words are compared after Dutch stemming (Snowball), and
compounds are recognised by their head or tail ('buurthuis', 'basisvoorzieningen').
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from graph import textproc
from graph.submissions.entity_index import EntityIndex, fold
from graph.submissions.fields import ENTITY_FIELDS, PILLAR_BY_KEY, PILLARS

YES, NO, UNCLEAR = "yes", "no", "unclear"
INFLECTIONS = ("", "e", "en", "s", "n", "es", "je", "jes", "tje", "tjes")
MIN_SUMMARY_WORDS = 15

# Term syntax: words separated by spaces form a phrase; a leading '=' means "this word only,
# inflected" (no compounds), e.g. '=werk' must not match 'netwerk' or 'welzijnswerk'.
NEIGHBOURHOOD_TERMS = (
    "buurt", "wijk", "dorp", "stadsdeel", "stadsdelen", "leefomgeving", "woonomgeving", "wooncomplex",
    "woongebouw", "kleine kernen", "buurtniveau", "wijkniveau", "neighbourhood", "neighborhood", "=district", "village",
)
COLLECTIVE_TERMS = (
    "voorziening", "collectief", "=collectieve", "gemeenschappelijk", "buurthuis", "wijkcentrum", "wijkcentra",
    "dorpshuis", "gemeenschapshuis", "buurtkamer", "huiskamer", "ontmoetingsplek", "ontmoetingsruimte",
    "ontmoetingsplaats", "ontmoetingscentrum", "inloop", "bibliotheek", "speeltuin", "sportaccommodatie",
    "accommodatie", "welzijnswerk", "sociaal werk", "opbouwwerk", "samenlevingsopbouw", "buurtwerk",
    "jongerenwerk", "bewonersinitiatief", "burgerinitiatief", "vrijwilligerswerk", "sociale basis",
    "sociale infrastructuur", "algemene voorziening", "community centre", "community center", "facilities",
    "=facility",
)
INDIVIDUAL_TERMS = (
    "individueel", "=individuele", "client", "cliënt", "patient", "patiënt", "behandeling", "maatwerkvoorziening",
    "=indicatie", "casemanagement", "therapie", "diagnose", "zorgtraject", "persoonlijke begeleiding", "hulpverlener",
)
PILLAR_TERMS: dict[str, tuple[str, ...]] = {
    "sociaaleconomische-zekerheid": (
        "sociaaleconomisch", "sociaal economisch", "bestaanszekerheid", "armoede", "schuld", "schulden",
        "schuldhulpverlening", "inkomen", "=werk", "werkloosheid", "werkgelegenheid", "=baan", "=banen",
        "arbeidsmarkt", "uitkering", "huisvesting", "=wonen", "woning", "betaalbaar", "voedselbank", "toeslag",
        "geldzorgen", "=financieel", "=financiële", "gezondheid", "onderwijs", "zekerheid", "poverty", "=debt",
        "income", "employment", "housing",
    ),
    "sociale-inclusie": (
        "inclusie", "inclusief", "uitsluiting", "buitengesloten", "discriminatie", "toegankelijk", "=toegang",
        "laagdrempelig", "=drempel", "meedoen", "participatie", "kwetsbaar", "kwetsbare", "diversiteit",
        "=divers", "migrant", "statushouder", "nieuwkomer", "beperking", "handicap", "laaggeletterd",
        "eenzaamheid", "=eenzaam", "isolement", "kansengelijkheid", "erbij horen", "inclusion", "exclusion",
        "accessibility", "=participation", "discrimination", "diversity", "loneliness",
    ),
    "sociale-cohesie": (
        "cohesie", "samenhang", "ontmoeting", "ontmoeten", "verbinding", "verbinden", "verbondenheid",
        "gemeenschap", "=buren", "burenhulp", "nabuurschap", "vertrouwen", "solidariteit", "saamhorigheid",
        "sociale contacten", "sociaal netwerk", "sociale netwerken", "informele netwerken", "eenzaamheid",
        "=eenzaam", "onderling", "=onderlinge", "mantelzorg", "vrijwilliger", "=relaties",
        "betrokkenheid", "cohesion", "=trust", "=community", "neighbours", "neighbors", "social networks",
    ),
    "sociale-empowerment": (
        "empowerment", "zelfredzaam", "zelfredzaamheid", "eigen kracht", "eigen regie", "=regie", "zeggenschap",
        "=invloed", "inspraak", "burgerkracht", "burgermacht", "democratie", "democratisering",
        "bewonersinitiatief", "burgerinitiatief", "zelforganisatie", "eigenaarschap", "talent", "vaardigheden",
        "=leren", "ontplooiing", "burgerschap", "right to challenge", "=agency", "self-reliance", "ownership",
        "citizen initiative", "=skills",
    ),
}
# Tokens that look like a compound of a term but are not ('afwijken' is not about a 'wijk').
EXCLUDED_PREFIXES = ("afwijk", "uitwijk", "aanwijk", "bewijk", "toewijk", "wijkt", "dorpel")
STOPWORDS = frozenset(
    """de het een en van in op voor met aan te door over bij naar om als of uit tot is zijn wordt worden die dat
    deze dit er ook niet maar nog wel meer dan hun hoe wat wie waar we wij je jij u ze zij hij zich s t
    the of and for to in on a an at by with from as is are was be this that these those""".split()
)

@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Dutch stem of a folded word. Snowball stemmers keep state while stemming, so this goes
    through textproc's stemmer per thread; only correct stems can then reach the shared cache."""
    return textproc.stem(word, "nl")


@dataclass(frozen=True)
class Token:
    surface: str  # as written
    folded: str  # lowercase, accents removed
    stem: str
    start: int  # where it is in the text
    end: int


def tokens(text: str) -> list[Token]:
    """The words of a text, hyphenated words both joined and split ('sociaal-economische')."""
    out: list[Token] = []
    text = unicodedata.normalize("NFC", text)
    for match in re.finditer(r"\w+(?:[-'’]\w+)*", text):
        word = match.group(0)
        pieces = list(re.finditer(r"[^-'’]+", word))
        if len(pieces) > 1:
            joined = fold("".join(p.group(0) for p in pieces)).replace(" ", "")
            out.append(Token(word, joined, stem(joined), match.start(), match.end()))
        for piece in pieces:
            folded = fold(piece.group(0)).replace(" ", "")
            if folded:
                out.append(Token(piece.group(0), folded, stem(folded), match.start() + piece.start(), match.start() + piece.end()))
    return out


def span(text: str | None, toks: list[Token]) -> str:
    """The words as they stand in the text (stopwords and hyphens included)."""
    if text is not None:
        return " ".join(text[toks[0].start : toks[-1].end].split())
    return " ".join(t.surface for t in toks)


def _word_matches(token: Token, word: str, exact: bool) -> bool:
    folded = fold(word).replace(" ", "")
    if token.stem == stem(folded) or token.folded == folded:
        return True
    if exact or len(folded) < 4 or token.folded.startswith(EXCLUDED_PREFIXES):
        return False
    if token.folded.startswith(folded) or token.folded.startswith(stem(folded)) and len(stem(folded)) >= 5:
        return True  # head of a compound: 'buurthuis', 'ontmoetingsplek'
    return any(token.folded.endswith(folded + inflection) and len(token.folded) > len(folded + inflection) for inflection in INFLECTIONS)


def find_terms(toks: list[Token], terms: Iterable[str], text: str | None = None) -> list[dict[str, Any]]:
    """The terms found in the tokens: [{term, words}] (words as written, distinct)."""
    found: list[dict[str, Any]] = []
    for term in terms:
        exact = term.startswith("=")
        words = term.lstrip("=").split()
        hits: list[str] = []
        for i in range(len(toks) - len(words) + 1):
            if all(_word_matches(toks[i + j], words[j], exact) for j in range(len(words))):
                phrase = span(text, toks[i : i + len(words)])
                if phrase.casefold() not in {h.casefold() for h in hits}:
                    hits.append(phrase)
        if hits:
            found.append({"term": term.lstrip("="), "words": hits})
    return found


def _words(found: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, str] = {}
    for item in found:
        for word in item["words"]:
            seen.setdefault(word.casefold(), word)
    return list(seen.values())


def _reason(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _quoted(words: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"‘{w}’" for w in words[:limit])
    return shown + (" …" if len(words) > limit else "")


def suggest_pillars(text: str, chosen: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Pillars the text points to, strongest first, each with the words that triggered it."""
    text = unicodedata.normalize("NFC", text)
    toks = tokens(text)
    chosen_set = set(chosen)
    out: list[dict[str, Any]] = []
    for key, terms in PILLAR_TERMS.items():
        found = find_terms(toks, terms, text)
        if found:
            pillar = PILLAR_BY_KEY[key]
            out.append({
                "key": key, "iri": str(pillar.iri), "label": {"nl": pillar.label_nl, "en": pillar.label_en},
                "words": _words(found), "score": len(_words(found)), "chosen": key in chosen_set,
            })
    order = [p.key for p in PILLARS]
    out.sort(key=lambda p: (-p["score"], order.index(p["key"])))
    return out


def check(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The four criteria for the submission's public data: outcome (yes/no/unclear), reasons, words."""
    text = unicodedata.normalize("NFC", f"{data.get('title', '')}\n{data.get('summary', '')}")
    toks = tokens(text)
    results = []

    # 1. Is the form complete?
    missing: list[tuple[str, str]] = []
    for key, nl, en in (("title", "de titel", "the title"), ("kind", "de soort publicatie", "the kind of publication"),
                        ("date", "de datum of het jaar", "the date or year"), ("url", "het webadres", "the URL")):
        if not data.get(key):
            missing.append((nl, en))
    if not data.get("authors") and not data.get("publishers"):
        missing.append(("de auteurs of de uitgever", "the authors or the publisher"))
    if not data.get("pillars"):
        missing.append(("minstens één pijler", "at least one pillar"))
    summary_words = len(str(data.get("summary", "")).split())
    if summary_words < MIN_SUMMARY_WORDS:
        missing.append((f"een samenvatting van minstens {MIN_SUMMARY_WORDS} woorden (nu {summary_words})",
                        f"a summary of at least {MIN_SUMMARY_WORDS} words (now {summary_words})"))
    if missing:
        reasons = [_reason("Nog niet ingevuld: " + ", ".join(m[0] for m in missing) + ".",
                           "Not filled in yet: " + ", ".join(m[1] for m in missing) + ".")]
        results.append(_criterion("complete", NO, reasons, []))
    else:
        results.append(_criterion("complete", YES, [_reason("Alle velden die de redactie nodig heeft zijn ingevuld.",
                                                            "All the fields the editors need are filled in.")], []))

    # 2. Is it about neighbourhoods?
    found = find_terms(toks, NEIGHBOURHOOD_TERMS, text)
    words = _words(found)
    if words:
        results.append(_criterion("neighbourhoods", YES, [_reason(f"De titel of samenvatting noemt {_quoted(words)}.",
                                                                  f"The title or summary mentions {_quoted(words)}.")], words))
    elif data.get("places"):
        results.append(_criterion("neighbourhoods", UNCLEAR, [_reason(
            "Er zijn plaatsen genoemd, maar de tekst noemt geen buurt, wijk of dorp.",
            "Places are named, but the text mentions no neighbourhood, district or village.")], []))
    else:
        results.append(_criterion("neighbourhoods", NO, [_reason(
            "De titel en samenvatting noemen geen buurten, wijken of dorpen.",
            "The title and summary do not mention neighbourhoods, districts or villages.")], []))

    # 3. Does it focus on collective facilities?
    collective = _words(find_terms(toks, COLLECTIVE_TERMS, text))
    individual = _words(find_terms(toks, INDIVIDUAL_TERMS, text))
    if collective and len(individual) <= len(collective):
        reasons = [_reason(f"Collectieve voorzieningen genoemd: {_quoted(collective)}.", f"Collective facilities mentioned: {_quoted(collective)}.")]
        if individual:
            reasons.append(_reason(f"Ook individuele hulp genoemd: {_quoted(individual)}.",
                                   f"Individual support also mentioned: {_quoted(individual)}."))
        results.append(_criterion("collective", YES, reasons, collective))
    elif collective:
        results.append(_criterion("collective", UNCLEAR, [
            _reason(f"Collectieve voorzieningen genoemd: {_quoted(collective)}.", f"Collective facilities mentioned: {_quoted(collective)}."),
            _reason(f"Maar vooral individuele hulp: {_quoted(individual)}.", f"But mostly individual support: {_quoted(individual)}."),
        ], collective + individual))
    elif individual:
        results.append(_criterion("collective", NO, [_reason(
            f"De tekst gaat over individuele hulp ({_quoted(individual)}), niet over collectieve voorzieningen.",
            f"The text is about individual support ({_quoted(individual)}), not about collective facilities.")], individual))
    else:
        results.append(_criterion("collective", NO, [_reason(
            "De titel en samenvatting noemen geen collectieve voorzieningen (zoals een buurthuis, welzijnswerk of ontmoetingsplek).",
            "The title and summary mention no collective facilities (such as a community centre, social work or a meeting place).")], []))

    # 4. Does it fit at least one pillar?
    chosen = [p for p in data.get("pillars") or [] if p in PILLAR_BY_KEY]
    suggested = suggest_pillars(text, chosen)
    supported = [p for p in suggested if p["chosen"]]
    others = [p for p in suggested if not p["chosen"]]
    reasons = []
    for p in supported:
        reasons.append(_reason(f"{p['label']['nl']}: de tekst noemt {_quoted(p['words'])}.",
                               f"{p['label']['en']}: the text mentions {_quoted(p['words'])}."))
    for p in others:
        reasons.append(_reason(f"De tekst wijst ook op {p['label']['nl'].lower()} ({_quoted(p['words'])}).",
                               f"The text also points to {p['label']['en'].lower()} ({_quoted(p['words'])})."))
    pillar_words = _words([{"words": p["words"]} for p in suggested])
    if chosen and supported:
        outcome = YES
    elif chosen:
        outcome = UNCLEAR
        names_nl = ", ".join(PILLAR_BY_KEY[c].label_nl.lower() for c in chosen)
        names_en = ", ".join(PILLAR_BY_KEY[c].label_en.lower() for c in chosen)
        reasons.insert(0, _reason(f"Gekozen: {names_nl}; de tekst geeft daar geen duidelijke aanwijzing voor.",
                                  f"Chosen: {names_en}; the text gives no clear sign of it."))
    elif suggested:
        outcome = UNCLEAR
        reasons.insert(0, _reason("Er is nog geen pijler gekozen.", "No pillar has been chosen yet."))
    else:
        outcome = NO
        reasons.append(_reason("Er is geen pijler gekozen en de tekst wijst niet op een van de vier pijlers.",
                               "No pillar was chosen and the text does not point to any of the four pillars."))
    results.append(_criterion("pillar", outcome, reasons, pillar_words))
    return results


CRITERIA_LABELS = {
    "complete": ("Is het formulier volledig ingevuld?", "Is the form complete?"),
    "neighbourhoods": ("Gaat de publicatie over buurten, wijken of dorpen?", "Is the publication about neighbourhoods, districts or villages?"),
    "collective": ("Ligt de focus op collectieve voorzieningen?", "Does it focus on collective facilities?"),
    "pillar": ("Past het bij één of meer van de vier pijlers van sociale kwaliteit?",
               "Does it fit one or more of the four pillars of social quality?"),
}


def _criterion(key: str, outcome: str, reasons: list[dict[str, str]], words: list[str]) -> dict[str, Any]:
    nl, en = CRITERIA_LABELS[key]
    return {"key": key, "label": {"nl": nl, "en": en}, "outcome": outcome, "reasons": reasons, "words": words}


# -- related entities ---------------------------------------------------------------------------

FIELD_FOR_KIND = {"programma": "programmes", "onderdeel": "programmes", "initiatief": "initiatives",
                  "organisatie": "organisations", "plaats": "places"}


def _name_patterns(index: EntityIndex) -> list[tuple[Any, str, list[str], bool, str]]:
    """(entry, name, significant stems, single proper-name token?, name as written), cached on the index."""
    cached = getattr(index, "_criteria_patterns", None)
    if cached is not None:
        return cached
    patterns = []
    for entry in index.entries.values():
        if entry.kind not in FIELD_FOR_KIND:
            continue
        for name in entry.names:
            significant = [t for t in tokens(name) if t.folded not in STOPWORDS and "-" not in t.surface]
            if not significant:
                continue
            if len(significant) == 1 and (len(significant[0].folded) < 3 or not name[:1].isupper()):
                continue
            if len(significant) > 1 and max(len(t.folded) for t in significant) < 4:
                continue
            patterns.append((entry, name, [t.stem for t in significant], len(significant) == 1, significant[0].surface))
    index._criteria_patterns = patterns  # type: ignore[attr-defined]  # a cache kept on the index object, set only here
    return patterns


def suggest_entities(index: EntityIndex, text: str, present: Iterable[str] = (), limit: int = 15) -> list[dict[str, Any]]:
    """Existing programmes, initiatives, organisations and places named in the text, each with the words."""
    text = unicodedata.normalize("NFC", text)
    toks = [t for t in tokens(text) if t.folded not in STOPWORDS]
    stems = [t.stem for t in toks]
    skip = {fold(p) for p in present}
    found: dict[str, dict[str, Any]] = {}
    for entry, name, pattern, single, surface in _name_patterns(index):
        if str(entry.iri) in skip or fold(entry.label_nl) in skip or fold(name) in skip:
            continue
        for i in range(len(stems) - len(pattern) + 1):
            if stems[i : i + len(pattern)] != pattern:
                continue
            words = toks[i : i + len(pattern)]
            if single and not (words[0].surface[:1].isupper() and (not surface.isupper() or words[0].surface == surface)):
                continue  # one-word names count only as a proper name (capitalised; acronyms exact)
            phrase = span(text, words)
            item = found.setdefault(str(entry.iri), {
                **entry.as_dict(), "field": FIELD_FOR_KIND[entry.kind], "words": [], "score": 0,
            })
            if phrase.casefold() not in {w.casefold() for w in item["words"]}:
                item["words"].append(phrase)
                item["score"] += len(pattern)
            break
    ranked = sorted(found.values(), key=lambda s: (-s["score"], fold(s["label"])))
    return ranked[:limit]


def assess(data: Mapping[str, Any], index: EntityIndex | None = None) -> dict[str, Any]:
    """Criteria, pillar suggestions and (with an index) entity suggestions, as plain data."""
    criteria = check(data)
    text = f"{data.get('title', '')}\n{data.get('summary', '')}"
    present = [str(v) for f in ENTITY_FIELDS for v in data.get(f.name) or []]
    return {
        "criteria": criteria,
        "met": sum(1 for c in criteria if c["outcome"] == YES),
        "total": len(criteria),
        "pillars": suggest_pillars(text, data.get("pillars") or []),
        "entities": suggest_entities(index, text, present) if index is not None else [],
    }
