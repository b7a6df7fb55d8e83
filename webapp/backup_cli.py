"""Sub-commands for operators:

  sociale-basis backup DIR    save the store (Oxigraph's backup), the submissions and the run-time graphs
  sociale-basis restore DIR   put a backup back into the data directory (with no server running)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def cmd_backup(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    from graph.submissions.backup import backup

    info = backup(settings, args.dir)
    print(f"backup in {args.dir}: {info.triples:,} triples in {len(info.graphs)} graphs, "
          f"{sum(info.submissions.values())} submissions, {len(info.graph_files)} run-time graph files")
    return 0


def cmd_restore(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    from graph.submissions.backup import restore

    info = restore(settings, args.dir)
    print(f"restored {args.dir} into {settings['DATA_DIR']}: {info.triples:,} triples in {len(info.graphs)} graphs, "
          f"{sum(info.submissions.values())} submissions; the next start serves them", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    b = sub.add_parser("backup", help="save the store, the submissions and the run-time graphs into a new folder")
    b.add_argument("dir", metavar="DIR", help="folder to create (must not exist or be empty)")
    b.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help="put a backup back into the data directory (stop the server first)")
    r.add_argument("dir", metavar="DIR", help="a folder made by 'sociale-basis backup'")
    r.set_defaults(handler=cmd_restore)
