"""The fields of a submission ("Voeg zelf kennis toe"): what they hold, and server-side validation.

`parse_form(form)` turns submitted form data ({name: [values]}) into clean plain data plus a
message per field (Dutch and English) for everything that is wrong. Nothing here knows Flask or
the store; the same rules serve the public form, the editors' edit form and imports.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

from rdflib import URIRef

from graph.errors import N_, Message
from graph.namespaces import SB, entity_iri


@dataclass(frozen=True)
class Choice:
    key: str
    label_nl: str
    label_en: str
    iri: URIRef


# Kinds of publication a visitor can choose (the subclasses of sb:Publication).
PUBLICATION_KINDS: tuple[Choice, ...] = (
    Choice("onderzoeksrapport", "Onderzoeksrapport", "Research report", SB.ResearchReport),
    Choice("essay", "Essay", "Essay", SB.Essay),
    Choice("visiedocument", "Visiedocument", "Position paper", SB.PositionPaper),
    Choice("artikel", "Artikel", "Article", SB.Article),
    Choice("magazine", "Magazine of bundel", "Magazine or collection", SB.Magazine),
    Choice("presentatie", "Presentatie", "Presentation", SB.Presentation),
    Choice("webpagina", "Webpagina", "Web page", SB.WebPage),
    Choice("beleidsdocument", "Beleidsdocument", "Policy document", SB.PolicyDocument),
)
PILLARS: tuple[Choice, ...] = tuple(
    Choice(slug, nl, en, entity_iri("begrip", slug))
    for slug, nl, en in (
        ("sociaaleconomische-zekerheid", "Sociaaleconomische zekerheid", "Socio-economic security"),
        ("sociale-inclusie", "Sociale inclusie", "Social inclusion"),
        ("sociale-cohesie", "Sociale cohesie", "Social cohesion"),
        ("sociale-empowerment", "Sociale empowerment", "Social empowerment"),
    )
)
SPHERES: tuple[Choice, ...] = tuple(
    Choice(slug, nl, en, entity_iri("begrip", slug))
    for slug, nl, en in (
        ("persoonlijke-sfeer", "Persoonlijke sfeer", "Personal sphere"),
        ("gemeenschappelijke-sfeer", "Gemeenschappelijke sfeer", "Communal sphere"),
        ("institutionele-sfeer", "Institutionele sfeer", "Institutional sphere"),
    )
)
KIND_BY_KEY = {c.key: c for c in PUBLICATION_KINDS}
PILLAR_BY_KEY = {c.key: c for c in PILLARS}
SPHERE_BY_KEY = {c.key: c for c in SPHERES}


@dataclass(frozen=True)
class EntityField:
    """A list of names of related entities; `kinds` are the entity kinds (IRI segments) it accepts."""

    name: str
    label_nl: str
    label_en: str
    kinds: tuple[str, ...]
    new_kind: str | None  # kind created for a name not in the graph (None: must exist)


ENTITY_FIELDS: tuple[EntityField, ...] = (
    EntityField("authors", "Auteurs", "Authors", ("persoon", "organisatie"), "persoon"),
    EntityField("publishers", "Uitgever", "Publisher", ("organisatie",), "organisatie"),
    EntityField("programmes", "Programma's", "Programmes", ("programma", "onderdeel"), None),
    EntityField("initiatives", "Initiatieven", "Initiatives", ("initiatief",), "initiatief"),
    EntityField("organisations", "Organisaties", "Organisations", ("organisatie",), "organisatie"),
    EntityField("places", "Plaatsen", "Places", ("plaats",), "plaats"),
)
ENTITY_FIELD_BY_NAME = {f.name: f for f in ENTITY_FIELDS}

MAX_TITLE = 300
MAX_NAME = 200
MAX_SUMMARY = 5000
MIN_SUMMARY = 20
MAX_URL = 2000
MAX_EMAIL = 254
MAX_ENTRIES = 20
MAX_NOTE = 5000

# Public fields: these (and only these) may reach the graph after approval.
PUBLIC_FIELDS = ("title", "title_en", "summary", "summary_en", "kind", "date", "url", "pillars", "spheres") + tuple(
    f.name for f in ENTITY_FIELDS
)
# Private fields: kept in the submissions database only, never in RDF, pages or exports.
PRIVATE_FIELDS = ("name", "email")
HONEYPOT_FIELD = "website"

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
HOST_RE = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")


def clean_line(value: str) -> str:
    """One line of text: NFC, no control or direction characters, whitespace collapsed."""
    text = CONTROL_RE.sub(" ", unicodedata.normalize("NFC", value))
    return " ".join(text.split())


def clean_text(value: str) -> str:
    """Running text: NFC, no control characters, paragraphs kept, at most one empty line between them."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(CONTROL_RE.sub(" ", line).split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_date(raw: str) -> tuple[str | None, Message | None]:
    """'2023', '2023-06', '2023-06-26', '26-06-2023' or '26/6/2023' -> ISO text ('2023', '2023-06', '2023-06-26')."""
    text = raw.strip()
    if not text:
        return None, None
    latest = date.today().year + 1
    bad = Message(N_("Enter a year (2023), a year and month (2023-06) or a date (2023-06-26 or 26-06-2023)."))
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        m2 = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if not m2:
            return None, bad
        year, month, day = m2.group(3), m2.group(2), m2.group(1)
    else:
        year, month, day = m.group(1), m.group(2), m.group(3)
    y = int(year)
    if not 1900 <= y <= latest:
        return None, Message(N_("The year must be between 1900 and %(latest)s."), {"latest": latest})
    if month is None:
        return f"{y:04d}", None
    mo = int(month)
    if not 1 <= mo <= 12:
        return None, bad
    if day is None:
        return f"{y:04d}-{mo:02d}", None
    try:
        return date(y, mo, int(day)).isoformat(), None
    except ValueError:
        return None, Message(N_("This date does not exist."))


def check_url(raw: str) -> tuple[str | None, Message | None]:
    """An absolute http(s) URL with a host; anything else (javascript:, data:, ftp:, credentials) is refused."""
    text = raw.strip()
    if not text:
        return None, None
    if len(text) > MAX_URL:
        return None, Message(N_("The URL is too long (at most %(max)s characters)."), {"max": MAX_URL})
    if any(ch.isspace() for ch in text) or CONTROL_RE.search(text) or any(ch in text for ch in '<>"{}|\\^`'):
        return None, Message(N_("The URL contains spaces or characters that do not belong in a URL."))
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError for a bad port
    except ValueError:
        return None, Message(N_("This is not a valid URL."))
    if parts.scheme.lower() not in ("http", "https"):
        return None, Message(N_("Only URLs starting with http:// or https:// are allowed."))
    if not parts.hostname or not HOST_RE.match(parts.hostname) or (port is not None and port == 0):
        return None, Message(N_("The URL lacks a valid domain name."))
    if parts.username is not None or parts.password is not None:
        return None, Message(N_("A URL with a user name or password is not allowed."))
    return parts._replace(scheme=parts.scheme.lower()).geturl(), None


def _entries(values: Sequence[str]) -> list[str]:
    """The non-empty, distinct entries of a list field (each may also hold several lines)."""
    out: list[str] = []
    for value in values:
        for line in str(value).split("\n"):
            item = clean_line(line)
            if item and item.casefold() not in {o.casefold() for o in out}:
                out.append(item)
    return out


def _first(form: Mapping[str, Sequence[str]], name: str) -> str:
    values = form.get(name) or []
    return str(values[0]) if values else ""


def _too_long(message: str, limit: int) -> Message:
    """`message` (a message id with a %(limit)s placeholder) for a text longer than `limit`."""
    return Message(message, {"limit": limit})


def _choices(form: Mapping[str, Any], name: str, allowed: Mapping[str, Any]) -> tuple[list[str], bool]:
    """(the chosen keys that exist, whether any chosen key does not), without repeats."""
    chosen = [v for v in dict.fromkeys(str(v) for v in form.get(name, [])) if v]
    return [v for v in chosen if v in allowed], any(v not in allowed for v in chosen)


def parse_form(form: Mapping[str, Sequence[str]], *, editor: bool = False) -> tuple[dict[str, Any], dict[str, Message]]:
    """(data, errors): the clean values of all known fields and one message per wrong field.

    `editor=True` is the editors' form: no submitter fields and no consent, an English title and
    summary may be given. Data keeps what was typed even where it is wrong, so a form can show it again.
    """
    data: dict[str, Any] = {}
    errors: dict[str, Message] = {}

    title = clean_line(_first(form, "title"))
    data["title"] = title
    if not title:
        errors["title"] = Message(N_("Enter the title."))
    elif len(title) > MAX_TITLE:
        errors["title"] = _too_long(N_("The title is too long (at most %(limit)s characters)."), MAX_TITLE)

    summary = clean_text(_first(form, "summary"))
    data["summary"] = summary
    if not summary:
        errors["summary"] = Message(N_("Enter a short summary."))
    elif len(summary) < MIN_SUMMARY:
        errors["summary"] = Message(N_("The summary is too short (at least %(min)s characters)."), {"min": MIN_SUMMARY})
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = _too_long(N_("The summary is too long (at most %(limit)s characters)."), MAX_SUMMARY)

    data["title_en"] = clean_line(_first(form, "title_en")) if editor else ""
    data["summary_en"] = clean_text(_first(form, "summary_en")) if editor else ""
    if len(data["title_en"]) > MAX_TITLE:
        errors["title_en"] = _too_long(N_("The English title is too long (at most %(limit)s characters)."), MAX_TITLE)
    if len(data["summary_en"]) > MAX_SUMMARY:
        errors["summary_en"] = _too_long(N_("The English summary is too long (at most %(limit)s characters)."), MAX_SUMMARY)

    kind = _first(form, "kind").strip()
    data["kind"] = kind if kind in KIND_BY_KEY else ""
    if not kind:
        errors["kind"] = Message(N_("Choose the kind of publication."))
    elif kind not in KIND_BY_KEY:
        errors["kind"] = Message(N_("Choose a kind from the list."))

    raw_date = clean_line(_first(form, "date"))
    parsed_date, date_error = parse_date(raw_date)
    data["date"] = parsed_date if parsed_date else raw_date
    if date_error:
        errors["date"] = date_error

    raw_url = _first(form, "url").strip()
    url, url_error = check_url(raw_url)
    data["url"] = url if url else clean_line(raw_url)[:MAX_URL]
    if url_error:
        errors["url"] = url_error

    data["pillars"], unknown = _choices(form, "pillars", PILLAR_BY_KEY)
    if unknown:
        errors["pillars"] = Message(N_("Choose pillars from the list."))
    elif not data["pillars"]:
        errors["pillars"] = Message(N_("Choose at least one pillar of social quality."))

    data["spheres"], unknown = _choices(form, "spheres", SPHERE_BY_KEY)
    if unknown:
        errors["spheres"] = Message(N_("Choose spheres from the list."))

    for field in ENTITY_FIELDS:
        entries = _entries(form.get(field.name, []))
        data[field.name] = entries[: MAX_ENTRIES + 5]
        if len(entries) > MAX_ENTRIES:
            errors[field.name] = Message(N_("At most %(max)s names."), {"max": MAX_ENTRIES})
        elif any(len(e) > MAX_NAME for e in entries):
            errors[field.name] = _too_long(N_("A name is too long (at most %(limit)s characters)."), MAX_NAME)

    if not editor:
        name = clean_line(_first(form, "name"))
        data["name"] = name
        if not name:
            errors["name"] = Message(N_("Enter your name."))
        elif len(name) > MAX_NAME:
            errors["name"] = _too_long(N_("The name is too long (at most %(limit)s characters)."), MAX_NAME)
        email = clean_line(_first(form, "email"))
        data["email"] = email
        if not email:
            errors["email"] = Message(N_("Enter your e-mail address."))
        elif len(email) > MAX_EMAIL or not EMAIL_RE.match(email):
            errors["email"] = Message(N_("Enter a valid e-mail address, such as name@example.org."))
        data["consent"] = _first(form, "consent") == "ja"
        if not data["consent"]:
            errors["consent"] = Message(N_("Agree to publishing the public details under CC BY 4.0."))
    return data, errors


def public_part(data: Mapping[str, Any]) -> dict[str, Any]:
    """Only the public fields (what may reach the graph and exports)."""
    out: dict[str, Any] = {}
    for key in PUBLIC_FIELDS:
        value = data.get(key)
        if key in ("pillars", "spheres") or key in ENTITY_FIELD_BY_NAME:
            out[key] = list(value or [])
        else:
            out[key] = str(value or "")
    return out


def as_form(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Plain data back into form shape ({name: [values]}), e.g. to re-validate stored data."""
    form: dict[str, list[str]] = {}
    for key, value in data.items():
        if isinstance(value, (list, tuple)):
            form[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            form[key] = ["ja"] if value else []
        else:
            form[key] = [str(value)] if value is not None else []
    return form


def form_schema() -> dict[str, Any]:
    """The form described as data (the machine-readable twin of /bijdragen)."""
    return {
        "fields": {
            "title": {"required": True, "max_length": MAX_TITLE},
            "summary": {"required": True, "min_length": MIN_SUMMARY, "max_length": MAX_SUMMARY},
            "kind": {"required": True, "choices": [c.key for c in PUBLICATION_KINDS]},
            "pillars": {"required": True, "multiple": True, "choices": [c.key for c in PILLARS]},
            "spheres": {"required": False, "multiple": True, "choices": [c.key for c in SPHERES]},
            "date": {"required": False, "formats": ["YYYY", "YYYY-MM", "YYYY-MM-DD", "DD-MM-YYYY"]},
            "url": {"required": False, "schemes": ["http", "https"], "max_length": MAX_URL},
            **{f.name: {"required": False, "multiple": True, "max_entries": MAX_ENTRIES, "entity_kinds": list(f.kinds)} for f in ENTITY_FIELDS},
            "name": {"required": True, "private": True},
            "email": {"required": True, "private": True},
            "consent": {"required": True, "value": "ja"},
        },
        "kinds": [{"key": c.key, "label_nl": c.label_nl, "label_en": c.label_en, "class": str(c.iri)} for c in PUBLICATION_KINDS],
        "pillars": [{"key": c.key, "label_nl": c.label_nl, "label_en": c.label_en, "iri": str(c.iri)} for c in PILLARS],
        "spheres": [{"key": c.key, "label_nl": c.label_nl, "label_en": c.label_en, "iri": str(c.iri)} for c in SPHERES],
    }
