"""``ConnectionCache``: the connections one worker holds, and how a request runs on one.

Executors run this where their hosts' connections live (a worker process, a thread,
a remote actor).  One connection per host, reused while its options are unchanged,
and one module server per (host, interpreter, become) on connections that can keep
a process open (:mod:`corral.executor.module_server`).

The cache holds at most ``max_hosts`` hosts' connections at once (least recently
used first out): a host beyond the bound has its connection and module servers
closed, and its next request simply connects again.  Connections whose processes
do not depend on their host (``ConnectionBase.shared_process_key``, e.g. every
``local`` host runs on the controller) share their module servers, also at most
``max_hosts`` of them.  So what a worker holds open (processes, sockets, pipes,
threads) depends on the bound, never on the number of hosts it serves.
"""
from __future__ import annotations

import os
import random
import shlex
import tempfile
import time
from collections import OrderedDict
from typing import Any, Callable

from corral.executor.module_inline import inline_arguments, inline_stdin
from corral.executor.module_payload import library_prelude, precompiled_library
from corral.executor.module_server import ModuleServer, ModuleServerGone, server_command
from corral.plugins.connection import ConnectionBase, ConnectionOptions
from corral.plugins.executor import (ExecRequest, FetchRequest, ModuleRequest, PutRequest, Request,
                                     ResetRequest, Traced)

__all__ = ["ConnectionCache"]


class ConnectionCache:
    """Keeps one open connection per host, for at most ``max_hosts`` hosts at once
    (``None``: no bound); ``connection_class(name)`` resolves ``ansible_connection``
    names to classes (``PluginManager.connection_class``)."""

    def __init__(self, connection_class: Callable[[str], type[ConnectionBase]],
                 max_hosts: int | None = None) -> None:
        if max_hosts is not None and max_hosts < 1:
            raise ValueError(f"max_hosts must be at least 1, not {max_hosts}")
        self._connection_class = connection_class
        self._max_hosts = max_hosts
        # least recently used first: the order in which hosts are evicted
        self._connections: OrderedDict[str, tuple[ConnectionOptions, ConnectionBase]] = OrderedDict()
        # keyed (owner, interpreter, become): the owner is the host, or ("shared", key)
        # for a server that every connection with that shared_process_key may use
        self._servers: OrderedDict[tuple[Any, Any, Any], ModuleServer] = OrderedDict()
        self._without_server: set[tuple[Any, Any, Any]] = set()
        # keys whose one expected module (ModuleRequest.alone) ran in a fresh interpreter:
        # a next one (an action that runs two) starts the server after all
        self._ran_alone: set[tuple[Any, Any, Any]] = set()

    @staticmethod
    def warm() -> None:
        """Build now, once per process, what every module server is sent (the runtime
        library compiled for the target, the payloads' library prelude): an executor
        that forks its workers from one process calls it there, so that the workers
        share it."""
        precompiled_library()
        library_prelude()

    def _connection(self, host: str, options: ConnectionOptions) -> ConnectionBase:
        current = self._connections.get(host)
        if current is not None and current[0] == options:
            self._connections.move_to_end(host)
            return current[1]
        if current is not None:
            self._close(host)
        self._make_room()
        connection = self._connection_class(options.connection)(options)
        self._connections[host] = (options, connection)
        return connection

    def _make_room(self) -> None:
        """Close the least recently used hosts until one more fits the bound."""
        if self._max_hosts is None:
            return
        while len(self._connections) >= self._max_hosts:
            self._close(next(iter(self._connections)))

    def handle(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        """Run ``request`` on ``host``'s connection; connection failures propagate.
        A request sent with ``trace=True`` is answered with a :class:`Traced` reply
        naming what ran on the host for it."""
        if isinstance(request, ResetRequest):
            self._close(host)
            return None
        connection = self._connection(host, options)
        try:
            connection.connect()
        except Exception:
            self._close(host)
            raise
        lines: list[str] | None = [] if request.trace else None
        trace = _Trace(connection, lines)
        reply = self._answer(host, connection, request, trace)
        return reply if lines is None else Traced(reply, tuple(lines))

    def _answer(self, host: str, connection: ConnectionBase, request: Request, trace: _Trace) -> Any:
        if isinstance(request, ModuleRequest):
            return self._run_module(host, connection, request, trace)
        if isinstance(request, ExecRequest):
            trace.exec(request.cmd)
            return connection.exec_command(request.cmd, request.in_data, request.become)
        if isinstance(request, PutRequest):
            trace.line(f"PUT {request.local} TO {request.remote}")
            return connection.put_file(request.local, request.remote)
        if isinstance(request, FetchRequest):
            trace.line(f"FETCH {request.remote} TO {request.local}")
            return connection.fetch_file(request.remote, request.local)
        raise TypeError(f"unknown request {request!r}")

    def _run_module(self, host: str, connection: ConnectionBase, request: ModuleRequest,
                    trace: _Trace) -> tuple[int, bytes, bytes]:
        if not connection.has_pipelining:
            return _run_module_file(connection, request, trace)
        shared = connection.shared_process_key()
        owner = host if shared is None else ("shared", shared)
        key = (owner, request.interpreter, request.become)
        if request.alone and key not in self._servers and key not in self._ran_alone:
            self._ran_alone.add(key)
            command = _module_command(request, inline_arguments())
            trace.exec(command)
            return connection.exec_command(command, inline_stdin(request.payload, precompiled_library()),
                                           request.become)
        for _attempt in (1, 2):
            server = self._servers.get(key)
            if server is not None:
                self._servers.move_to_end(key)
            elif key not in self._without_server:
                if shared is not None:
                    self._make_room_for_shared_server()
                server = self._start_server(connection, request, trace)
                if server is None:
                    self._without_server.add(key)
                else:
                    self._servers[key] = server
            if server is None:
                break
            try:
                trace.line(f"EXEC module on the module server of {shlex.quote(request.interpreter)}")
                return server.run(request.payload, dict(request.environment))
            except ModuleServerGone as exc:
                self._servers.pop(key, None)
                server.close()
                if not exc.started:
                    self._without_server.add(key)
                    break       # the plain way reports why (no interpreter, a refused become)
                if not exc.delivered:
                    continue    # it died between tasks (the connection was reopened): start a new one
                return -9, b"", f"The module's process on the target ended: {exc}\n".encode()
            except Exception:
                # the connection failed under the server (the host is unreachable): a later
                # task must start a new server, not write to a dead one or read a stale
                # reply (a shared server serves other hosts too)
                self._servers.pop(key, None)
                server.close()
                raise
            except BaseException:
                # the request was aborted (an interrupt): kill the module and what it started
                self._servers.pop(key, None)
                server.kill()
                raise
        command = _module_command(request, "-")
        trace.exec(command)
        return connection.exec_command(command, request.payload, request.become)

    @staticmethod
    def _start_server(connection: ConnectionBase, request: ModuleRequest, trace: _Trace) -> ModuleServer | None:
        """A module server, or ``None`` when the connection cannot keep one or it
        cannot be started: then the module runs the plain way.  (A server that does
        not start — a missing interpreter, a refused become — is found by its first
        request, which then runs the plain way too, reporting the problem as the
        module's failure.)"""
        command = server_command(request.interpreter)
        try:
            process = connection.open_process(command, request.become)
        except NotImplementedError:
            return None
        trace.exec(command)
        try:
            return ModuleServer(process, precompiled_library(), library_prelude())
        except (ModuleServerGone, OSError):
            return None

    def _make_room_for_shared_server(self) -> None:
        """Close the least recently used shared servers until one more fits the bound."""
        if self._max_hosts is None:
            return
        shared = [key for key in self._servers if isinstance(key[0], tuple)]
        for key in shared[:max(0, len(shared) - self._max_hosts + 1)]:
            self._servers.pop(key).close()

    def _close(self, host: str) -> None:
        for key in [k for k in self._servers if k[0] == host]:
            self._servers.pop(key).close()
        self._without_server = {k for k in self._without_server if k[0] != host}
        self._ran_alone = {k for k in self._ran_alone if k[0] != host}
        entry = self._connections.pop(host, None)
        if entry is not None:
            try:
                entry[1].close()
            except Exception:  # noqa: BLE001 - closing a broken connection must not fail the run
                pass

    def abort(self, host: str) -> None:
        """Kill what ``host``'s connection is running now (its module servers and the
        modules and commands they started) and close the connection: the run was
        interrupted mid-request.  Shared servers (``local`` hosts) are killed too: the
        request may run on one of them, and a worker runs one request at a time.
        A later request opens a new connection."""
        for key in [k for k in self._servers if k[0] == host or isinstance(k[0], tuple)]:
            self._servers.pop(key).kill()
        self._close(host)

    def kill_servers(self) -> None:
        """Kill every module server's process, with the module it runs and what that
        started, leaving the cache's state alone.  The one method another thread may
        call while a request runs (an in-process executor interrupting it): that
        request then fails, and its own thread calls :meth:`abort`."""
        for server in list(self._servers.values()):
            server.kill()

    def close_all(self) -> None:
        """Close every module server and connection."""
        for host in list(self._connections):
            self._close(host)
        while self._servers:
            self._servers.popitem()[1].close()


class _Trace:
    """Collects the lines of a traced request (``lines`` is ``None``: not traced)."""

    def __init__(self, connection: ConnectionBase, lines: list[str] | None) -> None:
        self._connection = connection
        self._lines = lines

    def line(self, text: str) -> None:
        if self._lines is not None:
            self._lines.append(text)

    def exec(self, cmd: str) -> None:
        """``EXEC`` and the command line as the connection runs ``cmd``."""
        if self._lines is not None:
            self._lines.append(f"EXEC {self._connection.traced_command(cmd)}")


def _module_command(request: ModuleRequest, source: str) -> str:
    """``<environment> <interpreter> <source>``: the shell line that runs a module
    (the interpreter is one word, quoted when it needs to be, as in ansible-core)."""
    prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in request.environment)
    command = f"{shlex.quote(request.interpreter)} {source}"
    return f"{prefix} {command}" if prefix else command


def _temp_dir_name() -> str:
    """A new temporary directory's name, made as ansible-core makes it:
    ``ansible-tmp-<time>-<pid>-<random>``."""
    return f"ansible-tmp-{time.time()}-{os.getpid()}-{random.randint(0, 2 ** 48)}"


def _run_module_file(connection: ConnectionBase, request: ModuleRequest, trace: _Trace) -> tuple[int, bytes, bytes]:
    """Run a module on a connection that cannot pipeline, as Ansible does: the
    payload is copied with ``put_file`` into a private directory made under
    ``remote_tmp`` (``ansible-tmp-...``, the base expanded by the target's shell as
    in ansible-core: ``~`` and spaces work), run as ``<interpreter> <file>``, and the
    directory removed, also when the module or the copy fails.  A connection
    failure raised by any step propagates (the host is unreachable)."""
    base = request.remote_tmp or "~/.ansible/tmp"
    name = _temp_dir_name()
    mkdir = (f'( umask 77 && mkdir -p "` echo {base} `"&& mkdir "` echo {base}/{name} `" && '
             f'echo {name}="` echo {base}/{name} `" )')
    trace.exec(mkdir)
    rc, out, err = connection.exec_command(mkdir)
    made = [line.split("=", 1)[1] for line in out.decode(errors="replace").splitlines()
            if line.startswith(f"{name}=")]
    if rc != 0 or not made:
        reason = (err or out).decode(errors="replace").strip()
        return 1, b"", f"Failed to create a temporary directory on the target: {reason}\n".encode()
    remote_dir = made[-1]
    remote_file = f"{remote_dir}/corral_module.py"
    try:
        with tempfile.TemporaryDirectory(prefix="corral-module-") as local_dir:
            local_file = os.path.join(local_dir, "corral_module.py")
            with open(local_file, "wb") as handle:
                handle.write(request.payload)
            trace.line(f"PUT {local_file} TO {remote_file}")
            connection.put_file(local_file, remote_file)
        command = _module_command(request, shlex.quote(remote_file))
        trace.exec(command)
        return connection.exec_command(command, None, request.become)
    finally:
        remove = f"rm -f -r {shlex.quote(remote_dir + '/')} > /dev/null 2>&1"
        trace.exec(remove)
        try:
            connection.exec_command(remove)
        except Exception:  # noqa: BLE001 - the module's own result (or failure) is what the task reports
            pass
