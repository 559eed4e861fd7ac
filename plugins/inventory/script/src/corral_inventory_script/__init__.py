"""Inventory plugin ``script``: dynamic inventory scripts.

Any executable file is run as ``SCRIPT --list``
and must print a JSON object: each key a group whose value is either a list of
host names or a mapping with ``hosts`` (list), ``vars`` (mapping) and
``children`` (list of group names); a mapping with none of those keys is the
variables of a host of the same name.  ``_meta.hostvars`` maps each host to its
variables (when ``_meta`` is given it must have ``hostvars``, as ansible-core
requires); without ``_meta`` the script is run as ``SCRIPT --host NAME`` for
every host (several at a time), which must print that host's variables (or
nothing).

A script that cannot run, exits non-zero, times out, or prints something that is
not such JSON raises :class:`corral.errors.CorralParserError` naming the script
and what was wrong, with its stderr.  The timeout is the ``script_timeout``
option or ``CORRAL_INVENTORY_SCRIPT_TIMEOUT`` (seconds, default 300).

A script runs in its own process group; on a timeout, or when the run is
interrupted while it runs (SIGINT, SIGTERM), the whole group is killed: nothing
the script started outlives it.

:func:`check_script` runs a script and lists every protocol problem in plain
words; it is this plugin's ``corral_inventory_check`` (``corral-inventory
--check-script``), asked last: every source no other checker claims is checked as a
script.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from typing import Any, NamedTuple

from corral.errors import CorralParserError
from corral.inventory.data import InventoryChanges
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryCheck, InventoryPlugin
from corral.utils.unsafe import wrap_unsafe

__all__ = ["ScriptInventory", "ScriptError", "ScriptCheck", "run_script", "check_script"]

_DEFAULT_TIMEOUT = 300.0
_HOST_WORKERS = 8


class ScriptError(CorralParserError):
    """A dynamic inventory script broke the protocol."""


def _timeout(options: dict[str, Any]) -> float:
    value = options.get("script_timeout") or os.environ.get("CORRAL_INVENTORY_SCRIPT_TIMEOUT")
    try:
        return float(value) if value else _DEFAULT_TIMEOUT
    except ValueError:
        return _DEFAULT_TIMEOUT


def _stderr_note(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return f"\nstderr: {text}" if text else ""


class _Running:
    """The scripts one inventory parse runs at once (``--host`` calls run in
    threads): when the parse is interrupted, ``kill_all`` kills them all, and any
    started afterwards, so that the threads waiting on them return at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen] = set()
        self._killed = False

    def add(self, proc: subprocess.Popen) -> None:
        with self._lock:
            self._procs.add(proc)
            killed = self._killed
        if killed:
            _kill_group(proc)

    def discard(self, proc: subprocess.Popen) -> None:
        with self._lock:
            self._procs.discard(proc)

    def kill_all(self) -> None:
        with self._lock:
            self._killed = True
            procs = list(self._procs)
        for proc in procs:
            _kill_group(proc)


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the script's process group (it leads one); reaping is left to its reader."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def _finish(proc: subprocess.Popen) -> bytes:
    """Kill the script's group and return what it wrote on stderr.  A process that
    left the group (its own session) and holds the pipes open cannot delay this."""
    _kill_group(proc)
    try:
        _out, err = proc.communicate(timeout=1)
    except subprocess.TimeoutExpired:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        proc.wait()
        err = b""
    return err or b""


def run_script(path: str, args: list[str], timeout: float, running: _Running | None = None) -> Any:
    """Run ``path`` with ``args``; return its stdout parsed as JSON.  Raise
    :class:`ScriptError` naming the script and the reason (stderr included).  The
    script's process group is killed on a timeout or an interrupt."""
    command = " ".join([path, *args])
    try:
        proc = subprocess.Popen([path, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        raise ScriptError(f"Inventory script {path} could not be run: {exc.strerror or exc}") from None
    if running is not None:
        running.add(proc)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ScriptError(f"Inventory script {command} timed out after {timeout:g} seconds"
                          + _stderr_note(_finish(proc))) from None
    except BaseException:
        _finish(proc)
        raise
    finally:
        if running is not None:
            running.discard(proc)
    if proc.returncode != 0:
        raise ScriptError(f"Inventory script {command} failed with exit code {proc.returncode}"
                          + _stderr_note(stderr))
    if args[:1] == ["--host"] and not stdout.strip():
        return {}
    try:
        return json.loads(stdout)
    except ValueError as exc:
        sample = stdout[:200].decode("utf-8", "replace")
        raise ScriptError(f"Inventory script {command} printed output that is not valid JSON ({exc}); "
                          f"it began with: {sample!r}" + _stderr_note(stderr)) from None


class _Loader:
    """Turns a ``--list`` answer into inventory changes."""

    def __init__(self, inventory: Any, path: str) -> None:
        self.changes = InventoryChanges(inventory)
        self.path = path
        self.hosts: dict[str, None] = {}

    def group(self, name: str, data: Any) -> None:
        changes = self.changes
        changes.add_group(name)
        if not isinstance(data, dict):
            data = {"hosts": data}
        elif not any(key in data for key in ("hosts", "vars", "children")):
            # the short form: the group is one host of that name with these vars
            data = {"hosts": [name], "vars": wrap_unsafe(data)}
        hosts = data.get("hosts")
        if hosts is not None:
            if not isinstance(hosts, list):
                raise ScriptError(f"Inventory script {self.path}: group '{name}' has bad data for the host "
                                  f"list (expected a list of names, got {type(hosts).__name__}): {hosts!r}")
            for host in hosts:
                if not isinstance(host, str):
                    raise ScriptError(f"Inventory script {self.path}: group '{name}' lists a host that is "
                                      f"not a string: {host!r}")
                self.hosts[host] = None
                changes.add_host(host, name)
        group_vars = data.get("vars")
        if group_vars is not None:
            if not isinstance(group_vars, dict):
                raise ScriptError(f"Inventory script {self.path}: group '{name}' has bad data for variables "
                                  f"(expected a mapping, got {type(group_vars).__name__})")
            for key, value in group_vars.items():
                changes.set_variable(name, key, value)
        children = data.get("children")
        if children is not None:
            if not isinstance(children, list):
                raise ScriptError(f"Inventory script {self.path}: group '{name}' has bad data for children "
                                  f"(expected a list of group names, got {type(children).__name__})")
            for child in children:
                changes.add_group(str(child))
                changes.add_child(name, str(child))


class ScriptInventory(InventoryPlugin):
    NAME = "script"

    def verify_source(self, source: str) -> bool:
        return os.path.isfile(source) and os.access(source, os.X_OK)

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        timeout = _timeout(options)
        data = run_script(source, ["--list"], timeout)
        if not isinstance(data, dict):
            raise ScriptError(f"Inventory script {source} --list must print a JSON object (groups by name), "
                              f"got {type(data).__name__}")
        builder = _Loader(inventory, source)
        meta = None
        for name, group_data in data.items():
            if name == "_meta":
                meta = group_data.get("hostvars") if isinstance(group_data, dict) else None
                if not isinstance(meta, dict):
                    raise ScriptError(f"Inventory script {source}: '_meta' must be a mapping whose 'hostvars' "
                                      f"maps host names to variables (got _meta = {group_data!r:.100})")
            else:
                builder.group(name, group_data)
        if meta is None:
            names = list(builder.hosts)
            running = _Running()
            from concurrent.futures import ThreadPoolExecutor   # here: only a script without _meta needs it
            pool = ThreadPoolExecutor(max_workers=min(_HOST_WORKERS, max(1, len(names))))
            try:
                answers = list(pool.map(lambda h: run_script(source, ["--host", h], timeout, running), names))
            except BaseException:
                running.kill_all()     # before the pool waits for its threads
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            host_vars = dict(zip(names, answers))
        else:
            host_vars = meta
        for host in builder.hosts:
            found = host_vars.get(host, {})
            if not isinstance(found, dict):
                raise ScriptError(f"Inventory script {source}: the variables of host '{host}' must be a "
                                  f"mapping, got {type(found).__name__}")
            for key, value in found.items():
                builder.changes.set_variable(host, key, value)
        builder.changes.apply()


class ScriptCheck(NamedTuple):
    """What :func:`check_script` found: ``problems`` break the protocol (corral
    or Ansible would fail or misread the script); ``notes`` are forms that work
    but that ansible-core deprecates."""

    problems: list[str]
    notes: list[str]


def check_script(path: str, timeout: float = 60.0) -> ScriptCheck:
    """Run the script ``path`` as corral would and describe, in plain words,
    every protocol problem and deprecated form found."""
    problems: list[str] = []
    notes: list[str] = []
    if not os.path.exists(path):
        return ScriptCheck([f"{path} does not exist."], notes)
    if not os.path.isfile(path):
        return ScriptCheck([f"{path} is not a file."], notes)
    if not os.access(path, os.X_OK):
        return ScriptCheck([f"{path} is not executable: run 'chmod +x {path}'."], notes)
    with open(path, "rb") as handle:
        head = handle.read(4)
    if not (head.startswith(b"#!") or head == b"\x7fELF"):
        problems.append(f"{path} does not start with a '#!' line naming its interpreter "
                        f"(e.g. '#!/usr/bin/env python3'), so the system may not be able to run it.")
    try:
        data = run_script(path, ["--list"], timeout)
    except ScriptError as exc:
        return ScriptCheck(problems + [exc.message], notes)
    if not isinstance(data, dict):
        return ScriptCheck(problems + [f"'--list' must print a JSON object whose keys are group names; "
                                       f"it printed a JSON {type(data).__name__}."], notes)
    hosts: dict[str, None] = {}
    groups = set(data) - {"_meta"}
    for name, group in data.items():
        if name != "_meta":
            _check_group(name, group, groups, hosts, problems, notes)
    if "_meta" not in data:
        notes.append("There is no '_meta.hostvars' in the '--list' output, so every host costs one more run "
                     "of the script ('--host NAME'); ansible-core deprecates this. Print "
                     "{\"_meta\": {\"hostvars\": {HOST: {VARS}}}} with '--list'.")
        problems.extend(_check_host_calls(path, list(hosts)[:5], timeout))
    else:
        _check_meta(data["_meta"], hosts, problems)
    if not hosts and not groups:
        problems.append("'--list' printed no groups and no hosts.")
    return ScriptCheck(problems, notes)


def _check_group(name: str, group: Any, groups: set[str], hosts: dict[str, None],
                 problems: list[str], notes: list[str]) -> None:
    if isinstance(group, list):
        notes.append(f"Group '{name}' is a plain list of hosts; ansible-core deprecates this form: "
                     f"write {{\"hosts\": [...]}}.")
        members: Any = group
    elif isinstance(group, dict):
        if not any(key in group for key in ("hosts", "vars", "children")):
            notes.append(f"Group '{name}' has none of 'hosts', 'vars', 'children', so it is read as one host "
                         f"named '{name}' with these variables; ansible-core deprecates this form.")
            hosts[name] = None
            return
        unknown = sorted(set(group) - {"hosts", "vars", "children"})
        if unknown:
            problems.append(f"Group '{name}' has unknown keys {unknown}; only 'hosts', 'vars' and "
                            f"'children' are read.")
        members = group.get("hosts", [])
        if "vars" in group and not isinstance(group["vars"], dict):
            problems.append(f"Group '{name}': 'vars' must be a mapping of variable names to values, "
                            f"got a {type(group['vars']).__name__}.")
        children = group.get("children", [])
        if not isinstance(children, list):
            problems.append(f"Group '{name}': 'children' must be a list of group names, "
                            f"got a {type(children).__name__}.")
        else:
            for child in children:
                if child not in groups:
                    problems.append(f"Group '{name}' lists child group '{child}' which is not defined; "
                                    f"it will be created empty.")
    else:
        problems.append(f"Group '{name}' must be a mapping with 'hosts', 'vars', 'children' (or a list of "
                        f"host names); got a {type(group).__name__}.")
        return
    if not isinstance(members, list):
        problems.append(f"Group '{name}': 'hosts' must be a list of host names, got a "
                        f"{type(members).__name__}.")
        return
    for host in members:
        if isinstance(host, str):
            hosts[host] = None
        else:
            problems.append(f"Group '{name}' lists a host that is not a string: {host!r}.")


def _check_meta(meta: Any, hosts: dict[str, None], problems: list[str]) -> None:
    if not isinstance(meta, dict) or not isinstance(meta.get("hostvars"), dict):
        problems.append("'_meta' must be a mapping with 'hostvars', a mapping of host names to their "
                        "variables (e.g. {\"_meta\": {\"hostvars\": {\"web1\": {\"x\": 1}}}}).")
        return
    for host, host_vars in meta["hostvars"].items():
        if not isinstance(host_vars, dict):
            problems.append(f"_meta.hostvars['{host}'] must be a mapping of variables, "
                            f"got a {type(host_vars).__name__}.")
        elif host not in hosts:
            problems.append(f"_meta.hostvars has variables for '{host}', which no group lists; "
                            f"they will be ignored.")


def _check_host_calls(path: str, names: list[str], timeout: float) -> list[str]:
    problems = []
    for host in names:
        try:
            answer = run_script(path, ["--host", host], timeout)
        except ScriptError as exc:
            problems.append(f"Without '_meta.hostvars' corral runs '--host NAME' for every host, and that "
                            f"failed: {exc.message}")
            break
        if not isinstance(answer, dict):
            problems.append(f"'--host {host}' must print a JSON object of variables (use {{}} for none); "
                            f"it printed a JSON {type(answer).__name__}.")
    return problems


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [ScriptInventory()]


@hookimpl(trylast=True)
def corral_inventory_check(source: str) -> InventoryCheck:
    """Check ``source`` as a dynamic inventory script (:func:`check_script`); asked
    last, so the checker of a plugin for another format claims its own sources first."""
    found = check_script(source, timeout=_timeout({}))
    return InventoryCheck(ScriptInventory.NAME, found.problems, found.notes,
                          "OK, the script follows the dynamic inventory protocol.")
