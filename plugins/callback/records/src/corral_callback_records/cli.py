"""``corral-runs``: list, show, compare and delete the runs the ``records`` callback recorded.

::

    corral-runs list [-n 20] [--json]
    corral-runs show RUN [--failed] [--host H] [--json]
    corral-runs diff A B [--json]
    corral-runs delete RUN [RUN ...]
    corral-runs prune [--days 31]

RUN is a run id, ``LAST`` or ``LAST~N``.  Each subcommand takes ``--db URL`` (a
``postgresql://`` URL, ``sqlite:///path`` or a path); without it, the ``records``
callback's own options say where (``CORRAL_RECORDS_URL``, ``[callback_records] url``,
``CORRAL_RECORDS_PATH``, ``[callback_records] path``, ``~/.corral/runs.db``).

Exit codes: 0, or for ``diff`` 0 when no outcome changed and 1 when one did (as
diff(1)); 2 for an error (unknown run, bad URL, unreachable server), told in one
line on stderr.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from corral.plugins import Config

from corral_callback_records.callback import CallbackModule
from corral_callback_records.queries import (delete_runs, list_runs, no_changes, outcome_changes, resolve_run,
                                             run_detail)
from corral_callback_records.report import diff_text, list_text, show_text
from corral_callback_records.store import RecordsError, open_database

__all__ = ["build_parser", "main"]


def _configured_location() -> str:
    callback = CallbackModule()
    callback.set_options(ini=Config())
    return callback.location()


def build_parser() -> argparse.ArgumentParser:
    """The ``corral-runs`` argument parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="the database: postgresql://user:pass@host/db, sqlite:///path "
                                                    "or a path (default: the records callback's options)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser = argparse.ArgumentParser(prog="corral-runs", description="List, show, compare and delete recorded runs.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{list,show,diff,delete,prune}")
    listing = commands.add_parser("list", parents=[common], help="recent runs, newest first")
    listing.add_argument("-n", "--limit", type=int, default=20, help="how many runs (default 20)")
    show = commands.add_parser("show", parents=[common], help="one run: plays, tasks, results, files changed")
    show.add_argument("run", metavar="RUN", help="a run id, LAST or LAST~N")
    show.add_argument("--failed", action="store_true", help="only failed and unreachable results")
    show.add_argument("--host", metavar="H", help="only this host's results")
    diff = commands.add_parser("diff", parents=[common], help="which hosts and tasks changed outcome from A to B")
    diff.add_argument("before", metavar="A", help="the earlier run")
    diff.add_argument("after", metavar="B", help="the later run")
    delete = commands.add_parser("delete", parents=[common], help="delete runs and all that is recorded of them")
    delete.add_argument("runs", metavar="RUN", nargs="+", help="a run id, LAST or LAST~N")
    prune = commands.add_parser("prune", parents=[common], help="delete the runs older than some days")
    prune.add_argument("--days", type=float, default=31, help="delete runs started more than this many days ago "
                                                                "(default 31)")
    return parser


def _dump(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _run(args: argparse.Namespace) -> int:
    location = args.db or _configured_location()
    db = open_database(location, create=False)
    try:
        if args.command == "list":
            runs = list_runs(db, args.limit)
            _dump(runs) if args.json else print(list_text(runs) if runs else f"no runs recorded in {db.location}")
            return 0
        if args.command == "show":
            run = run_detail(db, resolve_run(db, args.run), host=args.host, failed_only=args.failed)
            _dump(run) if args.json else print(show_text(run))
            return 0
        if args.command in ("delete", "prune"):
            ids = [resolve_run(db, ref) for ref in args.runs] if args.command == "delete" else None
            deleted = delete_runs(db, ids, older_than_days=getattr(args, "days", None))
            _dump({"deleted": deleted}) if args.json else print(
                f"deleted {len(deleted)} run{'s' if len(deleted) != 1 else ''}"
                + (f": {', '.join(str(run_id) for run_id in deleted)}" if deleted else ""))
            return 0
        changes = outcome_changes(run_detail(db, resolve_run(db, args.before)),
                                  run_detail(db, resolve_run(db, args.after)))
        _dump(changes) if args.json else print(diff_text(changes))
        return 0 if no_changes(changes) else 1
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``corral-runs`` with ``argv`` (default: the process's arguments); the exit code."""
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:    # a shell asks for completions (argcomplete's protocol)
        import argcomplete
        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except RecordsError as exc:
        print(f"corral-runs: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("corral-runs: interrupted", file=sys.stderr)
        return 99
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
