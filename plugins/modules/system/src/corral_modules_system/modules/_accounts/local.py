"""What user and group share: the ``(rc, out, err)`` of their commands, the checks of
``local: true`` (the account databases read as files, libuser's C(l*) commands) and how a
command's outcome goes into the result."""
from __future__ import annotations

import os
from typing import Any, Optional

from corral.module_utils.basic import AnsibleModule

#: a command's ``(rc, stdout, stderr)``; rc ``None`` when nothing had to be run
Outcome = tuple[Optional[int], str, str]
NOT_RUN: Outcome = (None, "", "")


def refuse_with_local(module: AnsibleModule, options: tuple[str, ...]) -> None:
    """Fail, as ansible-core does, when one of ``options`` is set beside ``local: true``."""
    for option in options:
        if module.params[option] is not None:
            module.fail_json(msg=f"'{option}' can not be used with 'local'")


def listed_in(module: AnsibleModule, database: str, kind: str, name: str) -> bool:
    """Whether the ``database`` file (``/etc/passwd``, ``/etc/group``) has an entry ``name``;
    the task fails when there is no such file (``kind``: ``account``, ``group``)."""
    if not os.path.exists(database):
        module.fail_json(msg=f"'local: true' specified but unable to find local {kind} file {database} to parse.")
    with open(database, "rb") as handle:
        return any(line.startswith(f"{name}:".encode()) for line in handle)


def record_outcome(result: dict[str, Any], outcome: Outcome) -> None:
    """``changed`` when a command ran, and what it printed (left out when empty)."""
    rc, out, err = outcome
    result["changed"] = rc is not None
    if out:
        result["stdout"] = out
    if err:
        result["stderr"] = err
