"""Exceptions raised by the kernel and by plugins.

Every error that a user can cause carries where it came from: a file and a line
(YAML, inventory, templates) or a host and a task.  ``str(error)`` is the message a
CLI prints after ``ERROR! ``.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "CorralError",
    "CorralParserError",
    "CorralTemplateError",
    "CorralUndefinedVariable",
    "CorralConnectionFailure",
    "CorralAuthenticationFailure",
    "CorralPluginError",
    "CorralWorkerError",
    "CorralInterrupted",
    "CorralOptionsError",
    "CorralFileNotFound",
    "CorralVaultError",
    "CorralActionFailed",
    "position_of",
]


def position_of(obj: Any) -> tuple[str, int, int] | None:
    """Return ``(file, line, column)`` for an object loaded from YAML, if known."""
    pos = getattr(obj, "ansible_pos", None)
    if pos and pos[0]:
        return pos
    return None


class CorralError(Exception):
    """Base class of corral's errors.

    ``obj`` is the loaded data the error is about; when it carries a position
    (see :func:`position_of`) the message names the file, line and column.
    """

    def __init__(self, message: str = "", obj: Any = None, orig_exc: BaseException | None = None,
                 *, position: tuple[str, int, int] | None = None, help_text: str | None = None) -> None:
        self.message = message
        self.obj = obj
        self.orig_exc = orig_exc
        self.position = position or position_of(obj)
        #: advice shown after the source lines, as ansible-core shows it (``Provide a list ...``)
        self.help_text = help_text
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.message
        if self.position:
            path, line, col = self.position
            text = f"{text}\nOrigin: {path}:{line}:{col}{_excerpt(path, line, col)}"
        if self.help_text:
            text = f"{text.rstrip(chr(10))}\n\n{self.help_text}"
        return text


def _excerpt(path: str, line: int, col: int) -> str:
    """The lines around ``line`` of ``path`` with a caret under ``col``, as Ansible shows them."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ""
    if not 0 < line <= len(lines):
        return "\n\n(source not shown: file truncated)"
    first = max(1, line - 2)
    width = len(str(line))
    shown = [f"{n:<{width}} {lines[n - 1]}" for n in range(first, line + 1)]
    shown.append(" " * (width + col) + "^ column " + str(col))
    return "\n\n" + "\n".join(shown) + "\n"


class CorralParserError(CorralError):
    """Malformed input: YAML syntax, unknown keywords, bad playbook structure."""


class CorralOptionsError(CorralError):
    """Bad command line options or configuration values."""


class CorralFileNotFound(CorralError):
    """A file that a playbook, role or option names does not exist."""


class CorralTemplateError(CorralError):
    """A Jinja2 template failed to render."""


class CorralUndefinedVariable(CorralTemplateError):
    """A template used a variable that is not defined."""


class CorralConnectionFailure(CorralError):
    """A host could not be reached; the task result is ``unreachable``."""


class CorralAuthenticationFailure(CorralConnectionFailure):
    """A host refused the credentials that were offered."""


class CorralWorkerError(CorralError):
    """The process running a task died; the task fails, the run goes on."""


class CorralInterrupted(CorralError):
    """The run was interrupted (SIGINT, SIGTERM or ``TaskQueueManager.cancel()``).

    Raised by executor calls made after the interrupt (a task's cleanup commands
    still run) and by the run's loop; it ends the run, it is not a task failure."""


class CorralPluginError(CorralError):
    """A plugin is missing, failed to load, or broke its contract."""


class CorralVaultError(CorralError):
    """A vault could not be decrypted or encrypted."""


class CorralActionFailed(CorralError):
    """An action ends its task failed: the result is ``result``'s fields with
    ``failed: True`` and ``msg``, the message as it is (Ansible's ``AnsibleActionFail``;
    other errors an action raises read ``Task failed: ...``)."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = dict(result or {})
