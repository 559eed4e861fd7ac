"""Writing one run into the database, in batches.

The run's row is written as soon as the run starts (status ``running``), so
``corral-runs list`` shows runs in progress.  Everything else (plays, tasks,
results with their items and files) is queued and written by :meth:`Recorder.flush`
in one transaction per batch: a batch ends when a play or task starts, when the
queue is a second old, and when the run ends.  A run that ends without its
statistics (interrupted, or the process failed) is marked ``interrupted`` by
:meth:`Recorder.abandon`; one killed outright stays ``running``.  A transaction
either happens whole or not at all, so an interruption never leaves a batch half
written.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from corral_callback_records.outcomes import ResultRecord, to_json
from corral_callback_records.store import Database

__all__ = ["Recorder", "RunInfo", "TaskInfo", "host_summary"]

#: a batch is written when its oldest entry is this old (seconds)
BATCH_SECONDS = 1.0

#: what a run records when it starts
RunInfo = Mapping[str, Any]
#: a task's name, action, role, path, line and whether it is a handler
TaskInfo = Mapping[str, Any]

_Write = Callable[[Database], None]


def host_summary(stats: Any, host: str) -> dict[str, int]:
    """A host's counts in the run's statistics."""
    return {name: int(getattr(stats, attr, {}).get(host, 0)) for name, attr in (
        ("ok", "ok"), ("changed", "changed"), ("failures", "failures"), ("unreachable", "dark"),
        ("skipped", "skipped"), ("rescued", "rescued"), ("ignored", "ignored"))}


class Recorder:
    """Records one run into ``database`` (a :class:`~corral_callback_records.store.Database`)."""

    def __init__(self, database: Database, info: RunInfo) -> None:
        self.database = database
        self.ended = False
        self._pending: list[_Write] = []
        self._oldest = 0.0
        self._play_id: int | None = None
        self._plays = 0
        self._tasks = 0
        self._task_ids: dict[str, int] = {}
        self._known_tasks: set[str] = set()
        self._hosts: set[str] = set()
        with database.transaction():
            self.run_id = database.insert(
                "INSERT INTO runs (status, started, playbooks, command, username, controller, cwd, inventory, "
                "check_mode, diff_mode, corral_version) VALUES ('running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), to_json(info["playbooks"]), to_json(info["command"]), info["username"],
                 info["controller"], info["cwd"], to_json(info["inventory"]), int(bool(info["check"])),
                 int(bool(info["diff"])), info["corral_version"]))

    def _queue(self, write: _Write) -> None:
        if not self._pending:
            self._oldest = time.monotonic()
        self._pending.append(write)

    def flush(self) -> None:
        """Write the queued entries in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        try:
            with self.database.transaction():
                for write in pending:
                    write(self.database)
        except BaseException:
            # rolled back: the batch stays queued (before what came since) for the next flush
            self._pending[:0] = pending
            raise

    def flush_if_old(self) -> None:
        """Write the queue when its oldest entry waited :data:`BATCH_SECONDS`."""
        if self._pending and time.monotonic() - self._oldest >= BATCH_SECONDS:
            self.flush()

    # -- what the events add -------------------------------------------------------------------

    def playbooks(self, paths: list[str]) -> None:
        """The playbooks of the run so far (one command may run several)."""
        text = to_json(paths)
        self._queue(lambda db: db.execute("UPDATE runs SET playbooks = ? WHERE id = ?", (text, self.run_id)))

    def inventory(self, sources: list[str], hosts: list[str]) -> None:
        """The inventory's sources and hosts (each host recorded once)."""
        text = to_json(sources)
        new = [(self.run_id, name) for name in hosts if name not in self._hosts]
        self._hosts.update(hosts)

        def write(db: Database) -> None:
            db.execute("UPDATE runs SET inventory = ? WHERE id = ?", (text, self.run_id))
            db.execute_many("INSERT INTO hosts (run_id, name) VALUES (?, ?) ON CONFLICT (run_id, name) DO NOTHING",
                            new)
        self._queue(write)

    def play(self, name: str, pattern: str) -> None:
        """A play starts: ends the batch before it."""
        self._plays += 1
        seq, started = self._plays, time.time()

        def write(db: Database) -> None:
            self._play_id = db.insert("INSERT INTO plays (run_id, seq, name, pattern, started) VALUES (?, ?, ?, ?, ?)",
                                      (self.run_id, seq, name, pattern, started))
        self._queue(write)
        self.flush()

    def task(self, uuid: str, info: TaskInfo, flush: bool = True) -> None:
        """A task starts: recorded once per task (a handler that runs again adds its
        results to the same task); ``flush`` writes the batch it ends."""
        if uuid in self._known_tasks:
            return
        self._known_tasks.add(uuid)
        self._tasks += 1
        seq, started = self._tasks, time.time()

        def write(db: Database) -> None:
            self._task_ids[uuid] = db.insert(
                "INSERT INTO tasks (run_id, play_id, seq, name, action, role, path, line, handler, started) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.run_id, self._play_id, seq, info["name"], info["action"], info["role"], info["path"],
                 info["line"], int(bool(info["handler"])), started))
        self._queue(write)
        if flush:
            self.flush()

    def result(self, record: ResultRecord) -> None:
        """A host's result of a task (its task recorded first)."""
        def write(db: Database) -> None:
            result_id = db.insert(
                "INSERT INTO results (run_id, task_id, host, delegated_to, status, changed, started, ended, msg, "
                "diff, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.run_id, self._task_ids[record.task_uuid], record.host, record.delegated_to, record.status,
                 int(record.changed), record.started, record.ended, record.msg, record.diff, record.result))
            for seq, item in enumerate(record.items, 1):
                db.execute("INSERT INTO items (result_id, seq, status, label, result) VALUES (?, ?, ?, ?, ?)",
                           (result_id, seq, item.status, item.label, item.result))
            for path in record.files:
                db.execute("INSERT INTO files (run_id, result_id, host, path) VALUES (?, ?, ?, ?)",
                           (self.run_id, result_id, record.host, path))
        self._queue(write)
        self.flush_if_old()

    def finish(self, stats: Any, status: str, rc: int | None) -> None:
        """The run ends with its statistics: the last batch, the hosts' counts and the
        run's status, end and exit code, in one transaction."""
        hosts = sorted(set().union(*(getattr(stats, attr, {}) for attr in (
            "processed", "ok", "changed", "failures", "dark", "skipped", "rescued", "ignored"))))
        summary = {host: host_summary(stats, host) for host in hosts}

        def write(db: Database) -> None:
            for host, counts in summary.items():
                db.execute(
                    "INSERT INTO hosts (run_id, name, ok, changed, failures, unreachable, skipped, rescued, ignored) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET ok = excluded.ok, "
                    "changed = excluded.changed, failures = excluded.failures, unreachable = excluded.unreachable, "
                    "skipped = excluded.skipped, rescued = excluded.rescued, ignored = excluded.ignored",
                    (self.run_id, host, *counts.values()))
            db.execute("UPDATE runs SET status = ?, ended = ?, rc = ?, stats = ? WHERE id = ?",
                       (status, time.time(), rc, to_json(summary), self.run_id))
        self._queue(write)
        self.flush()
        self.ended = True

    def abandon(self) -> None:
        """The run ends without its statistics: what is queued is written and the run
        is marked ``interrupted``."""
        self._queue(lambda db: db.execute("UPDATE runs SET status = 'interrupted', ended = ? WHERE id = ?",
                                          (time.time(), self.run_id)))
        self.flush()
        self.ended = True
