"""The `sociale-basis` command: build, validate, query, export, stats, serve (and area extensions).

Bad input ends with a one-line message naming the file and line or the problem, and a non-zero
exit status; never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from rdflib import Graph

from graph import formats
from graph.errors import BadRequest, SocialeBasisError
from graph.settings import Settings, load_settings

if TYPE_CHECKING:
    from graph.store.graphstore import GraphStore

EXPORT_FORMATS = formats.DUMP_FORMATS
# Areas that add their own sub-commands: each module has `register(subparsers)`.
EXTENSIONS: tuple[str, ...] = ("webapp.submit.cli", "webapp.backup_cli")

Handler = Callable[[argparse.Namespace, Settings], int]


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["DATA_DIR"] = args.data_dir
    return load_settings(overrides)


def _open_for_reading(settings: Settings) -> GraphStore:
    """The existing store (never swapped under a running server); built only when there is none."""
    from graph.store.build import is_current, open_store

    store = open_store(settings, read_only=True, rebuild_stale=False)
    if settings["STORE"] == "oxigraph" and not is_current(settings):
        print("sociale-basis: note: the store is older than the shipped files; run 'sociale-basis build'", file=sys.stderr)
    return store


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from graph.search.index import build_search_index
    from graph.store.build import build

    info = build(settings, force=args.force, derived=[build_search_index])
    print(f"store {Path(settings['DATA_DIR']) / info.store_dir}: {info.triples:,} triples from {info.files} files "
          f"(built in {info.seconds:.2f} s, hash {info.hash[:12]})")
    if settings["STORE"] == "sparql":  # the remote server gets the whole dataset, replacing what it held
        from graph.store.build import load_remote, remote_store

        remote = remote_store(settings)
        started = time.perf_counter()
        load_remote(settings, remote)
        print(f"loaded into {settings['SPARQL_STORE_URL'] or settings['SPARQL_UPDATE_URL']} in {time.perf_counter() - started:.2f} s "
              f"({remote.triple_count():,} triples in its default graph, {len(remote.graph_names())} named graphs)")
    return 0


def cmd_snapshot(args: argparse.Namespace, settings: Settings) -> int:
    from graph.store.replicas import take_snapshot

    if not settings["SPARQL_STORE_URL"]:
        print("sociale-basis: error: snapshot needs SPARQL_STORE_URL (the writer's Graph Store Protocol endpoint)", file=sys.stderr)
        return 2
    snap = take_snapshot(settings["SPARQL_STORE_URL"], args.folder)
    print(f"{snap.path}: {snap.quads:,} quads (read {snap.seconds_read:.2f} s, loaded {snap.seconds_load:.2f} s); "
          f"{Path(args.folder) / 'current'} points at it")
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from graph.store.validate import validate

    sources = Path(args.sources) if args.sources else None
    if sources is not None and not sources.is_dir():
        print(f"--sources: {sources} is not a folder", file=sys.stderr)
        return 2
    report = validate(settings, args.paths or None, sources)
    for violation in report.violations:
        print(violation)
    for problem in report.quote_problems:
        print(problem)
    problems = sum(1 for v in report.violations if v.severity == "Violation") + len(report.quote_problems)
    status = "conforms" if report.conforms else f"{problems} violation(s)"
    quotes = f", {report.quotes} quotes found in {sources}" if sources is not None else ""
    print(f"{len(report.files)} file(s), {report.triples:,} triples{quotes}: {status}")
    return 0 if report.conforms else 1


def cmd_import_identifiers(args: argparse.Namespace, settings: Settings) -> int:
    from graph.store.identifiers import SKIPPED, write

    written = write(Path(args.sources), Path(settings["SOURCE_DATA_PATH"]))
    for path in written:
        print(f"wrote {path}")
    for entity, kind, value in SKIPPED:
        print(f"not stated (the source records a doubt or disagreement): {entity} {kind} {value}")
    return 0


def cmd_assign(args: argparse.Namespace, settings: Settings) -> int:
    from graph.store.assign import write
    from graph.store.files import rdf_files

    ontology = rdf_files([settings["ONTOLOGY_PATH"]], skip_shapes=True)
    path, assignments, covered = write(Path(args.sources), Path(settings["SOURCE_DATA_PATH"]), ontology)
    stated = sum(1 for a in assignments if a.stated)
    print(f"wrote {path}: {len(assignments)} assignments ({stated} stated, {len(assignments) - stated} editorial)")
    print(f"{'kind':<13}{'n':>4}{'theme':>7}{'pillar':>8}{'both':>6}{'sphere':>8}   themes s/e   pillars s/e   spheres s/e")
    for kind, row in covered.items():
        n = row["entities"] or 1
        print(f"{kind:<13}{row['entities']:>4}{100 * row['theme'] / n:>6.0f}%{100 * row['pillar'] / n:>7.0f}%"
              f"{100 * row['theme_and_pillar'] / n:>5.0f}%{100 * row['sphere'] / n:>7.0f}%"
              f"   {row['theme_stated']:>5}/{row['theme_editorial']:<5} {row['pillar_stated']:>5}/{row['pillar_editorial']:<6}"
              f" {row['sphere_stated']:>5}/{row['sphere_editorial']}")
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise BadRequest(f"cannot read query file {args.file}: {exc.strerror}") from exc
    elif args.sparql:
        text = args.sparql
    else:
        raise BadRequest("give a query text or --file F")
    store = _open_for_reading(settings)
    result = store.query(text)
    out = sys.stdout
    if result.type == "ASK":
        print(json.dumps({"boolean": bool(result.askAnswer)}) if args.format == "json" else str(bool(result.askAnswer)).lower())
        return 0
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = formats.get("jsonld" if args.format == "json" else "turtle")
        graph = result.graph if result.graph is not None else Graph()
        out.write(graph.serialize(format=fmt.rdflib_name))
        return 0
    names = list(result.vars or [])
    variables = [str(v) for v in names]
    rows = [[("" if (value := binding.get(v)) is None else str(value)) for v in names] for binding in result.bindings]
    if args.format == "json":
        out.write((result.serialize(format=formats.get("sparql-json").rdflib_name) or b"").decode("utf-8") + "\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(rows)
        out.write(buffer.getvalue())
    else:
        widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
        print("  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    store = _open_for_reading(settings)
    data = store.serialize(args.format)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"wrote {len(data):,} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from graph.store.stats import statistics

    stats = statistics(_open_for_reading(settings))
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"triples:  {stats['triples']:,}")
    print(f"entities: {stats['entities']:,}")
    print(f"graphs:   {stats['graphs']:,} ({len(stats['sources'])} sources, {len(stats['other_graphs'])} others)")
    print("entities per kind:")
    for kind, n in stats["kinds"].items():
        print(f"  {kind:<14} {n:>6}")
    print("entities per class:")
    for cls, n in stats["classes"].items():
        print(f"  {cls:<60} {n:>6}")
    print("other graphs (triples):")
    for other in stats["other_graphs"]:
        print(f"  {other['triples']:>6}  {other['label']} ({other['kind']})")
    print("sources (triples):")
    for src in stats["sources"]:
        print(f"  {src['triples']:>6}  {src['label']}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from webapp.serving import serve

    if args.workers < 1:
        raise BadRequest("--workers must be at least 1")
    overrides = {k: v for k, v in {"HOST": args.host, "PORT": args.port, "DATA_DIR": args.data_dir}.items() if v}
    serve(overrides, args.workers)
    return 0


def cmd_proxy_config(args: argparse.Namespace, settings: Settings) -> int:
    from webapp.proxyconf import write

    upstreams = args.upstream or [f"{settings['HOST']}:{settings['PORT']}"]
    path = write(args.listen, upstreams, Path(args.folder), workers=args.workers)
    print(f"wrote {path}; start it with: nginx -p {path.parent.resolve()} -e {path.parent.resolve()}/error.log -c {path.resolve()} -g 'daemon off;'")
    if not int(settings["SPARQL_CACHE_SECONDS"]):
        print("note: SPARQL_CACHE_SECONDS is 0, so the app marks no SPARQL answer cacheable (docs/deploy.md)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sociale-basis", description="Knowledge graph of the Dutch sociale basis.")
    p.add_argument("--data-dir", help="data directory (default: $SOCIALE_BASIS_DATA_DIR or var/)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build or rebuild the store from ontology/ and data/")
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    b.set_defaults(handler=cmd_build)

    v = sub.add_parser("validate", help="parse and SHACL-check the shipped files or the given files/folders")
    v.add_argument("paths", nargs="*", metavar="PATH")
    v.add_argument("--sources", metavar="DIR", help="also find every quote in its source document in DIR (../shared/sources)")
    v.set_defaults(handler=cmd_validate)

    a = sub.add_parser("assign", help="write data/redactie/toekenningen.trig: themes, pillars and spheres with quotes")
    a.add_argument("sources", metavar="SOURCES_DIR", help="the folder of source documents (../shared/sources)")
    a.set_defaults(handler=cmd_assign)

    i = sub.add_parser("import-identifiers", help="write data/identifiers/ from identifiers.tsv and gemeenten-2025.tsv")
    i.add_argument("sources", metavar="SOURCES_DIR", help="the folder holding the two files (../shared/sources)")
    i.set_defaults(handler=cmd_import_identifiers)

    q = sub.add_parser("query", help="run a SPARQL query")
    q.add_argument("sparql", nargs="?", help="the query text")
    q.add_argument("--file", "-f", help="read the query from a file")
    q.add_argument("--format", choices=("table", "json", "csv"), default="table")
    q.set_defaults(handler=cmd_query)

    e = sub.add_parser("export", help="export the data (named graphs kept in trig and nquads)")
    e.add_argument("--format", required=True, help="one of: " + ", ".join(EXPORT_FORMATS))
    e.add_argument("-o", "--output", help="file to write (default: standard output)")
    e.set_defaults(handler=cmd_export)

    r = sub.add_parser("snapshot", help="copy the remote writer's dataset (SPARQL_STORE_URL) into a new store for "
                                        "`oxigraph serve-read-only`, and point FOLDER/current at it")
    r.add_argument("folder", metavar="FOLDER", help="where the snapshots and the `current` link live")
    r.set_defaults(handler=cmd_snapshot)

    s = sub.add_parser("stats", help="triples, entities per class, sources")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(handler=cmd_stats)

    w = sub.add_parser("serve", help="run the web app on a production WSGI server (gunicorn, THREADS threads per process)")
    w.add_argument("--host")
    w.add_argument("--port", type=int)
    w.add_argument("--workers", type=int, default=1, metavar="N",
                   help="web processes on the one port (default 1; more need STORE=sparql and a redis:// RATELIMIT_STORAGE)")
    w.set_defaults(handler=cmd_serve)

    x = sub.add_parser("proxy-config", help="write an nginx.conf for a reverse proxy in front of the web processes, "
                                            "with a shared cache for GET SPARQL answers")
    x.add_argument("folder", metavar="FOLDER", help="where nginx.conf, the cache, logs and pid file go")
    x.add_argument("--listen", default="127.0.0.1:8080", help="host:port nginx listens on (default 127.0.0.1:8080)")
    x.add_argument("--upstream", action="append", metavar="HOST:PORT",
                   help="a web process (repeat for several; default: the HOST and PORT settings)")
    x.add_argument("--workers", default="auto", help="nginx worker processes (default auto)")
    x.set_defaults(handler=cmd_proxy_config)

    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "format", None) and args.handler is cmd_export and args.format not in EXPORT_FORMATS:
        choices = ", ".join(EXPORT_FORMATS)
        print(f"sociale-basis: error: unknown export format '{args.format}' (choose {choices})", file=sys.stderr)
        return 2
    try:
        settings = _settings(args)
        return args.handler(args, settings)
    except SocialeBasisError as exc:
        print(f"sociale-basis: error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
