"""Network views for policymakers: concept map, ego networks, paths, comparison, matrix, metrics.

Every page has a JSON twin with the nodes and edges it draws ('.json' or Accept:
application/json), and the network views also come as GraphML and Turtle. The pages get their
data in a `<script type="application/json">` block and draw it with webapp/static/network/*.js.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext

from graph.errors import N_, BadRequest, NotFound, SocialeBasisError
from graph.namespaces import ID, KINDS_BY_SEGMENT, split_entity_iri
from graph.network import reports as netreports
from graph.network import views as netviews
from graph.network.cache import NetworkData, network_data, resolve, resolve_source, search
from graph.network.paths import DEFAULT_K, HUB_DEGREE, MAX_K
from webapp.errors import message_of, status_of
from webapp.i18n import get_lang
from webapp.negotiation import split_suffix
from webapp.network.respond import NETWORK_FORMATS, choose_format, csv_response, respond, to_json
from webapp.network.wording import word
from webapp.state import get_store
from webapp.urls import (
    compare_url,
    ego_json_template,
    ego_url,
    explore_url,
    matrix_url,
    metrics_url,
    path_url,
    resource_url,
    resource_url_function,
)

bp = Blueprint("network", __name__)

METRIC_COLUMNS = ["iri", "label", "kind", "degree", "degree_rank", "betweenness", "betweenness_rank", "community", "community_size", "url"]
METRICS_SHOWN = 100


@bp.app_context_processor
def _network_urls() -> dict[str, Any]:
    """URL builders for templates (also for the ego embed on resource pages)."""
    return {
        "ego_url": ego_url,
        "ego_json_template": ego_json_template,
        "explore_url": explore_url,
        "path_url": path_url,
        "compare_url": compare_url,
        "matrix_url": matrix_url,
        "metrics_url": metrics_url,
        "network_embeddable": network_embeddable,
    }


def network_embeddable(iri: str) -> bool:
    """True for entity IRIs the network has views for (every kind except sources)."""
    parts = split_entity_iri(str(iri))
    return parts is not None and parts[0] != "bron"


_WARMED: "weakref.WeakSet[NetworkData]" = weakref.WeakSet()
_WARM_LOCK = threading.Lock()


def _data() -> NetworkData:
    """The store's network; a new version is warmed up in the background (metrics, layout)."""
    data = network_data(get_store())
    with _WARM_LOCK:
        if data not in _WARMED:
            _WARMED.add(data)
            threading.Thread(target=netviews.warm, args=(data,), name="network-warm-up", daemon=True).start()
    return data


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(N_("%(name)s: not a whole number: %(raw)r"), name=name, raw=raw) from exc
    if not low <= value <= high:
        raise BadRequest(N_("%(name)s must be between %(low)s and %(high)s"), name=name, low=low, high=high)
    return value


TRUTHY = frozenset({"1", "true", "ja", "yes", "on"})


def _flag(name: str) -> bool:
    return request.args.get(name, "").strip().lower() in TRUTHY


# -- concept map --------------------------------------------------------------------------------

def _map_filter(data: NetworkData) -> netviews.MapFilter:
    args = request.args
    kinds = {k for k in args.getlist("soort") if k}
    unknown = kinds - set(KINDS_BY_SEGMENT)
    if unknown:
        raise BadRequest(N_("unknown kind: %(kind)s"), kind=", ".join(sorted(unknown)))
    wanted = args.get("bron", "").strip()
    source = resolve_source(data, wanted) if wanted else None
    if wanted and source is None:
        raise BadRequest(N_("unknown source: %(source)s"), source=wanted)
    expanded = []
    for text in args.getlist("open"):
        iri = resolve(data, text)
        if iri is None:
            raise BadRequest(N_("unknown entity: %(entity)s"), entity=text)
        expanded.append(iri)
    flt = netviews.MapFilter(
        kinds=kinds,
        pillar=args.get("pijler", "").strip() or None,
        sphere=args.get("sfeer", "").strip() or None,
        source=source,
        derived=not _flag("gesteld"),  # editorial assignments count unless ?gesteld=1
        expanded=expanded,
        everything=_flag("alles"),
        group=_grouping(),
    )
    netviews.check_filter(flt)
    return flt


GROUPINGS = {"soort": "kind", "thema": "theme", "gemeenschap": "community"}  # ?groep= (also in network/map.html)


def _grouping() -> str:
    raw = request.args.get("groep", "").strip().lower()
    if not raw:
        return "kind"
    if raw not in GROUPINGS:
        raise BadRequest(N_("unknown grouping: %(group)s"), group=raw)
    return GROUPINGS[raw]


@bp.get("/verkennen", defaults={"ext": None})
@bp.get("/verkennen.<ext>")
def concept_map(ext: str | None) -> Response:
    fmt = choose_format(ext, NETWORK_FORMATS)
    data = _data()
    lang = get_lang()
    flt = _map_filter(data)
    url_of = resource_url_function()
    json_text = None
    if flt.active and (fmt != "html" or not flt.everything):
        # the twins, and the overview asked for filters or an opened node, are computed here
        payload = netviews.concept_map(data, lang=lang, url_of=url_of, flt=flt)
    else:
        # The overview, or the whole network (?alles=1), is the same for every visitor until the
        # graph changes: built once. The whole network's page applies its filters in the browser.
        whole = netviews.MapFilter(everything=flt.everything, group=flt.group, derived=flt.derived)
        payload, json_text = data.memo(
            ("map", flt.everything, flt.group, flt.group == "theme" and flt.derived, lang, url_of(ID + "programma/x")),
            lambda: _with_json(netviews.concept_map(data, lang=lang, url_of=url_of, flt=whole)),
        )
    return respond(fmt, payload, template="network/map.html", name="verkennen", json_text=json_text, flt=flt)


def _with_json(payload: dict[str, Any]) -> tuple[dict[str, Any], str]:
    return payload, to_json(payload)


# -- ego network --------------------------------------------------------------------------------

@bp.get("/verkennen/<kind>/<slug>")
def ego(kind: str, slug: str) -> Response:
    slug, ext_fmt = split_suffix(slug, NETWORK_FORMATS)
    fmt = ext_fmt or choose_format(None, NETWORK_FORMATS)
    iri = f"{ID}{kind}/{slug}"
    data = _data()
    if iri not in data.graph:
        raise NotFound(gettext("No entity %(kind)s/%(slug)s in the network.", kind=kind, slug=slug))
    depth = _int("diepte", netviews.DEFAULT_DEPTH, 1, netviews.MAX_DEPTH)
    lang = get_lang()
    payload = netviews.ego(data, iri, depth=depth, lang=lang, url_of=resource_url_function(), wording=word)
    return respond(fmt, payload, template="network/ego.html", name=f"ego-{slug}", depth=depth, max_depth=netviews.MAX_DEPTH)


# -- paths --------------------------------------------------------------------------------------

def _endpoint(data: NetworkData, name: str) -> tuple[str | None, str, str | None]:
    """(iri, text shown in the box, error) for the 'van' or 'naar' field."""
    raw = request.args.get(name, "").strip()
    text = request.args.get(name + "_tekst", "").strip()
    if not raw and not text:
        return None, "", None
    iri = resolve(data, raw or text)
    if iri is None:
        wanted = raw or text
        hits = search(data, wanted, lang=get_lang(), limit=5)
        hint = ""
        if hits:
            hint = " " + gettext("Did you mean:") + " " + "; ".join(h["label"] for h in hits) + "?"
        return None, text or raw, gettext("'%(wanted)s' was not found (or is ambiguous).", wanted=wanted) + hint
    return iri, data.label(iri, get_lang()), None


@bp.get("/pad", defaults={"ext": None})
@bp.get("/pad.<ext>")
def paths(ext: str | None) -> Response:
    fmt = choose_format(ext, NETWORK_FORMATS)
    data = _data()
    lang = get_lang()
    source, source_text, source_error = _endpoint(data, "van")
    target, target_text, target_error = _endpoint(data, "naar")
    k = _int("k", DEFAULT_K, 1, MAX_K)
    # Generic hubs are avoided unless the form says otherwise (the form sends vermijd=0 before the
    # checkbox's vermijd=1, so an unticked box is a choice, not a missing value).
    given = [v.strip().lower() for v in request.args.getlist("vermijd")]
    avoid = not given or any(v in TRUTHY for v in given)
    hub_degree = _int("hubgraad", HUB_DEGREE, 2, 100_000)
    form: dict[str, Any] = {
        "van": source or "", "van_tekst": source_text, "naar": target or "", "naar_tekst": target_text,
        "k": k, "vermijd": avoid, "hubgraad": hub_degree, "errors": [e for e in (source_error, target_error) if e],
    }
    payload: dict[str, Any] = {"view": {"type": "path"}, "nodes": [], "edges": [], "paths": []}
    status = 200
    if source and target:
        try:
            payload = netviews.connection(
                data, source, target, k=k, avoid_hubs=avoid, hub_degree=hub_degree, lang=lang, url_of=resource_url_function(),
                wording=word,
            )
        except SocialeBasisError as exc:
            if fmt != "html":
                raise
            form["errors"].append(message_of(exc))
            status = status_of(exc)
    elif fmt != "html":
        raise BadRequest(form["errors"][0] if form["errors"] else gettext("Give 'van' and 'naar'."))
    elif form["errors"]:
        status = 404
    return respond(fmt, payload, template="network/paths.html", name="pad", status=status, form=form, max_k=MAX_K)


# -- programme comparison -----------------------------------------------------------------------

@bp.get("/vergelijk", defaults={"ext": None})
@bp.get("/vergelijk.<ext>")
def compare(ext: str | None) -> Response:
    fmt = choose_format(ext, NETWORK_FORMATS)
    data = _data()
    lang = get_lang()
    chosen, errors = [], []
    for text in request.args.getlist("programma"):
        iri = resolve(data, text)
        if iri is None:
            errors.append(gettext("Programme '%(text)s' not found.", text=text))
        else:
            chosen.append(iri)
    chosen = list(dict.fromkeys(chosen))
    if fmt != "html" and (errors or len(chosen) < 2):
        raise BadRequest(errors[0] if errors else gettext("Choose at least two programmes."))
    payload: dict[str, Any] = {"view": {"type": "compare"}, "nodes": [], "edges": []}
    status = 404 if errors else 200
    if len(chosen) >= 2 and not errors:
        try:
            payload = netviews.comparison(data, chosen, lang=lang, url_of=resource_url_function())
        except SocialeBasisError as exc:
            if fmt != "html":
                raise
            errors.append(message_of(exc))
            status = status_of(exc)
    options = netviews.programmes(data, lang=lang)
    return respond(
        fmt, payload, template="network/compare.html", name="vergelijking", status=status,
        chosen=chosen, options=options, errors=errors,
    )


# -- matrix -------------------------------------------------------------------------------------

@bp.get("/matrix", defaults={"ext": None})
@bp.get("/matrix.<ext>")
def matrix(ext: str | None) -> Response:
    fmt = choose_format(ext, (*NETWORK_FORMATS, "csv"))
    data = _data()
    lang = get_lang()
    payload = netreports.matrix(data, lang=lang, url_of=resource_url_function())
    if fmt == "csv":
        return csv_response(netreports.matrix_rows(payload), netreports.MATRIX_COLUMNS, "matrix")
    derived = not _flag("gesteld")  # stated and editorial by default; ?gesteld=1 shows stated only
    selected = None
    pillar, sphere = request.args.get("pijler"), request.args.get("sfeer")
    if pillar is not None or sphere is not None:
        selected = netreports.matrix_cell(payload, pillar, sphere)
        if selected is None:
            raise NotFound(gettext("No such cell."))
    return respond(fmt, payload, template="network/matrix.html", name="matrix", derived=derived, selected=selected)


# -- metrics ------------------------------------------------------------------------------------

@bp.get("/metrieken", defaults={"ext": None})
@bp.get("/metrieken.<ext>")
def metrics(ext: str | None) -> Response:
    fmt = choose_format(ext, ("html", "json", "csv"))
    data = _data()
    sort = request.args.get("sorteer", "degree")
    kind = request.args.get("soort") or None
    payload = netreports.metrics(data, lang=get_lang(), url_of=resource_url_function(), sort=sort, kind=kind)
    if fmt == "csv":
        return csv_response(payload["rows"], METRIC_COLUMNS, "metrieken")
    shown = _int("aantal", METRICS_SHOWN, 1, 1_000_000)
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "aantal"}
    return respond(
        fmt, payload, template="network/metrics.html", name="metrieken", shown=shown, sort=sort, kind=kind,
        kinds=netreports.kind_options(data, get_lang()), show_all_url=metrics_url(aantal=len(payload["rows"]), **args),
    )


# -- small JSON helpers for the pages -----------------------------------------------------------

@bp.get("/api/netwerk/zoek")
def api_search() -> Response:
    """Autocomplete: entities whose (alternative) label contains `q`: [{iri, label, kind, url}]."""
    data = _data()
    kind = request.args.get("soort") or None
    limit = _int("n", 10, 1, 50)
    url_of = resource_url_function()
    hits = search(data, request.args.get("q", ""), lang=get_lang(), kind=kind, limit=limit)
    return jsonify([{**h, "url": url_of(h["iri"])} for h in hits])


@bp.get("/api/netwerk/kaartje")
def api_card() -> Response:
    """The side panel's card for one entity."""
    data = _data()
    iri = resolve(data, request.args.get("iri", ""))
    if iri is None:
        raise NotFound(gettext("Unknown entity."))
    card = netreports.card(get_store(), data, iri, lang=get_lang(), url_of=resource_url_function())
    card["egoUrl"] = ego_url(iri)
    card["egoJson"] = ego_url(iri, "json", diepte=1)
    card["pathUrl"] = path_url(iri)
    card["resourceUrl"] = resource_url(iri)
    return jsonify(card)
