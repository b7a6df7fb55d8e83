"""Dutch by default, English by switch: `?lang=en` (remembered in a cookie) keeps you on the same page.

Every text is translated through Flask-Babel and the gettext catalogs in webapp/translations/
(English msgids; docs/i18n.md describes the translator's workflow). Dates and numbers are
formatted by Babel for the chosen locale. Adding a language means adding a catalog and its code
to LANGUAGES; no template changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import urlencode

from babel import Locale, dates, numbers, support
from flask import Flask, Response, g, request
from flask_babel import Babel, get_locale, get_translations, gettext
from markupsafe import Markup
from rdflib.namespace import XSD

from graph.store.present import Value

LANGUAGES = ("nl", "en")
NUMBER_FORMAT = "#,##0.##########"  # thousands grouped, decimals as given (up to ten)
DEFAULT = "nl"
COOKIE = "lang"


def select_locale() -> str:
    """The locale of this request: `?lang=`, then the `lang` cookie, then Dutch."""
    asked = request.args.get("lang") or request.cookies.get(COOKIE) or DEFAULT
    return asked if asked in LANGUAGES else DEFAULT


def asked_lang() -> str | None:
    """The language the client chose explicitly (`?lang=` or the cookie), or None."""
    asked = request.args.get("lang") or request.cookies.get(COOKIE)
    return asked if asked in LANGUAGES else None


def get_lang() -> str:
    """The language code of this request ("nl" or "en"), chosen once per request."""
    lang = getattr(g, "lang", None)
    if not lang:
        lang = g.lang = select_locale()
    return str(lang)


def translations() -> support.NullTranslations:
    """This request's catalog, looked up once per request (Flask-Babel looks it up on every call,
    which cost a search results page about 5 ms)."""
    found = g.get("sb_translations")
    if found is None:
        found = g.sb_translations = get_translations()
    return found


def locale() -> Locale:
    """This request's Babel locale, looked up once per request."""
    found = g.get("sb_locale")
    if found is None:
        found = g.sb_locale = get_locale() or Locale.parse(DEFAULT)
    return found


def localized(item: Any, field: str) -> str:
    """A data label in the page's language: `item[field_<lang>]`, else the Dutch one, else `item[field]`.

    For labels that come with the data (RDF labels, saved-query parameters, form choices);
    UI text goes through gettext instead.
    """
    def value(key: str) -> Any:
        if isinstance(item, Mapping):
            return item.get(key)
        return getattr(item, key, None)

    for key in (f"{field}_{get_lang()}", f"{field}_{DEFAULT}", field):
        found = value(key)
        if found:
            return str(found)
    return ""


def language_name(code: str) -> str:
    """The name of a language in that language ("Nederlands", "English"), from Babel's locale data."""
    return str(Locale.parse(code).get_display_name(code) or code).capitalize()


def number(value: int | float | str | Decimal) -> str:
    """A number in the page's locale: 2000 -> '2.000' (nl) or '2,000' (en); '1.5' -> '1,5' (nl)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _grouped(value)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if amount == amount.to_integral_value() and abs(amount) < 10**15:
        return _grouped(int(amount))
    return str(numbers.format_decimal(amount, format=NUMBER_FORMAT, locale=locale()))


def _grouped(value: int) -> str:
    """A whole number grouped by thousands with the locale's group symbol (Babel's data), as
    format_decimal would write it, without parsing a pattern for every count on a page."""
    if -1000 < value < 1000:  # no group to separate (most counts on a page): no locale lookup either
        return str(value)
    return f"{value:,}".replace(",", numbers.get_group_symbol(locale()))


def date_text(raw: str, datatype: str = "") -> str:
    """An xsd date in words for the page's locale: '2023-02-03' -> '3 februari 2023'; '2023-06' -> 'juni 2023';
    '2023' stays; a dateTime gets ', HH:MM' (its own clock time). Unreadable input comes back as it was."""
    return _date_text(str(locale()), raw, datatype)


@lru_cache(maxsize=8192)
def _date_text(code: str, raw: str, datatype: str) -> str:
    """date_text for one locale, remembered: Babel's date formatting costs ~0.1 ms a call, and a
    library page shows twenty dates."""
    text = raw.strip()
    try:
        if datatype == str(XSD.gYear) or (len(text) == 4 and text.isdigit()):
            return text
        if datatype == str(XSD.gYearMonth) or (len(text) == 7 and text[4] == "-"):
            return str(dates.format_date(date(int(text[:4]), int(text[5:7]), 1), "LLLL y", locale=code))
        out = str(dates.format_date(date(int(text[:4]), int(text[5:7]), int(text[8:10])), "d MMMM y", locale=code))
    except (ValueError, IndexError):
        return raw
    if datatype == str(XSD.dateTime) and len(text) >= 16:
        out += f", {text[11:16]}"
    return out


def show_value(value: Value) -> str:
    """The display text of a literal from graph/: dates, numbers and booleans formatted for the page's locale."""
    if value.kind == "date":
        return date_text(value.raw, value.datatype)
    if value.kind == "number":
        text = number(value.raw)
        text = "€ " + text if value.currency == "EUR" else text
        return gettext("more than %(number)s", number=text) if value.more_than else text
    if value.kind == "boolean":
        return gettext("yes") if value.raw.strip().lower() in {"true", "1"} else gettext("no")
    return value.text.value


def switch_url(lang: str) -> str:
    """The current page in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


class TemplateGettext:
    """The gettext callables templates use, bound to one catalog: the same meaning as Jinja's
    newstyle gettext (the text is %-formatted with the keyword arguments, which are escaped),
    without its context-passing wrappers and per-call catalog lookup (~60 calls on a resource page).
    Installed as globals (catalog looked up per call) and bound per render by the context processor."""

    def __init__(self, catalog: Callable[[], support.NullTranslations]) -> None:
        self.catalog = catalog

    @staticmethod
    def _format(text: str, variables: dict[str, Any]) -> Markup:
        # A text without '%' and without arguments needs no formatting: most of a page's texts.
        return Markup(text) % variables if variables or "%" in text else Markup(text)

    def gettext(self, message: str, **variables: Any) -> Markup:
        return self._format(self.catalog().ugettext(message), variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return self._format(self.catalog().ungettext(singular, plural, num), variables)

    def pgettext(self, context: str, message: str, **variables: Any) -> Markup:
        return self._format(self.catalog().upgettext(context, message), variables)

    def npgettext(self, context: str, singular: str, plural: str, num: int, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return self._format(self.catalog().unpgettext(context, singular, plural, num), variables)

    def callables(self) -> dict[str, Callable[..., Markup]]:
        return {"_": self.gettext, "gettext": self.gettext, "ngettext": self.ngettext,
                "pgettext": self.pgettext, "npgettext": self.npgettext}


def init_app(app: Flask) -> None:
    """Flask-Babel with our locale selector, the template helpers and the language cookie."""
    Babel(app, locale_selector=get_lang, default_locale=DEFAULT, default_translation_directories="translations")
    # Templates call these directly: the same meaning as Jinja's newstyle gettext (the text is
    # always %-formatted with the keyword arguments, which are escaped), without its two extra
    # context-passing wrappers per call (~60 calls on a resource page).
    per_call = TemplateGettext(translations)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=per_call.gettext, ngettext=per_call.ngettext, newstyle=True,
        pgettext=per_call.pgettext, npgettext=per_call.npgettext,
    )
    app.jinja_env.globals.update(per_call.callables())
    app.jinja_env.filters["localized"] = localized

    @app.context_processor
    def _inject() -> dict[str, Any]:
        catalog = translations()
        return {"lang": get_lang(), "languages": LANGUAGES, "switch_url": switch_url,
                "language_name": language_name, "show": show_value, **TemplateGettext(lambda: catalog).callables()}

    @app.after_request
    def _remember(response: Response) -> Response:
        asked = request.args.get("lang")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        response.headers.add("Vary", "Cookie")
        return response
