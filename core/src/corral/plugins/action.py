"""Controller-side actions: what runs on the controller for a task.

Every task runs through an action.  Modules without an action of their own use
:class:`NormalAction`, which ships the module to the target and returns its result.
An action plugin (``corral_actions`` hook) subclasses :class:`ActionBase` and
overrides ``run``; it may call the module of the same (or another) name with
``_execute_module`` and move files with ``self._connection``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shlex
import sys
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Iterator

from corral.errors import CorralActionFailed, CorralError, CorralFileNotFound, CorralInterrupted
from corral.playbook.search_path import candidate_paths, task_search_path
from corral.plugins.become_tmp import is_become_unprivileged, share_with_become_user, system_tmp_base
from corral.plugins.connection import Become, ConnectionOptions
from corral.plugins.interpreter_discovery import DEFAULT_FALLBACK, DISCOVERED_FACT, discover, is_discovery_mode
from corral.results import ERROR_SUMMARY, WARNING_HELP

if TYPE_CHECKING:
    from corral.executor.module_payload import ModuleSettings
    from corral.plugins.executor import Executor, Request
from corral.utils import private_tmp

__all__ = ["ActionBase", "NormalAction", "PlayContext", "HostConnection", "TaskDeadline", "sleep_unless_cancelled"]


def sleep_unless_cancelled(seconds: float, cancelled: threading.Event | None) -> None:
    """Sleep ``seconds`` on the controller; when ``cancelled`` is set (the run was
    interrupted), raise :class:`CorralInterrupted` at once instead."""
    if cancelled is None:
        time.sleep(seconds)
    elif cancelled.wait(seconds):
        raise CorralInterrupted("The run was interrupted.")


class TaskDeadline(threading.Event):
    """The end of a task's ``timeout``: an event that is set once ``period`` seconds
    have passed since :meth:`start` (each attempt of a task starts it again) or
    once ``cancelled`` (the run's event) is set.  As ``PlayContext.cancelled`` it
    makes an action's controller-side waits (:meth:`ActionBase._wait`) end at the
    deadline; :meth:`remaining` bounds each connection request (its ``limit``)."""

    def __init__(self, period: float, cancelled: threading.Event | None = None) -> None:
        super().__init__()
        self.period = period
        self._cancelled = cancelled if cancelled is not None else threading.Event()
        self._end = time.monotonic() + period

    def start(self) -> None:
        """The period starts now."""
        self._end = time.monotonic() + self.period

    def remaining(self) -> float:
        """Seconds left before the deadline (never below 0)."""
        return max(self._end - time.monotonic(), 0.0)

    @property
    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return time.monotonic() >= self._end

    def is_set(self) -> bool:
        return self.expired or self._cancelled.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the deadline, the run's cancellation or ``timeout`` seconds,
        whichever comes first; whether the event is set."""
        left = self.remaining()
        self._cancelled.wait(left if timeout is None else min(timeout, left))
        return self.is_set()


@dataclasses.dataclass
class PlayContext:
    """Settings of the current task on the current host, resolved from keywords,
    variables and the command line."""

    check_mode: bool = False
    diff: bool = False
    verbosity: int = 0
    become: Become | None = None
    remote_user: str | None = None
    remote_addr: str | None = None
    connection: str = "ssh"
    #: an interpreter, or a discovery mode (``auto``, ``auto_silent``: see
    #: :mod:`corral.plugins.interpreter_discovery`)
    python_interpreter: str = "python3"
    #: the interpreters discovery tries, in order (``ansible_interpreter_python_fallback``)
    interpreter_fallback: tuple[str, ...] = DEFAULT_FALLBACK
    #: whether a discovered interpreter is returned as the host's fact (not for a task
    #: delegated to another host without ``delegate_facts``, as in ansible-core)
    report_discovered_interpreter: bool = True
    remote_tmp: str = "~/.ansible/tmp"
    #: the soft open-files limit Python modules run with (0: the target's own)
    module_rlimit_nofile: int = 0
    #: a group the login and become users share, for files an unprivileged become user reads
    common_remote_group: str | None = None
    #: whether those files may be made world-readable when nothing else works (with a warning)
    world_readable_temp: bool = False
    environment: dict[str, str] = dataclasses.field(default_factory=dict)
    no_log: bool = False
    #: set when the run is cancelled or the task's ``timeout`` ends (a
    #: :class:`TaskDeadline`; see :meth:`ActionBase._wait`)
    cancelled: threading.Event | None = None


class HostConnection:
    """What an action sees as ``self._connection``: one host's connection, reached
    through the run's executor (the connection itself may live in another process).


    With a ``display`` at ``-vvv`` or more, requests are sent traced and what the
    host ran for them is shown as ansible-core shows it (``<host> EXEC ...``,
    ``<host> PUT ... TO ...``), after ``<host> ESTABLISH <TRANSPORT> CONNECTION FOR
    USER: <user>`` once per task (corral keeps the connection open across tasks; the
    line says which connection this task uses).  With a ``deadline`` (the task's
    ``timeout``), each request is bounded to what is left of it, and one made after
    it raises :class:`CorralInterrupted`.  At ``-vvvv`` the ``ESTABLISH`` line is followed
    by the options the connection was given away from their defaults, with where each
    came from (what ansible-core's ssh plugin shows as its command line); the options
    named in ``secret_options`` (passwords) are never shown, nor any for a ``no_log``
    task."""

    def __init__(self, executor: Executor, host: str, options: ConnectionOptions, become: Become | None,
                 display: Any = None, no_log: bool = False, deadline: TaskDeadline | None = None,
                 secret_options: frozenset[str] = frozenset(), alone: bool = False) -> None:
        self._secret_options = secret_options
        #: the host is expected to run one module in the whole run (see ``ModuleRequest.alone``)
        self._alone = alone
        self._executor = executor
        self._host = host
        self.options = options
        self._become = become
        self._display = display if display is not None and display.verbosity >= 3 else None
        #: the task's ``no_log``: its command lines (which may hold its secrets) are not shown
        self._no_log = no_log
        self._established = False
        self.deadline = deadline

    @property
    def transport(self) -> str:
        return str(self.options.connection)

    @property
    def _traced(self) -> bool:
        return self._display is not None

    @property
    def _where(self) -> str:
        """The ``<host>`` of trace lines: the address the connection reaches, or for a
        ``no_log`` task the host's inventory name (its address may be a secret)."""
        if self._no_log:
            return str(self.options.inventory_hostname)
        return str(self.options.get("remote_addr") or self.options.inventory_hostname)

    def _establish(self) -> None:
        if self._display is not None and not self._established:
            self._established = True
            self._display.vvv(f"ESTABLISH {self.transport.upper()} CONNECTION FOR USER: {self._user()}",
                              host=self._where)
            shown = [f"{name}={self.options.get(name)!r} ({origin})" for name, origin in self.options.origins.items()
                     if name not in self._secret_options]
            if shown and not self._no_log:
                self._display.vvvv(f"{self.transport.upper()} CONNECTION OPTIONS: {', '.join(shown)}",
                                   host=self._where)

    def trace(self, msg: str) -> None:
        """Show ``msg`` at ``-vvv`` among this task's connection trace (after its
        ``ESTABLISH`` line), as ansible-core shows ``Using module file ...``."""
        if self._display is not None:
            self._establish()
            self._display.vvv(msg)

    def _call(self, request: Request) -> Any:
        """Send ``request``, bounded by the deadline; at ``-vvv`` show the connection it
        uses and what it ran."""
        from corral.plugins.executor import untraced, with_limit
        if self.deadline is not None:
            limit = self.deadline.remaining()
            if limit <= 0:
                raise CorralInterrupted(f"The task on {self._host} timed out.")
            request = with_limit(request, limit)
        if self._display is None:
            return self._executor.call(self._host, self.options, request)
        self._establish()
        reply, lines = untraced(self._executor.call(self._host, self.options, request))
        for line in lines:
            if self._no_log and line.startswith("EXEC "):
                line = "EXEC (the command is hidden: 'no_log: true' was specified for this task)"
            self._display.vvv(line, host=self._where)
        return reply

    def _user(self) -> str | None:
        """The user the connection logs in as: ``remote_user``, or for connections that
        run on the controller, the controller's user (``None`` when unknown)."""
        user = self.options.get("remote_user")
        if user is None and self.transport == "local":
            import getpass
            return getpass.getuser()
        return None if user is None else str(user)

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        """Run ``cmd`` on the host (as the become user when ``sudoable`` and become is on)."""
        from corral.plugins.executor import ExecRequest
        become = self._become if sudoable else None
        rc, out, err = self._call(ExecRequest(cmd, in_data, become, trace=self._traced))
        return int(rc), bytes(out), bytes(err)

    def run_module(self, interpreter: str, payload: bytes, environment: dict[str, str] | None = None,
                   remote_tmp: str = "~/.ansible/tmp") -> tuple[int, bytes, bytes]:
        """Run a module payload with ``interpreter`` (as the become user when become
        is on); ``(rc, stdout, stderr)``.  ``remote_tmp``: where a connection without
        pipelining gets the payload as a file."""
        from corral.plugins.executor import ModuleRequest
        env = tuple(sorted((str(k), str(v)) for k, v in (environment or {}).items()))
        rc, out, err = self._call(ModuleRequest(interpreter, payload, env, self._become, remote_tmp,
                                                trace=self._traced, alone=self._alone))
        return int(rc), bytes(out), bytes(err)

    def put_file(self, in_path: str, out_path: str) -> None:
        from corral.plugins.executor import PutRequest
        self._call(PutRequest(in_path, out_path, trace=self._traced))

    def fetch_file(self, in_path: str, out_path: str) -> None:
        from corral.plugins.executor import FetchRequest
        self._call(FetchRequest(in_path, out_path, trace=self._traced))

    def reset(self) -> None:
        from corral.plugins.executor import ResetRequest
        self._call(ResetRequest())

    def with_option(self, name: str, value: Any) -> HostConnection:
        """This host's connection with its connection option ``name`` set to ``value``, or this
        connection itself when its plugin has no such option.  Requests through it open a
        connection of their own (the host's usual one is opened again by the next request
        that uses the usual options)."""
        if name not in dict(self.options.values):
            return self
        values = tuple((key, value if key == name else current) for key, current in self.options.values)
        return HostConnection(self._executor, self._host, dataclasses.replace(self.options, values=values),
                              self._become, self._display, self._no_log, self.deadline,
                              alone=self._alone)


class ActionBase:
    """Base class of actions.

    Available to ``run``: ``self._task`` (``action``, ``args`` already templated,
    ``check_mode``/``diff``/``no_log`` as resolved), ``self._connection`` (a
    :class:`HostConnection`), ``self._play_context``, ``self._loader``,
    ``self._templar`` (over the task's variables), ``self._modules`` (installed
    modules by name).  ``run(tmp, task_vars)`` returns the result dict.
    ``_VALID_ARGS`` (when not empty) lists the accepted arguments of a
    controller-only action; others fail the task naming them.

    The upper-case class attributes below are the action's traits: the kernel reads
    them (:mod:`corral.plugins.traits`) instead of knowing actions by name, so a
    third-party action declares them to behave like a standard one.
    """

    TRANSFERS_FILES: ClassVar[bool] = False
    #: under the linear strategy, run once for the first host of the batch (``add_host``)
    BYPASS_HOST_LOOP: ClassVar[bool] = False
    _VALID_ARGS: ClassVar[frozenset[str]] = frozenset()
    #: ``None``: a string argument is key=value pairs; else it is free-form text
    #: (``_raw_params``) from which only these option names are taken out
    FREE_FORM_KEYS: ClassVar[frozenset[str] | None] = None
    #: the ad-hoc CLI refuses this action without arguments (``shell``, ``raw``)
    REQUIRES_ARGS: ClassVar[bool] = False
    #: ``False``: the action never reaches a host (no connection; failures read "Action failed")
    NEEDS_CONNECTION: ClassVar[bool] = True
    #: arguments the executor must not template before ``run`` (the action does)
    UNTEMPLATED_ARGS: ClassVar[frozenset[str]] = frozenset()
    #: the action reads ``_raw_params`` itself (``set_fact``, ``add_host``); for any other
    #: action that is not free-form, text that is one template stands for its arguments
    #: and other text fails the task (Ansible's "does not support raw params")
    RAW_PARAMS: ClassVar[bool] = False
    #: how the result's ``ansible_facts`` apply: one of :data:`corral.plugins.traits.FACTS_SCOPES`
    FACTS: ClassVar[str] = "host"
    #: a success marks the host's facts as gathered (``setup``, ``gather_facts``)
    GATHERS_FACTS: ClassVar[bool] = False
    #: the result's ``add_host``/``add_group`` keys change the run's inventory
    CHANGES_INVENTORY: ClassVar[bool] = False

    def __init__(self, task: Any, connection: HostConnection | None, play_context: PlayContext,
                 loader: Any, templar: Any, shared_loader_obj: Any = None) -> None:
        self._task = task
        self._host_connection = connection
        self._play_context = play_context
        self._loader = loader
        self._templar = templar
        self._shared_loader_obj = shared_loader_obj
        self._modules: dict[str, Any] = getattr(shared_loader_obj, "modules", lambda: {})() \
            if shared_loader_obj is not None else {}
        self._supports_check_mode = True
        self._supports_async = False
        self._tmp_paths: list[str] = []
        self._warnings: list[str] = []
        #: the interpreter this action discovered (None: none discovered by it), and the
        #: discovery's warnings, returned with each of its module results
        self._discovered_interpreter: str | None = None
        self._discovery_warnings: list[tuple[str, str | None]] = []

    @property
    def _connection(self) -> HostConnection:
        """The host's connection (Ansible's ``self._connection``); a controller-only
        action has none and fails the task when it asks for one."""
        if self._host_connection is None:
            raise CorralError(f"The action '{self._task.action}' runs on the controller only: it has no connection")
        return self._host_connection

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        """Check ``_VALID_ARGS``; subclasses call this first and extend the result."""
        if self._VALID_ARGS:
            unknown = sorted(set(self._task.args) - set(self._VALID_ARGS))
            if unknown:
                raise CorralActionFailed(f"Invalid options for {self._task.action}: {', '.join(unknown)}",
                                         {"changed": False})
        return {}

    # -- modules ---------------------------------------------------------------------

    def _interpreter(self, task_vars: Any = None) -> str:
        """The interpreter modules run with: the configured one, or, for a discovery
        mode, the host's ``discovered_interpreter_python`` fact, else one discovered
        now (once per action)."""
        configured = self._play_context.python_interpreter
        if not is_discovery_mode(configured):
            return configured
        if self._discovered_interpreter is not None:
            return self._discovered_interpreter
        # a delegated task runs on another host: the task's host's fact is not its own
        variables = task_vars if isinstance(task_vars, Mapping) else {}
        facts = variables.get("ansible_facts") if not getattr(self._task, "delegate_to", None) else None
        known = facts.get(DISCOVERED_FACT) if isinstance(facts, Mapping) else None
        if isinstance(known, str) and known:
            return known
        host = str(variables.get("inventory_hostname") or self._play_context.remote_addr)
        self._discovered_interpreter, self._discovery_warnings = discover(
            lambda command: self._connection.exec_command(command, sudoable=False), host, configured,
            self._play_context.interpreter_fallback)
        return self._discovered_interpreter

    def _execute_module(self, module_name: str | None = None, module_args: dict[str, Any] | None = None,
                        task_vars: Any = None, tmp: str | None = None, wrap_async: bool = False) -> dict[str, Any]:
        """Run a module on the target (its payload on the interpreter's stdin) and
        return its result."""
        from corral.executor.module_payload import build_module_payload, parse_module_output
        from corral.plugins.module import normalize_module_name
        written = module_name or getattr(self._task, "action_as_written", self._task.action)
        name = normalize_module_name(written)
        resolve = getattr(self._shared_loader_obj, "resolve", None)
        spec = resolve("module", written, getattr(self._task, "collections", ())) if resolve is not None \
            else self._modules.get(name)
        if spec is None:
            return {"failed": True, "msg": f"The module {name} was not found in configured module paths. "
                    f"Installed modules: {', '.join(sorted(self._modules)) or 'none'}"}
        args = dict(self._task.args if module_args is None else module_args)
        # the module knows itself by the name it was asked for (``ansible.builtin.file`` as the task
        # wrote it, ``ansible.legacy.copy`` as an action names it), as its messages show
        args.setdefault("_ansible_module_name", written)
        settings: ModuleSettings = {
            "check_mode": self._play_context.check_mode, "diff": self._play_context.diff,
            "no_log": self._play_context.no_log, "verbosity": self._play_context.verbosity,
            "remote_tmp": self._play_context.remote_tmp,
            "rlimit_nofile": self._play_context.module_rlimit_nofile}
        async_val = int(getattr(self._task, "async_val", 0) or 0)
        interpreter = self._interpreter(task_vars)
        self._connection.trace(f"Using module file {spec.path}")
        if async_val and name != "async_status" and (module_name is None or wrap_async):
            from corral.executor.module_payload import execute_async
            return execute_async(
                lambda data: self._connection.run_module(interpreter, data, self._play_context.environment,
                                                        remote_tmp=self._play_context.remote_tmp),
                spec, args, async_limit=async_val, poll=self._task.poll,
                status=lambda jid: self._execute_module("async_status", {"jid": jid}, task_vars),
                cleanup=lambda jid: self._execute_module("async_status", {"jid": jid, "mode": "cleanup"},
                                                         task_vars),
                sleep=self._wait, on_async=getattr(self._task, "on_async", None), **settings)
        payload = build_module_payload(spec, args, **settings)
        rc, out, err = self._connection.run_module(interpreter, payload, self._play_context.environment,
                                                   remote_tmp=self._play_context.remote_tmp)
        if self._play_context.become is not None:
            from corral.plugins.become import failure_reason
            reason = failure_reason(rc, out, err, self._play_context.become)
            if reason:
                return self._with_discovered_interpreter({"failed": True, "msg": reason})
        result = parse_module_output(rc, out, err)
        if rc == 127 and "module_stderr" in result and interpreter in result["module_stderr"]:
            _interpreter_not_found(result, interpreter)
        return self._with_discovered_interpreter(result)

    def _with_discovered_interpreter(self, result: dict[str, Any]) -> dict[str, Any]:
        """``result`` without the ``discovered_interpreter_*`` facts a module may have
        set (only the controller decides them), with the interpreter this action
        discovered as the fact ``discovered_interpreter_python`` and the discovery's
        warnings, as ansible-core returns them."""
        facts = result.get("ansible_facts")
        if isinstance(facts, dict):
            for name in [key for key in facts if str(key).startswith(("discovered_interpreter_",
                                                                        "ansible_discovered_interpreter_"))]:
                del facts[name]
        if self._discovered_interpreter is not None and self._play_context.report_discovered_interpreter:
            facts = result["ansible_facts"] = dict(facts) if isinstance(facts, dict) else {}
            facts[DISCOVERED_FACT] = self._discovered_interpreter
        if self._discovery_warnings:
            warnings = list(result.get("warnings") or [])
            result["warnings"] = warnings + [text for text, _help in self._discovery_warnings if text not in warnings]
            result[WARNING_HELP] = {**(result.get(WARNING_HELP) or {}),
                                    **{text: advice for text, advice in self._discovery_warnings if advice}}
        return result

    # -- files -----------------------------------------------------------------------------

    def _find_needle(self, dirname: str, needle: str) -> str:
        """Find a controller file as Ansible does: along the task's search path (its
        role's directory, the directory of its tasks file; ``dirname`` first in each),
        then the playbook's (:mod:`corral.playbook.search_path`)."""
        needle = os.path.expanduser(str(needle))
        if os.path.isabs(needle):
            if os.path.exists(needle):
                return needle
            raise CorralFileNotFound(f"Could not find or access '{needle}' on the Ansible Controller.")
        candidates = candidate_paths(task_search_path(self._task), dirname, needle, self._loader.get_basedir())
        for candidate in candidates:
            if os.path.exists(candidate):
                return candidate
        raise CorralFileNotFound(f"Could not find or access '{needle}'\nSearched in:\n\t"
                                 + "\n\t".join(candidates) + " on the Ansible Controller.")

    @contextlib.contextmanager
    def _decrypted(self, local: str) -> Iterator[str]:
        """The controller file ``local`` as plain text: itself, or, when it is a vault,
        a ``0600`` copy of its plaintext in the process's private temporary directory
        (:mod:`corral.utils.private_tmp`), removed afterwards.  Callers that need the
        source's mode read it from ``local``, not from the copy."""
        from corral.parsing.vault import is_encrypted
        with open(local, "rb") as handle:
            head = handle.read(64)
        if not is_encrypted(head):
            yield local
            return
        plain = self._loader.decrypt_if_vaulted(self._loader.read_file(local), local)
        handle_fd, path = private_tmp.mkstemp(prefix="decrypted-")
        try:
            with os.fdopen(handle_fd, "wb") as out:
                out.write(plain)
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def _remote_expand_user(self, path: str) -> str:
        """Expand ``~`` on the target."""
        user_part = path.split("/")[0]
        if not path.startswith("~") or not re.fullmatch(r"~[A-Za-z0-9_.-]*", user_part):
            return path
        rc, out, _ = self._connection.exec_command(f"echo {user_part}", sudoable=False)
        home = out.decode().strip() if rc == 0 else user_part
        rest = path.split("/", 1)[1] if "/" in path else ""
        return os.path.join(home, rest) if rest else home

    def _make_tmp_path(self) -> str:
        """Create a private temporary directory (0700) on the target, as the login
        user; removed by ``cleanup``.  When the task becomes an unprivileged user it is
        made in a system temporary directory, which that user can traverse (see
        :mod:`corral.plugins.become_tmp`)."""
        base = self._play_context.remote_tmp or "~/.ansible/tmp"
        if self._is_become_unprivileged():
            base = system_tmp_base(base)
        import uuid
        name = f"corral-tmp-{uuid.uuid4().hex[:16]}"
        cmd = (f"( umask 77 && mkdir -p {base} && mkdir {base}/{name} && cd {base}/{name} && pwd )"
               if base.startswith("~") else
               f"( umask 77 && mkdir -p {shlex.quote(base)} && mkdir {shlex.quote(base + '/' + name)} "
               f"&& cd {shlex.quote(base + '/' + name)} && pwd )")
        rc, out, err = self._connection.exec_command(cmd, sudoable=False)
        if rc != 0:
            raise CorralError(f"Failed to create temporary directory on the target: "
                              f"{err.decode(errors='replace').strip() or out.decode(errors='replace')}")
        path = out.decode().strip().splitlines()[-1]
        self._tmp_paths.append(path)
        return path

    def _remove_tmp_path(self, path: str) -> None:
        self._connection.exec_command(f"rm -rf {shlex.quote(path)} >/dev/null 2>&1", sudoable=False)
        if path in self._tmp_paths:
            self._tmp_paths.remove(path)

    def _remote_user(self) -> str | None:
        """The login user: ``remote_user`` as resolved, else the connection's own."""
        return self._play_context.remote_user or getattr(getattr(self._connection, "options", None), "user", None)

    def _is_become_unprivileged(self) -> bool:
        """Whether the task becomes a user other than root and the login user."""
        return is_become_unprivileged(self._play_context.become, self._remote_user())

    def _fixup_perms(self, path: str, execute: bool = False) -> None:
        """Let the become user read (with ``execute``, run) ``path``, a file the login
        user transferred into a directory of ``_make_tmp_path``: nothing to do without
        become or when becoming root; for an unprivileged become user, the chain of
        :mod:`corral.plugins.become_tmp` (never world-readable without the opt-in).
        Its warnings are kept in ``self._warnings`` for the action's result; raises
        :class:`CorralError` when no method works."""
        become = self._play_context.become
        if become is None or not self._is_become_unprivileged():
            return
        self._warnings += share_with_become_user(
            lambda cmd: self._connection.exec_command(cmd, sudoable=False),
            [os.path.dirname(path), path], become.user, execute=execute,
            common_group=self._play_context.common_remote_group,
            world_readable=self._play_context.world_readable_temp)

    @staticmethod
    def _raised(message: str, **extra: Any) -> dict[str, Any]:
        """The failed result (``extra`` keys added) of an error the action itself
        raised, such as a controller file not found, as ansible-core reports one: its
        ``[ERROR]`` line is the message's first line after ``Task failed:`` (once),
        not ``Module failed:``."""
        first = message.splitlines()[0] if message else ""
        summary = first if first.startswith("Task failed") else f"Task failed: {first}"
        return {"failed": True, "msg": message, **extra, ERROR_SUMMARY: summary}

    def _with_warnings(self, result: dict[str, Any]) -> dict[str, Any]:
        """``result`` with the warnings this action collected added to its ``warnings``."""
        if self._warnings:
            result["warnings"] = list(result.get("warnings") or []) + self._warnings
            self._warnings = []
        return result

    def _wait(self, seconds: float) -> None:
        """Sleep on the controller; raises :class:`CorralInterrupted` at once when the
        run is cancelled (an action must not hold an interrupted run up)."""
        sleep_unless_cancelled(seconds, self._play_context.cancelled)

    def cleanup(self, force: bool = False) -> None:
        """Remove temporary directories this action made on the target."""
        for path in list(self._tmp_paths):
            try:
                self._remove_tmp_path(path)
            except CorralError:
                pass


class NormalAction(ActionBase):
    """The action of every module that has none of its own: run the module.  The
    result of a fact-gathering module (trait ``gathers_facts``: ``setup``) is not
    shown whole at ``-v``, as in Ansible (``_ansible_verbose_override``)."""

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        result = self._execute_module(task_vars=task_vars)
        traits = getattr(self._task, "traits", None)
        if traits is not None and traits.gathers_facts:
            result["_ansible_verbose_override"] = True
        return result


def local_python() -> str:
    """The controller's interpreter (used for the implicit ``localhost``)."""
    return sys.executable


def _interpreter_not_found(result: dict[str, Any], interpreter: str) -> None:
    """Word a module failure whose interpreter the target does not have (the shell's
    exit status 127) as ansible-core does, with its advice as the error's cause."""
    from corral.results import ERROR_CAUSE, ERROR_SUMMARY
    msg = f"The module interpreter '{interpreter}' was not found."
    result["msg"] = msg
    result[ERROR_SUMMARY] = f"Task failed: Action failed: {msg}"
    result[ERROR_CAUSE] = [["Task failed: Action failed", None], [
        f"{msg} Consider overriding the configured interpreter path for this host. "
        f"See stdout/stderr for the returned output.", []]]
