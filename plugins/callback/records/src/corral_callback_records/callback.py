"""The ``records`` callback: every run recorded in a database (``corral-runs`` reads it).

An aggregate callback (enable it with ``callbacks_enabled = records``).  It records the
run (playbooks, command line with ``-e`` values left out, user, controller, start
and end, status, exit code, inventory sources and hosts), each play, each task
(name, action, role, ``path:line``), each host's result of each task (status,
duration, message, diff, the censored result, loop items, files changed) and the
statistics.  Options (:data:`CallbackModule.OPTIONS`): ``url`` (``CORRAL_RECORDS_URL``,
``[callback_records] url``), a ``postgresql://`` URL or a SQLite location, wins over
``path`` (``CORRAL_RECORDS_PATH``, ``[callback_records] path``, default
``~/.corral/runs.db``).

The exit code recorded is the one the statistics imply (4 when a host was
unreachable, else 2 when one failed, else 0); an interrupted run is marked
``interrupted`` (rc 99 for SIGINT, 143 for SIGTERM).  When the database cannot be
used the run goes on: one warning says why and nothing more is recorded.
"""
from __future__ import annotations

import atexit
import getpass
import importlib.metadata
import os
import socket
import sys
import threading
import time
from typing import Any

from corral.plugins.callback import CallbackBase, CallbackOption

from corral_callback_records.outcomes import ItemRecord, item_record, result_record
from corral_callback_records.recorder import Recorder
from corral_callback_records.store import DEFAULT_PATH, RecordsError, open_database

__all__ = ["CallbackModule", "censored_command"]

#: command line options whose values are not recorded (they may hold secrets)
_SECRET_OPTIONS = ("-e", "--extra-vars")
_NOT_RECORDED = "<not recorded>"


def censored_command(argv: list[str]) -> list[str]:
    """``argv`` with each ``-e``/``--extra-vars`` value replaced by ``<not recorded>``,
    unless it names a file (``@vars.yml``)."""
    censored: list[str] = []
    secret_next = False
    for word in argv:
        if secret_next:
            censored.append(word if word.startswith("@") else _NOT_RECORDED)
            secret_next = False
        elif word in _SECRET_OPTIONS:
            censored.append(word)
            secret_next = True
        elif word.startswith("--extra-vars="):
            value = word.split("=", 1)[1]
            censored.append(word if value.startswith("@") else "--extra-vars=" + _NOT_RECORDED)
        elif word.startswith("-e") and not word.startswith("--") and len(word) > 2:
            censored.append(word if word[2:].startswith("@") else "-e" + _NOT_RECORDED)
        else:
            censored.append(word)
    return censored


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def _version() -> str:
    try:
        return importlib.metadata.version("corral-core")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _path_and_line(task: Any) -> tuple[str | None, int | None]:
    get_path = getattr(task, "get_path", None)
    where = get_path() if callable(get_path) else None
    if not where:
        return None, None
    path, _, line = str(where).rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (str(where), None)


def _task_info(task: Any, handler: bool) -> dict[str, Any]:
    path, line = _path_and_line(task)
    role = getattr(task, "_role", None)
    return {"name": str(task.get_name()).strip(), "action": str(task.action or ""),
            "role": str(role.get_name()) if role is not None else None, "path": path, "line": line,
            "handler": handler}


def _rc(stats: Any) -> int:
    if any(getattr(stats, "dark", {}).values()):
        return 4
    if any(getattr(stats, "failures", {}).values()):
        return 2
    return 0


class CallbackModule(CallbackBase):
    """Records the run into the database of its ``url``/``path`` option."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "records"
    CALLBACK_NEEDS_ENABLED = True
    OPTIONS = {
        "url": CallbackOption("url", None, "str", ("CORRAL_RECORDS_URL",), (("callback_records", "url"),),
                              description="Where runs are recorded: postgresql://user:password@host/db, "
                                          "sqlite:///path or a path; wins over path."),
        "path": CallbackOption("path", DEFAULT_PATH, "path", ("CORRAL_RECORDS_PATH",), (("callback_records", "path"),),
                               description="The SQLite file runs are recorded in when url is not set."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.RLock()
        self._recorder: Recorder | None = None
        self._failed = False
        self._playbooks: list[str] = []
        self._inventory: Any = None
        self._starts: dict[tuple[str, str], float] = {}
        self._items: dict[tuple[str, str], list[ItemRecord]] = {}
        self._task_started: dict[str, float] = {}

    def location(self) -> str:
        """Where this callback records: the ``url`` option, else the ``path`` option."""
        return str(self.get_option("url") or self.get_option("path"))

    # -- guarded access to the run's recorder -----------------------------------------------

    def _record(self, what: Any, *args: Any) -> None:
        """Call ``what(recorder, *args)`` unless recording failed; a failure warns once
        and stops recording (the run goes on)."""
        with self._lock:
            if self._failed:
                return
            try:
                recorder = self._recorder or self._start_run()
                if not recorder.ended:
                    what(recorder, *args)
            except RecordsError as exc:
                self._failed = True
                self._display.warning(f"records: this run is not recorded: {exc}")

    def _start_run(self) -> Recorder:
        database = open_database(self.location())
        self._recorder = Recorder(database, {
            "playbooks": self._playbooks, "command": censored_command(list(sys.argv)), "username": _user(),
            "controller": socket.gethostname(), "cwd": os.getcwd(), "inventory": [],
            "check": self._cli_args.get("check"), "diff": self._cli_args.get("diff"),
            "corral_version": _version()})
        atexit.register(self._at_exit)
        return self._recorder

    def _at_exit(self) -> None:
        self._record(Recorder.abandon)
        if self._recorder is not None:
            self._recorder.database.close()

    def _end(self) -> None:
        atexit.unregister(self._at_exit)
        if self._recorder is not None:
            self._recorder.database.close()

    # -- events ---------------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook: Any) -> None:
        name = str(getattr(playbook, "_file_name", "") or "")
        self._playbooks.append(os.path.abspath(name) if name else name)
        self._record(Recorder.playbooks, list(self._playbooks))

    def v2_playbook_on_play_start(self, play: Any) -> None:
        get_manager = getattr(play, "get_variable_manager", None)
        manager = get_manager() if callable(get_manager) else None
        self._inventory = getattr(manager, "_inventory", None) or self._inventory
        hosts = sorted(getattr(self._inventory, "hosts", None) or {})
        pattern = play.hosts if isinstance(play.hosts, str) else ",".join(str(h) for h in play.hosts or ())
        self._record(Recorder.inventory, list(getattr(self._inventory, "sources", None) or []), hosts)
        self._record(Recorder.play, str(play.get_name()).strip(), pattern)

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._task_started[task._uuid] = time.time()
        self._record(Recorder.task, task._uuid, _task_info(task, False))

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._task_started[task._uuid] = time.time()
        self._record(Recorder.task, task._uuid, _task_info(task, True))

    def v2_runner_on_start(self, host: Any, task: Any) -> None:
        self._starts[(host.get_name(), task._uuid)] = time.time()

    def _item(self, status: str, result: Any) -> None:
        key = (result._host.get_name(), result._task._uuid)
        label = self._get_item_label(result._result)
        self._items.setdefault(key, []).append(
            item_record(status, result._result, None if label is None else str(label)))

    def v2_runner_item_on_ok(self, result: Any) -> None:
        self._item("ok", result)

    def v2_runner_item_on_failed(self, result: Any) -> None:
        self._item("failed", result)

    def v2_runner_item_on_skipped(self, result: Any) -> None:
        self._item("skipped", result)

    def _result(self, status: str, result: Any) -> None:
        host, task = result._host.get_name(), result._task
        ended = time.time()
        started = self._starts.pop((host, task._uuid), None) or self._task_started.get(task._uuid, ended)
        record = result_record(status, host, task._uuid, result._result, started, ended,
                               self._items.pop((host, task._uuid), []))
        self._record(Recorder.task, task._uuid, _task_info(task, False), False)   # a task without a start event
        self._record(Recorder.result, record)

    def v2_runner_on_ok(self, result: Any) -> None:
        self._result("ok", result)

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._result("ignored" if ignore_errors else "failed", result)

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._result("skipped", result)

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._result("unreachable", result)

    def v2_playbook_on_stats(self, stats: Any) -> None:
        interrupted = sys.exc_info()[1]   # the stats of an interrupted run are sent while it unwinds
        if isinstance(interrupted, KeyboardInterrupt):
            status, rc = "interrupted", 143 if type(interrupted).__name__ == "Terminated" else 99
        else:
            status, rc = "completed", _rc(stats)
        self._record(Recorder.finish, stats, status, rc)
        with self._lock:
            self._end()
