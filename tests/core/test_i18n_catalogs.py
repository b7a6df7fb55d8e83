"""The gettext catalogs: complete in every language, compiled .mo files up to date, and covering the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from webapp.i18n import LANGUAGES

TRANSLATIONS = ROOT / "webapp" / "translations"


def _po(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _key(message: Message) -> tuple:
    return (message.context, tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id)


def _string(message: Message) -> object:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    catalog = _po(lang)
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not m.string or
                                                       (isinstance(m.string, tuple) and not all(m.string)))]
    assert untranslated == []
    # placeholders such as %(name)s match between msgid and translation
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(lang: str) -> None:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = {_key(m): _string(m) for m in read_mo(handle) if m.id}
    source = {_key(m): _string(m) for m in _po(lang) if m.id}
    assert compiled == source, "run: pybabel compile -d webapp/translations"


def test_catalogs_cover_every_message_in_the_code(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-k", "N_", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )
    with pot.open("rb") as handle:
        wanted = {_key(m) for m in read_po(handle) if m.id}
    for lang in LANGUAGES:
        missing = wanted - {_key(m) for m in _po(lang) if m.id}
        assert not missing, f"{lang}: run pybabel update (docs/i18n.md); missing {sorted(missing, key=str)[:5]}"


def test_dutch_and_english_differ_where_they_should() -> None:
    nl = {_key(m): m.string for m in _po("nl") if m.id}
    assert nl[(None, "Page not found")] == "Pagina niet gevonden"
    assert nl[("button", "Search")] == "Zoek" and nl[(None, "Search")] == "Zoeken"
