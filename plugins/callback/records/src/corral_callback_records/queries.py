"""Reading runs back: which run a reference names, recent runs with their hosts'
outcomes, one run in full, and what changed between two runs.

A run reference is an id (``12``), ``LAST`` (the latest run) or ``LAST~N`` (the
N-th before it).  Everything returned is plain data (dicts, lists, strings, numbers):
``corral-runs`` prints it, ``--json`` dumps it.
"""
from __future__ import annotations

import collections
import json
import re
import time
from typing import Any

from corral_callback_records.store import Database, RecordsError

__all__ = ["HOST_OUTCOMES", "delete_runs", "host_outcomes", "list_runs", "no_changes", "outcome_changes", "resolve_run", "run_detail"]

_LAST = re.compile(r"LAST(?:~(\d+))?", re.IGNORECASE)
_FAILED = ("failed", "unreachable")
#: a host's outcome over a run, worst first
HOST_OUTCOMES = ("failed", "changed", "ok")


def resolve_run(db: Database, ref: str) -> int:
    """The id of the run ``ref`` names; :class:`RecordsError` when there is none."""
    text = ref.strip()
    last = _LAST.fullmatch(text)
    if last:
        back = int(last.group(1) or 0)
        rows = db.query("SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?", (back,))
        if not rows:
            raise RecordsError(f"unknown run {ref!r}: {'no runs are recorded' if back == 0 else 'not that many runs'}")
        return int(rows[0]["id"])
    if not text.isdigit():
        raise RecordsError(f"bad run reference {ref!r}: use a run id, LAST or LAST~N")
    if not db.query("SELECT id FROM runs WHERE id = ?", (int(text),)):
        raise RecordsError(f"unknown run {ref!r}")
    return int(text)


def _summaries(db: Database, run_ids: list[int]) -> dict[int, dict[str, dict[str, int]]]:
    """Each run's hosts with their statistics (``None`` counts when the run did not end)."""
    marks = ", ".join("?" for _ in run_ids)
    found: dict[int, dict[str, dict[str, int]]] = {run_id: {} for run_id in run_ids}
    for row in db.query(f"SELECT * FROM hosts WHERE run_id IN ({marks}) ORDER BY name", run_ids):
        found[int(row["run_id"])][row["name"]] = {k: row[k] for k in (
            "ok", "changed", "failures", "unreachable", "skipped", "rescued", "ignored")}
    return found


def host_outcomes(db: Database, run_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each run's hosts with their outcome: ``failed`` (a failure or unreachable),
    ``changed``, else ``ok``.  From the statistics when the run has them, else from
    its results so far."""
    if not run_ids:
        return {}
    summaries = _summaries(db, run_ids)
    marks = ", ".join("?" for _ in run_ids)
    seen: dict[int, dict[str, set[str]]] = {run_id: {} for run_id in run_ids}
    for row in db.query(f"SELECT DISTINCT run_id, host, status FROM results WHERE run_id IN ({marks})", run_ids):
        seen[int(row["run_id"])].setdefault(row["host"], set()).add(row["status"])
    outcomes: dict[int, dict[str, str]] = {}
    for run_id in run_ids:
        hosts: dict[str, str] = {}
        for host in sorted(set(summaries[run_id]) | set(seen[run_id])):
            counts = summaries[run_id].get(host)
            if counts is not None and counts["ok"] is not None:
                failed = bool(counts["failures"] or counts["unreachable"])
                changed = bool(counts["changed"])
            elif host in seen[run_id]:
                failed = bool(seen[run_id][host] & set(_FAILED))
                changed = "changed" in seen[run_id][host]
            else:
                continue
            hosts[host] = "failed" if failed else "changed" if changed else "ok"
        outcomes[run_id] = hosts
    return outcomes


def _run_fields(row: dict[str, Any]) -> dict[str, Any]:
    run = dict(row)
    for key in ("playbooks", "command", "inventory", "stats"):
        run[key] = json.loads(run[key]) if run[key] is not None else None
    run["check_mode"], run["diff_mode"] = bool(run["check_mode"]), bool(run["diff_mode"])
    return run


def list_runs(db: Database, limit: int) -> list[dict[str, Any]]:
    """The latest ``limit`` runs, newest first, each with ``hosts``: how many hosts
    ended ``ok``, ``changed`` and ``failed``."""
    runs = [_run_fields(row) for row in db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))]
    outcomes = host_outcomes(db, [run["id"] for run in runs])
    for run in runs:
        values = list(outcomes[run["id"]].values())
        run["hosts"] = {outcome: values.count(outcome) for outcome in HOST_OUTCOMES}
    return runs


def _wanted(result: dict[str, Any], host: str | None, failed_only: bool) -> bool:
    return (host is None or result["host"] == host) and (not failed_only or result["status"] in _FAILED)


def run_detail(db: Database, run_id: int, host: str | None = None, failed_only: bool = False) -> dict[str, Any]:
    """Run ``run_id`` in full: its fields, ``plays`` (each with its ``tasks``, each
    with its hosts' ``results``, each with its loop ``items``), ``hosts`` (the
    statistics), ``outcomes`` and ``files`` changed.  ``host`` keeps one host's
    results, ``failed_only`` the failed and unreachable ones; tasks and plays left
    without results are then left out."""
    run = _run_fields(db.query("SELECT * FROM runs WHERE id = ?", (run_id,))[0])
    items: dict[int, list[dict[str, Any]]] = {}
    for row in db.query("SELECT items.* FROM items JOIN results ON items.result_id = results.id "
                        "WHERE results.run_id = ? ORDER BY items.result_id, items.seq", (run_id,)):
        items.setdefault(int(row["result_id"]), []).append(
            {"status": row["status"], "label": row["label"], "result": json.loads(row["result"])})
    results: dict[int, list[dict[str, Any]]] = {}
    for row in db.query("SELECT * FROM results WHERE run_id = ? ORDER BY id", (run_id,)):
        result = {"host": row["host"], "status": row["status"], "changed": bool(row["changed"]),
                  "delegated_to": row["delegated_to"], "started": row["started"], "ended": row["ended"],
                  "duration": round(float(row["ended"]) - float(row["started"]), 3), "msg": row["msg"],
                  "diff": json.loads(row["diff"]) if row["diff"] else None, "result": json.loads(row["result"]),
                  "items": items.get(int(row["id"]), [])}
        if _wanted(result, host, failed_only):
            results.setdefault(int(row["task_id"]), []).append(result)
    filtering = host is not None or failed_only
    plays: dict[int | None, dict[str, Any]] = {}
    for row in db.query("SELECT * FROM plays WHERE run_id = ? ORDER BY seq", (run_id,)):
        plays[int(row["id"])] = {"name": row["name"], "pattern": row["pattern"], "started": row["started"],
                                 "tasks": []}
    for row in db.query("SELECT * FROM tasks WHERE run_id = ? ORDER BY seq", (run_id,)):
        task_results = results.get(int(row["id"]), [])
        if filtering and not task_results:
            continue
        play = plays.setdefault(row["play_id"], {"name": "", "pattern": "", "started": row["started"], "tasks": []})
        play["tasks"].append({"name": row["name"], "action": row["action"], "role": row["role"], "path": row["path"],
                              "line": row["line"], "handler": bool(row["handler"]), "started": row["started"],
                              "results": task_results})
    run["plays"] = [play for play in plays.values() if play["tasks"] or not filtering]
    run["hosts"] = {name: counts for name, counts in _summaries(db, [run_id])[run_id].items()
                    if host is None or name == host}
    run["outcomes"] = {name: outcome for name, outcome in host_outcomes(db, [run_id])[run_id].items()
                       if host is None or name == host}
    run["files"] = [{"host": row["host"], "path": row["path"]} for row in db.query(
        "SELECT host, path FROM files WHERE run_id = ? ORDER BY id", (run_id,)) if host is None or row["host"] == host]
    return run


def _task_outcomes(run: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Each task of a run under a key that names it across runs (play, file, line,
    name, and its occurrence when the same task ran more than once), with its
    hosts' statuses."""
    keyed: dict[tuple[Any, ...], dict[str, Any]] = {}
    seen: collections.Counter[tuple[Any, ...]] = collections.Counter()
    for play in run["plays"]:
        for task in play["tasks"]:
            base = (play["name"], task["path"], task["line"], task["name"])
            keyed[(*base, seen[base])] = {"task": task, "hosts": {r["host"]: r["status"] for r in task["results"]}}
            seen[base] += 1
    return keyed


def _hosts(run: dict[str, Any]) -> set[str]:
    names = set(run["hosts"])
    for play in run["plays"]:
        for task in play["tasks"]:
            names.update(result["host"] for result in task["results"])
    return names


def outcome_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed outcome between two runs (as :func:`run_detail` returns them):
    ``new_hosts`` and ``gone_hosts``, ``new_tasks`` and ``gone_tasks`` (each ``name``,
    ``path``, ``line``), and ``changed`` tasks, each with the ``hosts`` present in both
    runs whose status differs (``[before, after]``, ``None`` for a host the task did
    not run on)."""
    hosts_before, hosts_after = _hosts(before), _hosts(after)
    common = hosts_before & hosts_after
    tasks_before, tasks_after = _task_outcomes(before), _task_outcomes(after)

    def named(task: dict[str, Any]) -> dict[str, Any]:
        return {"name": task["name"], "path": task["path"], "line": task["line"]}

    changed = []
    for key, entry in tasks_after.items():
        if key not in tasks_before:
            continue
        old, new = tasks_before[key]["hosts"], entry["hosts"]
        differ = {host: [old.get(host), new.get(host)] for host in sorted(common & (set(old) | set(new)))
                  if old.get(host) != new.get(host)}
        if differ:
            changed.append({**named(entry["task"]), "hosts": differ})
    return {"before": before["id"], "after": after["id"],
            "new_hosts": sorted(hosts_after - hosts_before), "gone_hosts": sorted(hosts_before - hosts_after),
            "new_tasks": [named(entry["task"]) for key, entry in tasks_after.items() if key not in tasks_before],
            "gone_tasks": [named(entry["task"]) for key, entry in tasks_before.items() if key not in tasks_after],
            "changed": changed}


def no_changes(changes: dict[str, Any]) -> bool:
    """Whether :func:`outcome_changes` found nothing."""
    return not any(changes[key] for key in ("new_hosts", "gone_hosts", "new_tasks", "gone_tasks", "changed"))


def delete_runs(db: Database, run_ids: list[int] | None = None, older_than_days: float | None = None) -> list[int]:
    """Delete the runs ``run_ids``, or those that started more than ``older_than_days``
    days ago, with everything recorded of them, in one transaction; the ids deleted."""
    with db.transaction():
        if run_ids is None:
            cutoff = time.time() - float(older_than_days or 0) * 86400
            run_ids = [int(row["id"]) for row in db.query("SELECT id FROM runs WHERE started < ? ORDER BY id",
                                                          (cutoff,))]
        for run_id in run_ids:
            db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
    return run_ids
