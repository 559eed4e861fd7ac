"""What a record keeps of a task result: its status, message, diff, the result as
JSON, its loop items and the files it changed.

Results reach callbacks already censored by the kernel (``no_log``: only
``censored`` and ``changed`` are left, per item too), and nothing here reads a task's
arguments, so no ``no_log`` value can reach the database.
"""
from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from corral.plugins.callback import plain_data, strip_internal_keys

__all__ = ["ItemRecord", "ResultRecord", "STATUSES", "changed_files", "item_record", "result_record", "to_json"]

#: the statuses a host's task result may have
STATUSES = ("ok", "changed", "failed", "ignored", "skipped", "unreachable")


@dataclasses.dataclass
class ItemRecord:
    """One loop item's result."""

    status: str
    label: str | None
    result: str


@dataclasses.dataclass
class ResultRecord:
    """One host's result of one task, ready to be written."""

    host: str
    task_uuid: str
    status: str
    changed: bool
    started: float
    ended: float
    msg: str | None
    diff: str | None
    result: str
    delegated_to: str | None
    items: list[ItemRecord]
    files: list[str]


def to_json(value: Any) -> str:
    """``value`` as JSON text (sets, dates and unknown objects as strings)."""
    return json.dumps(plain_data(value), default=str, ensure_ascii=False, sort_keys=True)


def _clean(result: Mapping[str, Any]) -> dict[str, Any]:
    data = strip_internal_keys(copy.deepcopy(dict(result)))
    return data if isinstance(data, dict) else {}


def _message(result: Mapping[str, Any]) -> str | None:
    msg = result.get("msg", result.get("censored"))
    if msg is None or msg == "":
        return None
    return msg if isinstance(msg, str) else to_json(msg)


def changed_files(result: Mapping[str, Any]) -> list[str]:
    """The files a result says it changed: ``dest`` or ``path`` of the result and of
    each of its loop items that is ``changed``, in order, without repeats."""
    found: list[str] = []
    parts = [result, *[item for item in result.get("results") or () if isinstance(item, Mapping)]]
    for part in parts:
        if not part.get("changed"):
            continue
        path = part.get("dest", part.get("path"))
        if isinstance(path, str) and path and path not in found:
            found.append(path)
    return found


def item_record(status: str, result: Mapping[str, Any], label: str | None) -> ItemRecord:
    """A loop item's record; ``status`` is ``ok``, ``failed`` or ``skipped`` as the
    event said (``ok`` becomes ``changed`` when the item changed something)."""
    if status == "ok" and result.get("changed"):
        status = "changed"
    return ItemRecord(status, label, to_json(_clean(result)))


def result_record(status: str, host: str, task_uuid: str, result: Mapping[str, Any], started: float, ended: float,
                  items: list[ItemRecord]) -> ResultRecord:
    """A host's task result's record; ``status`` as the event said (``ok`` becomes
    ``changed`` when the task changed something)."""
    changed = bool(result.get("changed"))
    if status == "ok" and changed:
        status = "changed"
    delegated = result.get("_ansible_delegated_vars")
    delegated_to = delegated.get("ansible_delegated_host") if isinstance(delegated, Mapping) else None
    diff = result.get("diff")
    return ResultRecord(host=host, task_uuid=task_uuid, status=status, changed=changed, started=started,
                        ended=ended, msg=_message(result), diff=to_json(diff) if diff else None,
                        result=to_json(_clean(result)), delegated_to=str(delegated_to) if delegated_to else None,
                        items=items, files=changed_files(result) if changed else [])
