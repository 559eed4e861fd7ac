"""The text ``corral-runs`` prints: a table of runs, one run in full, two runs compared.

Task lines name the task as Ansible's ``TASK [..]`` banner does and where it is
(``path:line``); host lines read like Ansible's (``ok: [web1]``, ``fatal: [db1]``)
with the duration and the message.
"""
from __future__ import annotations

import os
import shlex
import time
from typing import Any

from corral.plugins.callback import CallbackBase

__all__ = ["diff_text", "list_text", "show_text"]

#: how each status is written before ``[host]``, as the default callback writes it
_STATUS_WORDS = {"ok": "ok", "changed": "changed", "failed": "fatal", "ignored": "failed (ignored)",
                 "skipped": "skipping", "unreachable": "unreachable"}


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp)) if stamp else "-"


def _playbook(run: dict[str, Any]) -> str:
    names = [os.path.basename(path) for path in run["playbooks"] or ()]
    if not names:
        return "-"
    return names[0] + (f" (+{len(names) - 1})" if len(names) > 1 else "")


def list_text(runs: list[dict[str, Any]]) -> str:
    """The table of ``corral-runs list``."""
    rows = [("ID", "STARTED", "STATUS", "RC", "HOSTS OK/CHANGED/FAILED", "PLAYBOOK")]
    for run in runs:
        hosts = run["hosts"]
        rows.append((str(run["id"]), _when(run["started"]), run["status"], "-" if run["rc"] is None else str(run["rc"]),
                     f"{hosts['ok']}/{hosts['changed']}/{hosts['failed']}", _playbook(run)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def _where(task: dict[str, Any]) -> str:
    if not task["path"]:
        return ""
    return f"{task['path']}:{task['line']}" if task["line"] is not None else task["path"]


def _result_lines(result: dict[str, Any], differ: CallbackBase) -> list[str]:
    host = result["host"] + (f" -> {result['delegated_to']}" if result["delegated_to"] else "")
    line = f"  {_STATUS_WORDS.get(result['status'], result['status'])}: [{host}] {result['duration']:.2f}s"
    if result["msg"]:
        line += f"  {result['msg']}".replace("\n", "\n      ")
    lines = [line]
    for item in result["items"]:
        label = f" (item={item['label']})" if item["label"] is not None else ""
        message = item["result"].get("msg") if isinstance(item["result"], dict) else None
        lines.append(f"      {_STATUS_WORDS.get(item['status'], item['status'])}:{label}"
                     + (f"  {message}" if message else ""))
    if result["diff"]:
        lines += ["      " + line for line in differ._get_diff(result["diff"]).rstrip("\n").splitlines()]
    return lines


def show_text(run: dict[str, Any]) -> str:
    """``corral-runs show``: the run, then its plays, tasks and results (with their
    diffs, as ``--diff`` shows them), the files changed and the hosts' statistics."""
    differ = CallbackBase()
    took = f" ({run['ended'] - run['started']:.1f}s)" if run["ended"] else ""
    lines = [
        f"RUN {run['id']}: {run['status']}, rc {'-' if run['rc'] is None else run['rc']}",
        f"  playbooks:  {', '.join(run['playbooks'] or ()) or '-'}",
        f"  command:    {shlex.join(run['command'])}",
        f"  user:       {run['username']}@{run['controller']}  (in {run['cwd']})",
        f"  started:    {_when(run['started'])}{took}, corral {run['corral_version']}",
        f"  inventory:  {', '.join(run['inventory'] or ()) or '-'}",
        f"  check mode: {'yes' if run['check_mode'] else 'no'}, diff: {'yes' if run['diff_mode'] else 'no'}",
    ]
    for play in run["plays"]:
        lines += ["", f"PLAY [{play['name']}]"]
        for task in play["tasks"]:
            kind = "RUNNING HANDLER" if task["handler"] else "TASK"
            lines.append(f"{kind} [{task['name']}] {task['action']}  {_where(task)}".rstrip())
            for result in task["results"]:
                lines += _result_lines(result, differ)
    if run["files"]:
        lines += ["", "FILES CHANGED"] + [f"  {entry['host']}: {entry['path']}" for entry in run["files"]]
    if run["hosts"]:
        lines += ["", "HOSTS"]
        width = max(len(name) for name in run["hosts"])
        for name, counts in run["hosts"].items():
            if counts["ok"] is None:
                lines.append(f"  {name.ljust(width)} : (no statistics: the run did not end)")
                continue
            lines.append(f"  {name.ljust(width)} : ok={counts['ok']} changed={counts['changed']} "
                         f"unreachable={counts['unreachable']} failed={counts['failures']} "
                         f"skipped={counts['skipped']} rescued={counts['rescued']} ignored={counts['ignored']}")
    return "\n".join(lines)


def _task_name(task: dict[str, Any]) -> str:
    where = _where(task)
    return f"TASK [{task['name']}]" + (f" ({where})" if where else "")


def diff_text(changes: dict[str, Any]) -> str:
    """``corral-runs diff``: hosts new and gone, tasks new and gone, and each task
    whose outcome changed on a host present in both runs."""
    before, after = changes["before"], changes["after"]
    lines = [f"RUN {before} -> RUN {after}"]
    if changes["new_hosts"]:
        lines.append(f"hosts new in run {after}: {', '.join(changes['new_hosts'])}")
    if changes["gone_hosts"]:
        lines.append(f"hosts gone since run {before}: {', '.join(changes['gone_hosts'])}")
    lines += [f"{_task_name(task)}: only in run {after}" for task in changes["new_tasks"]]
    lines += [f"{_task_name(task)}: only in run {before}" for task in changes["gone_tasks"]]
    for task in changes["changed"]:
        lines.append(_task_name(task))
        lines += [f"  {host}: {old or '(not run)'} -> {new or '(not run)'}" for host, (old, new) in task["hosts"].items()]
    if len(lines) == 1:
        lines.append("no differences in outcome")
    return "\n".join(lines)
