"""Adapters for the plugins that also run in an executor's worker processes:
connection and become plugins written for Ansible.

A worker is a fresh interpreter with a plugin manager of its own and no run
configuration, so it cannot look a collection's plugin up by name.  Each adapted
class therefore has an importable reference (``corral_content_ansible.remote_adapters:C_<token>``,
the token encoding the plugin's module, file, collection roots and name):

- a become plugin travels as that reference (``Become.plugin``, see
  :func:`corral.plugins.become.plugin_reference`);
- a connection's options carry a :class:`RemoteClass` value; unpickling it in the
  worker records the class under its name, and this module's
  ``corral_resolve_content`` hook answers that name there.

Importing a reference (module ``__getattr__``) loads the plugin file the way the
controller did and adapts it again.
"""
from __future__ import annotations

import base64
import dataclasses
import importlib
import json
import re
import shlex
import threading
import types
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralConnectionFailure, CorralError, CorralOptionsError
from corral.plugins import hookimpl
from corral.plugins.become import BecomeBase, build_become_command
from corral.plugins.connection import Become, ConnectionBase, ConnectionOptions
from corral.plugins.options import Option
from corral_content_ansible import importer, run_state

__all__ = ["AnsibleConnection", "AnsibleBecome", "RemoteClass", "connection_class", "become_class",
           "corral_resolve_content"]

_lock = threading.Lock()
_classes: dict[str, type] = {}
_by_name: dict[tuple[str, str], type] = {}
_GENERIC_PROMPT = re.compile(rb"(?i)password[^\n]*:\s*$")


def _token(kind: str, module: types.ModuleType, name: str) -> str:
    where = {"kind": kind, "module": module.__name__, "file": getattr(module, "__file__", None),
             "roots": importer.roots(), "name": name}
    encoded = base64.b32encode(json.dumps(where, sort_keys=True).encode()).decode().rstrip("=")
    return "C_" + encoded


def _load(token: str) -> type:
    text = token[2:] + "=" * (-len(token[2:]) % 8)
    where = json.loads(base64.b32decode(text))
    importer.add_roots(where["roots"])
    module_name: str = where["module"]
    if module_name.startswith("ansible_collections."):
        module = importlib.import_module(module_name)
    else:
        module = importer.load_file(where["file"], module_name.rsplit(".", 1)[0])
    cls = (connection_class if where["kind"] == "connection" else become_class)(
        getattr(module, "Connection" if where["kind"] == "connection" else "BecomeModule"), module, where["name"])
    return cls


def __getattr__(token: str) -> type:
    """The adapted class an importable reference names (loaded on first use)."""
    if not token.startswith("C_"):
        raise AttributeError(token)
    with _lock:
        found = _classes.get(token)
    return found if found is not None else _load(token)


def _register(cls: type, kind: str, module: types.ModuleType, name: str) -> type:
    token = _token(kind, module, name)
    cls.__module__ = __name__
    cls.__qualname__ = token
    with _lock:
        _classes[token] = cls
        _by_name[(kind, name)] = cls
    return cls


@dataclasses.dataclass(frozen=True)
class RemoteClass:
    """A connection option value that makes the worker process that unpickles it
    know the adapted class of connection ``name``."""

    name: str
    reference: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (_known_remote, (self.name, self.reference))


def _known_remote(name: str, reference: str) -> RemoteClass:
    cls = __getattr__(reference.partition(":")[2])
    with _lock:
        _by_name[("connection", name)] = cls
    return RemoteClass(name, reference)


@hookimpl(tryfirst=True)
def corral_resolve_content(kind: str, name: str, collections: tuple[str, ...], context: Any) -> Any:
    """A connection class this process adapted or received from the controller.

    Asked first, for every name a run resolves: it also records the run's display
    and configuration as those plugins written for Ansible use
    (:mod:`corral_content_ansible.run_state`)."""
    run_state.use_display(getattr(context, "display", None))
    run_state.use_config(getattr(context, "config", None))
    with _lock:
        return _by_name.get((kind, name)) if kind == "connection" else None


class _PlayContext:
    """The attributes of Ansible's ``PlayContext`` a connection plugin reads."""

    def __init__(self, options: ConnectionOptions) -> None:
        self.remote_addr = options.get("remote_addr") or options.inventory_hostname
        self.remote_user = options.get("remote_user")
        self.port = options.get("port")
        self.password = options.get("password")
        self.private_key_file = options.get("private_key_file")
        self.timeout = options.get("timeout")
        self.connection = options.connection
        self.executable = "/bin/sh"
        self.become = False
        self.check_mode = False
        self.verbosity = 0


class _BecomePlugin:
    """What an Ansible connection sees as ``self.become`` while a command escalates:
    the method's ``name`` and its options (corral wraps the command itself)."""

    def __init__(self, become: Become) -> None:
        self.name = become.method
        self._become = become

    def get_option(self, name: str, hostvars: Any = None, playcontext: Any = None) -> Any:
        fields = {"become_user": self._become.user, "become_pass": self._become.password,
                  "become_flags": self._become.flags, "become_exe": self._become.exe}
        return fields[name] if name in fields else self._become.get(name)


#: Ansible's ``pipelining`` setting, for connection plugins that do not declare the option
_PIPELINING = Option("pipelining", default=False, type="bool", env=("ANSIBLE_PIPELINING",),
                     ini=(("defaults", "pipelining"), ("connection", "pipelining")),
                     vars=("ansible_pipelining", "ansible_ssh_pipelining"),
                     description="Run modules by feeding them to the interpreter's standard input.")


#: the target's shell (Ansible's ``ansible_shell_type``), which a plugin sees as ``self._shell``
_SHELL_TYPE = Option("shell_type", vars=("ansible_shell_type",),
                     description="The shell plugin of the target (default: the connection's own, else sh).")


def shell_family(options: ConnectionOptions) -> str | None:
    """The shell type an Ansible connection plugin chooses for itself (its
    ``_shell_type``, set when it is built), for the connection ``options`` name; None
    when they name no such plugin or it cannot be built here."""
    remote = options.get("_corral_class")
    if not isinstance(remote, RemoteClass):
        return None
    try:
        adapted = __getattr__(remote.reference.partition(":")[2])
        plugin = getattr(adapted, "_plugin_class")(_PlayContext(options), None)
    except Exception:  # noqa: BLE001 - a plugin that cannot be built here keeps the default shell
        return None
    shell = getattr(plugin, "_shell", None)
    return str(shell.SHELL_FAMILY) if shell is not None else None


class AnsibleConnection(ConnectionBase):
    """Runs an Ansible ``Connection`` class under corral's connection contract.

    ``has_pipelining`` is decided per instance as Ansible decides it: the plugin's
    ``always_pipeline_modules``, or its class's ``has_pipelining`` with the
    ``pipelining`` option on (off by default); without it, modules are copied
    to the target with ``put_file`` and run from there."""

    _plugin_class: Any = None
    _load_name = ""
    #: the options the plugin itself declares (passed to its ``set_options``)
    _plugin_options: frozenset[str] = frozenset()

    def __init__(self, options: ConnectionOptions) -> None:
        super().__init__(options)
        plugin = self._plugin_class(_PlayContext(options), None)     # (play_context, new_stdin), as Ansible builds it
        plugin._load_name = self._load_name
        if options.get("shell_type"):
            from ansible.plugins.connection import ShellModule
            plugin._shell = ShellModule.of_type(str(options.get("shell_type")))
        plugin.set_options(direct={k: v for k, v in options.values if k in self._plugin_options and v is not None})
        self._plugin = plugin
        self.has_pipelining = bool(getattr(plugin, "always_pipeline_modules", False)) or (
            bool(getattr(plugin, "has_pipelining", False)) and bool(options.get("pipelining")))

    @classmethod
    def options_for(cls, connection: str, inventory_hostname: str, **kwargs: Any) -> ConnectionOptions:
        direct = dict(kwargs.pop("direct", None) or {})
        direct["_corral_class"] = RemoteClass(connection, f"{__name__}:{cls.__qualname__}")
        return super().options_for(connection, inventory_hostname, direct=direct, **kwargs)

    def connect(self) -> None:
        if not self._plugin._connected:
            self._call(self._plugin._connect)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except CorralError:
            raise
        except OSError as exc:
            raise CorralConnectionFailure(f"{type(exc).__name__}: {exc}") from exc

    def exec_command(self, cmd: str, in_data: bytes | None = None,
                     become: Become | None = None) -> tuple[int, bytes, bytes]:
        self.connect()
        self._plugin.set_become_plugin(_BecomePlugin(become) if become is not None else None)
        if become is not None:
            wrapped = build_become_command(cmd, become)
            if wrapped.expects_password:
                raise CorralOptionsError(f"become with a password is not supported over the connection "
                                         f"plugin '{self._load_name}' (written for Ansible)")
            cmd = wrapped.cmd
        rc, out, err = self._call(self._plugin.exec_command, cmd, in_data=in_data, sudoable=become is not None)
        return int(rc), _bytes(out), _bytes(err)

    def put_file(self, in_path: str, out_path: str) -> None:
        self.connect()
        self._call(self._plugin.put_file, in_path, out_path)

    def fetch_file(self, in_path: str, out_path: str) -> None:
        self.connect()
        self._call(self._plugin.fetch_file, in_path, out_path)

    def reset(self) -> None:
        self._plugin.reset()

    def close(self) -> None:
        self._plugin.close()


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value or "").encode("utf-8", "surrogateescape")


def connection_class(cls: type, module: types.ModuleType, name: str) -> type[ConnectionBase]:
    """The corral connection class for the Ansible ``Connection`` class ``cls``."""
    from ansible.plugins import plugin_options
    declared = plugin_options(cls)
    options: dict[str, Option] = {**ConnectionBase.OPTIONS, "pipelining": _PIPELINING, "shell_type": _SHELL_TYPE,
                                  **declared}
    adapted = type("Connection", (AnsibleConnection,), {
        "_plugin_class": cls, "_load_name": name, "OPTIONS": options,
        "_plugin_options": frozenset(declared),
        "transport": str(getattr(cls, "transport", "") or name),
        "has_pipelining": bool(getattr(cls, "has_pipelining", False))})
    return _register(adapted, "connection", module, name)


class AnsibleBecome(BecomeBase):
    """Wraps commands with an Ansible ``BecomeModule``'s ``build_become_command``."""

    _plugin_class: Any = None

    def _plugin(self) -> Any:
        plugin = self._plugin_class()
        plugin._load_name = self.name
        become = self.become
        direct: dict[str, Any] = {"become_user": become.user, "become_pass": become.password,
                                  "become_flags": become.flags, "become_exe": become.exe, **dict(become.extra)}
        declared = set(declared_names(type(self)))
        plugin.set_options(direct={k: v for k, v in direct.items() if v is not None and k in declared})
        return plugin

    def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
        from ansible.plugins.connection import ShellModule
        plugin = self._plugin()
        body = shlex.split(inner)[2]        # "echo <corral's marker>; <command>"

        def success_command(cmd: str, shell: Any, noexe: bool = False) -> str:
            return shlex.quote(body) if noexe else inner

        # the marker the handshake waits for is corral's, whatever the plugin generates
        plugin._build_success_command = success_command
        line = str(plugin.build_become_command(body, ShellModule()))
        prompt = plugin.prompt if isinstance(plugin.prompt, str) and plugin.prompt else None
        return line, prompt

    def prompt_patterns(self) -> tuple[re.Pattern[bytes], ...]:
        return (_GENERIC_PROMPT,)


def declared_names(cls: type) -> Mapping[str, Option]:
    """The options an adapted become class declares."""
    found: Mapping[str, Option] = cls.__dict__.get("OPTIONS") or {}
    return found


def become_class(cls: type, module: types.ModuleType, name: str) -> type[BecomeBase]:
    """The corral become class for the Ansible ``BecomeModule`` class ``cls``."""
    from ansible.plugins import plugin_options
    fail = tuple(re.compile(re.escape(str(t).encode())) for t in getattr(cls, "fail", ()) or ())
    missing = tuple(re.compile(re.escape(str(t).encode())) for t in getattr(cls, "missing", ()) or ())
    adapted = type("BecomeModule", (AnsibleBecome,), {
        "_plugin_class": cls, "name": name, "OPTIONS": plugin_options(cls), "fail": fail, "missing": missing})
    return _register(adapted, "become", module, name)

