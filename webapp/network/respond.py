"""Answering a network view in the format asked for: the page, its JSON twin, GraphML or Turtle."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Mapping, Sequence

from flask import Response, render_template
from markupsafe import Markup

from graph.errors import N_, NotFound
from graph.formats import by_suffix
from graph.network.export import graphml, turtle
from webapp.negotiation import media_type, negotiate
from webapp.state import get_store

NETWORK_FORMATS = ("html", "json", "graphml", "turtle")


def choose_format(ext: str | None, offers: Iterable[str]) -> str:
    """The format named by the URL suffix ('.json'), else the best for the Accept header."""
    offers = tuple(offers)
    if ext is None:
        return negotiate(offers)
    fmt = by_suffix(ext)
    if fmt is None or fmt.name not in offers:
        raise NotFound(N_("this view has no .%(ext)s version"), ext=ext)
    return fmt.name


def to_json(payload: Any) -> str:
    """Compact JSON in insertion order (faster than Flask's sorted output on big networks)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def script_json(text: str) -> Markup:
    """JSON text made safe inside <script type="application/json">: no '<', '>', '&' or "'" left,
    so no data can end the element (the same escaping as Jinja's `tojson`)."""
    return Markup(
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
    )


def respond(
    fmt: str,
    payload: Mapping[str, Any],
    *,
    template: str,
    name: str,
    json_text: str | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    """The view in `fmt`; HTML pages get the payload as a JSON data block (`data_json`)."""
    if fmt == "json":
        response = Response(json_text if json_text is not None else to_json(payload), status=status, mimetype="application/json")
    elif fmt == "graphml":
        response = Response(graphml(payload), status=status, content_type=media_type("graphml"))
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.graphml"'
    elif fmt == "turtle":
        response = Response(turtle(get_store(), payload), status=status, content_type=media_type("turtle"))
        response.headers["Content-Disposition"] = f'inline; filename="{name}.ttl"'
    else:
        text = json_text if json_text is not None else to_json(payload)
        html = render_template(template, payload=payload, data_json=script_json(text), **context)
        response = Response(html, status=status, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


def csv_response(rows: Sequence[Mapping[str, Any]], columns: list[str], name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c, "")) for c in columns])
    response = Response(out.getvalue(), content_type=media_type("csv"))
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Vary"] = "Accept"
    return response


def _cell(value: Any) -> Any:
    """Spreadsheet-safe text: a leading =, +, -, @, tab or carriage return is not read as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
