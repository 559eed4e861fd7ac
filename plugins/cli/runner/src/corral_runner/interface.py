"""``corral_runner.run(...)`` and ``run_async(...)``, shaped like ``ansible_runner.run``.

::

    import corral_runner
    r = corral_runner.run(private_data_dir="/tmp/demo", playbook="site.yml")
    r.status, r.rc            # 'successful', 0
    for event in r.events:    # ansible-runner job events, in order
        print(event["event"], event.get("event_data", {}).get("host"))
    r.stats                   # {'ok': {...}, 'changed': {...}, 'dark': {...}, ...}
    list(r.host_events("web1"))

    thread, r = corral_runner.run_async(private_data_dir="/tmp/demo", playbook="site.yml")

As in ansible-runner, a ``playbook`` given as a list of plays (or one play mapping) is
written to ``project/main.json`` (and so is the play that runs ``role=`` on ``hosts=``
with ``role_vars=``, ``role_skip_facts=``, the role found in ``roles_path`` or
``<private_data_dir>/roles``), an ``inventory`` given as a mapping or as inventory
text to ``inventory/``, and ``envvars``, ``extravars``, ``passwords``, ``settings``,
``ssh_key`` and ``cmdline`` to ``env/`` (unless ``suppress_env_files``, or the file
exists already).
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from typing import Any, Mapping

from corral_runner.config import RunnerConfig
from corral_runner.private_data import write_env_file
from corral_runner.runner import Runner

__all__ = ["init_runner", "role_play", "run", "run_async"]

_HOOKS = ("event_handler", "cancel_callback", "finished_callback", "status_handler", "artifacts_handler")


def _write(path: str, text: str) -> str:
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return path


def role_play(role: str, role_vars: Mapping[str, Any] | None = None, hosts: str | None = None,
              skip_facts: bool = False) -> dict[str, Any]:
    """The play that runs ``role`` (with ``role_vars``) on ``hosts`` (default all)."""
    entry: dict[str, Any] = {"name": role}
    if role_vars:
        entry["vars"] = dict(role_vars)
    return {"hosts": hosts if hosts is not None else "all", "gather_facts": not skip_facts, "roles": [entry]}


def _dump_artifacts(kwargs: dict[str, Any]) -> None:
    """Write what was given as data into the private data directory, as ansible-runner does."""
    private_data_dir = kwargs.setdefault("private_data_dir", None) or tempfile.mkdtemp(prefix="corral-runner-")
    kwargs["private_data_dir"] = private_data_dir
    os.makedirs(private_data_dir, mode=0o700, exist_ok=True)
    if "role" in kwargs:
        kwargs["playbook"] = [role_play(kwargs.pop("role"), kwargs.pop("role_vars", None),
                                        kwargs.pop("hosts", None), kwargs.pop("role_skip_facts", False))]
        roles_path = kwargs.get("roles_path")
        beside = os.path.join(private_data_dir, "roles")
        kwargs["roles_path"] = f"{roles_path}:{beside}" if isinstance(roles_path, str) \
            else [*(roles_path or []), beside]
    playbook = kwargs.get("playbook")
    if isinstance(playbook, Mapping):
        playbook = [playbook]
    if isinstance(playbook, list):
        kwargs["playbook"] = _write(os.path.join(private_data_dir, "project", "main.json"), json.dumps(playbook))
    inventory = kwargs.get("inventory")
    inventory_dir = os.path.join(private_data_dir, "inventory")
    if isinstance(inventory, Mapping):
        kwargs["inventory"] = _write(os.path.join(inventory_dir, "hosts.json"), json.dumps(inventory))
    elif isinstance(inventory, str) and "\n" in inventory:
        kwargs["inventory"] = _write(os.path.join(inventory_dir, "hosts"), inventory)
    elif isinstance(inventory, str) and not os.path.isabs(inventory) \
            and os.path.exists(os.path.join(inventory_dir, inventory)):
        kwargs["inventory"] = os.path.join(inventory_dir, inventory)
    if kwargs.get("suppress_env_files"):
        return
    for key in ("envvars", "extravars", "passwords", "settings", "ssh_key", "cmdline"):
        value = kwargs.get(key)
        if value and not os.path.exists(os.path.join(private_data_dir, "env", key)):
            write_env_file(private_data_dir, key, value)
            kwargs.pop(key)


def init_runner(**kwargs: Any) -> Runner:
    """A prepared :class:`Runner` for ``kwargs`` (those of :func:`run`), not started."""
    hooks = {name: kwargs.pop(name, None) for name in _HOOKS}
    output = kwargs.pop("output", None)
    _dump_artifacts(kwargs)
    private_data_dir = kwargs.pop("private_data_dir")
    config = RunnerConfig(private_data_dir, **kwargs)
    config.prepare()
    return Runner(config, output=output, **hooks)


def run(**kwargs: Any) -> Runner:
    """Run a playbook (``playbook=``) or a module (``module=``, ``module_args=``,
    ``host_pattern=``) from ``private_data_dir`` and wait for it; the finished :class:`Runner`.

    Keywords as ``ansible_runner.run``: ``private_data_dir``, ``ident``, ``playbook``,
    ``module``, ``module_args``, ``host_pattern``, ``inventory``, ``limit``, ``cmdline``,
    ``extravars``, ``envvars``, ``passwords``, ``settings``, ``ssh_key``, ``verbosity``,
    ``forks``, ``tags``, ``skip_tags``, ``binary``, ``quiet``, ``json_mode``,
    ``artifact_dir``, ``project_dir``, ``rotate_artifacts``, ``timeout``, ``fact_cache``,
    ``fact_cache_type``, ``omit_event_data``, ``only_failed_event_data``, ``roles_path``,
    ``suppress_env_files``, ``role``, ``role_vars``, ``role_skip_facts``, ``hosts``; hooks ``event_handler``, ``cancel_callback``,
    ``finished_callback``, ``status_handler``, ``artifacts_handler``.  ``output`` (a
    text stream, default ``sys.stdout``) receives what the run prints unless ``quiet``.
    """
    runner = init_runner(**kwargs)
    runner.run()
    return runner


def run_async(**kwargs: Any) -> tuple[threading.Thread, Runner]:
    """Start :func:`run` in a thread; ``(thread, runner)`` at once."""
    runner = init_runner(**kwargs)
    thread = threading.Thread(target=runner.run, name=f"corral-runner-{runner.config.ident}", daemon=True)
    thread.start()
    return thread, runner
