"""Dates and numbers are formatted by Babel for the page's locale; graph/ hands over data, not text."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from rdflib import Literal, namespace

from graph.namespaces import SB
from graph.store.present import format_value
from webapp.i18n import date_text, number, show_value


@pytest.mark.parametrize(
    ("lang", "raw", "datatype", "expected"),
    [
        ("nl", "2023-02-03", "", "3 februari 2023"),
        ("en", "2023-02-03", "", "3 February 2023"),
        ("nl", "2023-06", str(namespace.XSD.gYearMonth), "juni 2023"),
        ("en", "2023-06", str(namespace.XSD.gYearMonth), "June 2023"),
        ("nl", "2023", str(namespace.XSD.gYear), "2023"),
        ("nl", "2023-06-26T09:30:00", str(namespace.XSD.dateTime), "26 juni 2023, 09:30"),
        ("nl", "not a date", "", "not a date"),
    ],
)
def test_dates_in_words(app: Flask, lang: str, raw: str, datatype: str, expected: str) -> None:
    with app.test_request_context(), force_locale(lang):
        assert date_text(raw, datatype) == expected


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [("nl", 1234, "1.234"), ("en", 1234, "1,234"), ("nl", "1.5", "1,5"), ("en", "1.5", "1.5"),
     ("nl", "2000.0", "2.000"), ("nl", "1234567.25", "1.234.567,25"), ("nl", "n/a", "n/a")],
)
def test_numbers_with_the_locales_separators(app: Flask, lang: str, value: object, expected: str) -> None:
    with app.test_request_context(), force_locale(lang):
        assert number(value) == expected  # type: ignore[arg-type]


def test_graph_returns_data_and_webapp_formats_it(app: Flask) -> None:
    date = format_value(Literal("2023-02-03", datatype=namespace.XSD.date))
    assert date.kind == "date" and date.text.value == "2023-02-03"  # no words, no language in graph/
    budget = format_value(Literal("2000", datatype=namespace.XSD.integer), str(SB.budgetEur))
    yes = format_value(Literal("true", datatype=namespace.XSD.boolean))
    with app.test_request_context(), force_locale("nl"):
        assert show_value(date) == "3 februari 2023"
        assert show_value(budget) == "€ 2.000" and show_value(yes) == "ja"
    with app.test_request_context(), force_locale("en"):
        assert show_value(date) == "3 February 2023"
        assert show_value(budget) == "€ 2,000" and show_value(yes) == "yes"


def test_json_resource_values_are_formatted_for_the_asked_language(client: FlaskClient) -> None:
    def start_dates(lang: str) -> list[str]:
        data = client.get(f"/id/programma/alfa.json?lang={lang}").get_json()
        return [v["text"] for g in data["facts"] for v in g["values"] if v.get("kind") == "date"]

    assert "3 februari 2023" in start_dates("nl") and "3 February 2023" in start_dates("en")
