"""Dutch by default, English by switch: `?lang=en` (remembered in a cookie) keeps you on the same page.

Templates translate inline with `_("Nederlandse tekst", "English text")`, so both languages stand
side by side where the text is used.
"""

from __future__ import annotations

from flask import Flask, g, request
from urllib.parse import urlencode

LANGUAGES = ("nl", "en")
COOKIE = "lang"


def get_lang() -> str:
    lang = getattr(g, "lang", None)
    if lang:
        return lang
    asked = request.args.get("lang") or request.cookies.get(COOKIE) or "nl"
    g.lang = asked if asked in LANGUAGES else "nl"
    return g.lang


def translate(nl: str, en: str) -> str:
    return en if get_lang() == "en" else nl


def switch_url(lang: str) -> str:
    """The current page in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


def init_app(app: Flask) -> None:
    @app.context_processor
    def _inject() -> dict:
        return {"_": translate, "lang": get_lang(), "switch_url": switch_url}

    @app.after_request
    def _remember(response):  # type: ignore[no-untyped-def]
        asked = request.args.get("lang")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        response.headers.add("Vary", "Cookie")
        return response
