"""Sub-commands for editors and submissions:

  sociale-basis editor add NAME [--replace]   create an account (password from stdin when piped, else asked twice)
  sociale-basis editor list | remove NAME
  sociale-basis submissions export [-o FILE]  moderated data as TriG (no submitter names or e-mail)
  sociale-basis submissions import FILE       restore an export (idempotent)
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from graph.errors import BadRequest, SocialeBasisError
from graph.settings import Settings
from graph.submissions.store import SubmissionStore


def _subs(settings: Settings) -> SubmissionStore:
    return SubmissionStore.from_settings(settings)


def read_password(stream: Any = None) -> str:
    """The new password: the first line of standard input when it is not a terminal, else asked twice."""
    stream = stream or sys.stdin
    if not stream.isatty():
        line = stream.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise BadRequest("no password on standard input")
        return password
    first = getpass.getpass("Wachtwoord / password: ")
    second = getpass.getpass("Nog eens / again: ")
    if first != second:
        raise BadRequest("the passwords differ")
    return first


def cmd_editor_add(args: argparse.Namespace, settings: Settings) -> int:
    editor = _subs(settings).add_editor(args.name, read_password(), replace=args.replace)
    print(f"editor '{editor.name}' {'updated' if args.replace else 'created'}", file=sys.stderr)
    return 0


def cmd_editor_list(args: argparse.Namespace, settings: Settings) -> int:
    for editor in _subs(settings).editors():
        print(f"{editor.name}\t{editor.created_at}")
    return 0


def cmd_editor_remove(args: argparse.Namespace, settings: Settings) -> int:
    _subs(settings).remove_editor(args.name)
    print(f"editor '{args.name}' removed", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from graph.submissions.export import export_trig

    data = export_trig(_subs(settings))
    if args.output:
        from graph.submissions.moderation import write_atomic

        write_atomic(Path(args.output), data.decode("utf-8"))
        print(f"wrote {len(data):,} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from graph.store.build import open_store
    from graph.submissions.export import import_trig

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise BadRequest(f"cannot read {args.file}: {exc.strerror}") from exc
    store = None
    try:
        store = open_store(settings, rebuild_stale=False)
    except SocialeBasisError as exc:
        # Typically: the server holds the store. Files and database are restored; the server
        # brings its store in line when it next starts.
        print(f"note: store not updated now ({exc.message}); it follows at the next server start", file=sys.stderr)
    try:
        result = import_trig(data, _subs(settings), settings["DATA_DIR"], store, source=args.file)
    finally:
        if store is not None:
            store.close()
    print(f"{result['records']} submission(s) in {args.file}, {result['changed']} changed; "
          f"{result['files_written']} graph file(s) written, {result['graphs_loaded']} graph(s) loaded, "
          f"{result['graphs_dropped'] + result['files_removed']} removed", file=sys.stderr)
    return 0


def register(subparsers: Any) -> None:
    editor = subparsers.add_parser("editor", help="editor accounts for /redactie")
    editor_sub = editor.add_subparsers(dest="editor_command", required=True, metavar="ACTION")
    add = editor_sub.add_parser("add", help="create an editor (password from stdin when not a terminal)")
    add.add_argument("name")
    add.add_argument("--replace", action="store_true", help="set a new password for an existing editor")
    add.set_defaults(handler=cmd_editor_add)
    lst = editor_sub.add_parser("list", help="list the editors")
    lst.set_defaults(handler=cmd_editor_list)
    rm = editor_sub.add_parser("remove", help="remove an editor")
    rm.add_argument("name")
    rm.set_defaults(handler=cmd_editor_remove)

    subs = subparsers.add_parser("submissions", help="export or import the moderated submissions (TriG)")
    subs_sub = subs.add_subparsers(dest="submissions_command", required=True, metavar="ACTION")
    exp = subs_sub.add_parser("export", help="write all moderated data as TriG (approved graphs and moderation records;"
                                                 " never submitters' names or e-mail addresses)")
    exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    exp.set_defaults(handler=cmd_export)
    imp = subs_sub.add_parser("import", help="restore an export (idempotent)")
    imp.add_argument("file")
    imp.set_defaults(handler=cmd_import)
