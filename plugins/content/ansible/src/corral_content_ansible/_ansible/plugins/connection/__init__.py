"""``ansible.plugins.connection``: ``ConnectionBase`` for connection plugins
written for Ansible (run by corral through
:class:`corral_content_ansible.remote_adapters.AnsibleConnection`)."""
from __future__ import annotations

import functools
import shlex
from typing import Any, Callable

from ansible.plugins import AnsiblePlugin
from ansible.utils.display import Display

__all__ = ["ConnectionBase", "NetworkConnectionBase", "ensure_connect", "BUFSIZE", "ShellModule"]

BUFSIZE = 65536
display = Display()


def ensure_connect(func: Callable[..., Any]) -> Callable[..., Any]:
    """Open the connection (``_connect``) before the decorated method runs."""
    @functools.wraps(func)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._connected:
            self._connect()
        return func(self, *args, **kwargs)
    return wrapped


class ShellModule:
    """The POSIX shell helpers connection plugins use (``self._shell``);
    ``SHELL_FAMILY`` names the target's shell type."""

    SHELL_FAMILY = "sh"

    @classmethod
    def of_type(cls, shell_type: str) -> "ShellModule":
        """The helpers for the shell type ``shell_type`` (``sh``, ``powershell``...)."""
        shell = cls()
        shell.SHELL_FAMILY = shell_type
        return shell
    executable = "/bin/sh"
    COMPATIBLE_SHELLS = frozenset(("sh", "bash", "dash", "ksh", "zsh"))

    @staticmethod
    def quote(text: str) -> str:
        return shlex.quote(text)

    @staticmethod
    def join_path(*args: str) -> str:
        import posixpath
        return posixpath.join(*args)

    def append_command(self, cmd: str, cmd_to_append: str) -> str:
        return f"{cmd} && {cmd_to_append}"

    def env_prefix(self, **kwargs: Any) -> str:
        return " ".join(f"{key}={shlex.quote(str(value))}" for key, value in kwargs.items())


class ConnectionBase(AnsiblePlugin):
    """Ansible's connection base: ``_connect``, ``exec_command``, ``put_file``,
    ``fetch_file``, ``close`` (and ``reset``)."""

    has_pipelining = False
    has_native_async = False
    always_pipeline_modules = False
    has_tty = True
    module_implementation_preferences = ("",)
    allow_executable = True
    supports_persistence = False
    force_persistence = False
    default_user: str | None = None
    transport = ""

    def __init__(self, play_context: Any = None, new_stdin: Any = None, shell: Any = None, *args: Any,
                 **kwargs: Any) -> None:
        super().__init__()
        self._play_context = play_context
        self._new_stdin = new_stdin
        # a plugin may choose its shell type (``_shell_type``) before this runs
        self._shell = shell if shell is not None else ShellModule.of_type(getattr(self, "_shell_type", None) or "sh")
        self._connected = False
        self._socket_path: str | None = None
        self._display = display
        self.become: Any = None

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def socket_path(self) -> str | None:
        return self._socket_path

    def set_become_plugin(self, plugin: Any) -> None:
        self.become = plugin

    def _connect(self) -> "ConnectionBase":
        raise NotImplementedError

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        raise NotImplementedError

    def put_file(self, in_path: str, out_path: str) -> None:
        raise NotImplementedError

    def fetch_file(self, in_path: str, out_path: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Drop the session (the next command opens a new one)."""
        self.close()

    def connection_lock(self) -> None:
        """Ansible serializes some connections' setup across forks; corral's workers do not share them."""

    def connection_unlock(self) -> None:
        """See :meth:`connection_lock`."""

    def update_vars(self, variables: dict[str, Any]) -> None:
        """Ansible copies resolved options back into variables; corral keeps them in the options."""


NetworkConnectionBase = ConnectionBase
