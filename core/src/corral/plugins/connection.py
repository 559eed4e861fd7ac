"""The connection contract: how a task reaches a host.

A connection plugin provides a subclass of :class:`ConnectionBase` through the
``corral_connection(name)`` hook.  An executor creates one instance per host and keeps
it open while the host is among the most recently used ones (at most
``ExecutorSettings.max_connections`` hosts at once); every task of that host reuses
it, and a closed one is replaced by a new instance on the host's next task.
Instances are used from one thread at a time.
"""
from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Hashable

__all__ = ["Become", "ConnectionOptions", "ConnectionBase"]


@dataclasses.dataclass(frozen=True)
class Become:
    """Privilege escalation for one command (``become*`` keywords and variables).

    Built on the controller from the become plugin's resolved options.  ``method``
    names the become plugin; ``plugin`` is the importable reference
    (``module:Class``) of its class, so that a worker process, which has no plugin
    manager of its own, builds the command with the same class; ``None`` means
    "look ``method`` up among the installed become plugins".  ``extra`` holds the
    plugin's other options (name, value) with lists as tuples: the object is
    hashable, because the executor keeps one module server per (host, interpreter,
    become).
    """

    method: str = "sudo"
    user: str = "root"
    password: str | None = dataclasses.field(default=None, repr=False)
    flags: str | None = None
    exe: str | None = None
    plugin: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        """The plugin option ``name`` from ``extra`` (``prompt_l10n`` for ``su``...)."""
        return dict(self.extra).get(name, default)


@dataclasses.dataclass(frozen=True)
class ConnectionOptions:
    """Everything a connection needs to open a session to one host.

    Built by the kernel from the host's variables (``ansible_host``,
    ``ansible_port``, ``ansible_user``, ...) and the command line.  Two tasks whose
    options are equal share one open connection.  ``extra`` holds the host's other
    ``ansible_*`` connection variables for plugin-specific settings.
    """

    connection: str
    inventory_hostname: str
    host: str
    port: int | None = None
    user: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    private_key_file: str | None = None
    timeout: int = 10
    host_key_checking: bool = True
    ssh_common_args: str | None = None
    ssh_extra_args: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        """Return the extra connection variable ``name`` (e.g. ``ansible_ssh_retries``)."""
        return dict(self.extra).get(name, default)


class ConnectionBase:
    """Base class of connection plugins.

    Contract:

    - ``__init__(options)`` stores the options; it opens nothing.
    - ``connect()`` opens the session; calling it again is a no-op.  It raises
      :class:`corral.errors.CorralConnectionFailure` (or
      ``CorralAuthenticationFailure``) with the reason when the host cannot be
      reached; the kernel then reports the host UNREACHABLE.
    - ``exec_command(cmd, in_data, become)`` runs the shell command line ``cmd``,
      writes ``in_data`` to its standard input and closes it, and returns
      ``(rc, stdout, stderr)``.  With ``become`` it runs the command as
      ``become.user`` through ``become.method``, answering any password prompt;
      a wrong password is a failure result (rc != 0), never a hang.
    - ``put_file(local, remote)`` / ``fetch_file(remote, local)`` copy files,
      streaming, keeping the mode of the source.
    - ``open_process(cmd, become)`` (optional) starts ``cmd`` like ``exec_command``
      but keeps it running and returns an object with ``write(data)``, ``read(n)``
      (returns fewer bytes, or ``b""``, only at the end of the stream) and
      ``close()``.  The executor keeps one such process per host as a module server
      (:mod:`corral.executor.module_server`), so the target's interpreter starts once
      per run, not once per task.  A connection without it raises
      ``NotImplementedError`` and modules run with ``exec_command``.  The object
      may also have ``kill()``: end the process now, with what it started (used
      when the run is interrupted; ``close()`` otherwise).  Closing its stdin
      must end it: a module server then kills its children's process groups.
    - ``exec_command`` interrupted by an exception (the run was interrupted)
      must not leave the command running: kill it before re-raising.
    - ``reset()`` drops the session so the next command opens a new one.
    - ``close()`` releases everything; the instance is not used afterwards.

    Bounds: the executor closes the connection of its least recently used host
    before it opens one more than it may keep, so ``close()`` must free everything
    the instance holds (sockets, threads, pipes, processes), and the module server
    started by ``open_process`` lives only as long as its host's connection.
    ``shared_process_key()`` (optional) says where ``open_process`` runs when that
    does not depend on the host: connections returning equal keys may share one
    module server (for ``local``, every host runs on the controller).  ``None``
    (the default): this host's processes are its own.
    """

    transport: ClassVar[str] = ""
    #: whether module payloads may be fed on stdin (no temp files on the target)
    has_pipelining: ClassVar[bool] = True

    def __init__(self, options: ConnectionOptions) -> None:
        self.options = options

    def connect(self) -> None:
        raise NotImplementedError

    def exec_command(self, cmd: str, in_data: bytes | None = None,
                     become: Become | None = None) -> tuple[int, bytes, bytes]:
        raise NotImplementedError

    def open_process(self, cmd: str, become: Become | None = None) -> Any:
        raise NotImplementedError

    def shared_process_key(self) -> Hashable | None:
        """Where ``open_process`` runs, when that does not depend on the host."""
        return None

    def put_file(self, in_path: str, out_path: str) -> None:
        raise NotImplementedError

    def fetch_file(self, in_path: str, out_path: str) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError
