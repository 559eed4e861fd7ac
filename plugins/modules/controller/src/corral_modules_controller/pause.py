"""``pause``: wait a time, wait for the operator, or both, on the controller's terminal.

What the operator sees and types follows ansible-core 2.21:

- a timed pause announces ``Pausing for N seconds`` (at least 1; `` (output is hidden)``
  added with ``echo: false``) and, on a terminal or
  with a prompt, ``(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)``;
- on a terminal, a prompt (the given one, else ``Press enter to continue, Ctrl+C to
  interrupt`` when no time is set) is shown under ``[task name]``; without a time the
  answer ends with Enter, the terminal's erase key erases, ``echo: false`` hides it (`` (output
  is hidden)``); a timed pause reads no answer (what is typed is not shown, only
  Ctrl-C counts);
- Ctrl-C, read as a key, asks ``Press 'C' to continue the play or 'A' to abort``:
  ``C`` ends the pause (with what was typed after Ctrl-C), ``A`` fails the task with
  ``user requested abort!``;
- without a terminal a prompt is not waited for (a warning says so) and a time is
  simply waited.

The result carries ``user_input``, ``start``, ``stop``, ``delta`` (whole seconds),
``echo`` and ``stdout`` (``Paused for X minutes`` or, with ``seconds``, ``Paused for X
seconds``, X the time waited rounded to hundredths).
"""
from __future__ import annotations

import datetime
import functools
import os
import select
import sys
import termios
import time
from typing import Any

from corral.display import Display
from corral.errors import CorralError, CorralInterrupted
from corral.module_utils.arg_spec import boolean
from corral.plugins.action import ActionBase

__all__ = ["PauseAction"]

_CTRL_C_HINT = "(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\r"
_INTERRUPTED = "Press 'C' to continue the play or 'A' to abort \r"
_DEFAULT_PROMPT = "Press enter to continue, Ctrl+C to interrupt"
_NOT_INTERACTIVE = "Not waiting for response to prompt as stdin is not interactive"
_POLL = 0.1     # seconds between looks at the run's cancellation while waiting for a key


@functools.lru_cache(maxsize=8)
def _line_codes(term: str | None, fd: int) -> tuple[bytes, bytes]:
    """The terminal's carriage-return and clear-to-end-of-line codes (terminfo ``cr``
    and ``el``, as written there), else ANSI's."""
    cr = el = None
    try:
        import curses
        curses.setupterm(term, fd)
        cr, el = curses.tigetstr("cr"), curses.tigetstr("el")
    except Exception:  # noqa: BLE001 - no terminfo entry: ANSI's codes
        pass
    return cr or b"\r", el or b"\x1b[K"


class _BadArgument(Exception):
    """An argument of the task that cannot be used (the message is ansible-core's)."""


def _type_name(value: Any) -> str:
    """The name of ``value``'s type as a module's argument checks say it."""
    for plain in (str, bool, int, float, list, dict):
        if isinstance(value, plain):
            return plain.__name__
    return type(value).__name__


def _as_int(name: str, value: Any) -> int | None:
    """``value`` as an int (a float is truncated), or :class:`_BadArgument`."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    try:
        return int(str(value))
    except ValueError as exc:
        raise _BadArgument(f"argument '{name}' is of type {_type_name(value)} and we were unable "
                           f"to convert to int: {exc}") from exc


class _Keys:
    """stdin's terminal while a pause reads it: one key at a time, Ctrl-C as a key
    (no signal), Enter as ``\\r``, typed keys echoed only when ``echo``."""

    def __init__(self, fd: int, echo: bool) -> None:
        self._fd = fd
        self._echo = echo
        self._saved: list[Any] = []
        #: the terminal's erase key (Backspace: DEL on most terminals, ^H on some)
        self.erase = "\x7f"

    def __enter__(self) -> _Keys:
        self._saved = termios.tcgetattr(self._fd)
        erase = self._saved[6][termios.VERASE]
        self.erase = erase.decode("latin-1") if isinstance(erase, bytes) else chr(erase)
        mode = termios.tcgetattr(self._fd)
        mode[0] &= ~termios.ICRNL
        mode[3] &= ~(termios.ICANON | termios.ISIG | termios.ECHO)
        if self._echo:
            mode[3] |= termios.ECHO
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        termios.tcsetattr(self._fd, termios.TCSANOW, mode)
        return self

    def __exit__(self, *exc: object) -> None:
        termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def read(self, timeout: float) -> str:
        """The keys typed within ``timeout`` seconds (``""`` if none)."""
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        return os.read(self._fd, 64).decode("utf-8", "replace") if ready else ""


class PauseAction(ActionBase):
    """Pause the play (see the module docstring); runs once for the batch of hosts."""

    _VALID_ARGS = frozenset({"seconds", "minutes", "prompt", "echo"})
    NEEDS_CONNECTION = False
    BYPASS_HOST_LOOP = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        args = self._task.args
        try:
            seconds, minutes, echo = self._checked(args)
        except _BadArgument as exc:
            return {"failed": True, "changed": False, "msg": str(exc)}
        super().run(tmp, task_vars)
        prompt = args.get("prompt")
        wait: int | None = None
        if seconds is not None or minutes is not None:
            wait = max(1, seconds if seconds is not None else int((minutes or 0) * 60))
        display = self._display()
        start = datetime.datetime.now()
        started = time.monotonic()
        user_input = ""
        stdin_fd = _terminal_fd()
        hidden = "" if echo else " (output is hidden)"
        if stdin_fd is None:
            if wait is not None:
                display.display(f"Pausing for {wait} seconds{hidden}")
                if prompt is not None:
                    display.display(_CTRL_C_HINT)
                self._wait(wait)
            else:
                self._warnings.append(_NOT_INTERACTIVE)
        else:
            reads_input = wait is None      # a timed pause shows its prompt but reads no answer
            # the terminal is set before anything is shown: keys typed as soon as the
            # prompt appears are read in the pause's mode
            with _Keys(stdin_fd, echo and reads_input) as keys:
                if wait is not None:
                    display.display(f"Pausing for {wait} seconds{hidden}")
                    display.display(_CTRL_C_HINT)
                if prompt is not None or reads_input:
                    display.display(f"[{self._task.get_name().strip()}]\n{prompt or _DEFAULT_PROMPT}{hidden}:")
                user_input = self._converse(display, keys, wait, echo=echo, reads_input=reads_input)
        stop = datetime.datetime.now()
        elapsed = time.monotonic() - started
        stdout = (f"Paused for {round(elapsed, 2)} seconds" if seconds is not None
                  else f"Paused for {round(elapsed / 60, 2)} minutes")
        return self._with_warnings({"changed": False, "rc": 0, "stderr": "", "stderr_lines": [], "stdout": stdout,
                                    "stdout_lines": [stdout],
                                    "start": str(start), "stop": str(stop), "delta": int(elapsed),
                                    "user_input": user_input, "echo": echo})

    @staticmethod
    def _checked(args: dict[str, Any]) -> tuple[int | None, int | None, bool]:
        """``seconds``, ``minutes`` and ``echo`` converted, or :class:`_BadArgument`."""
        unknown = sorted(set(args) - PauseAction._VALID_ARGS)
        if unknown:
            raise _BadArgument(f"Unsupported parameters for (pause) module: {', '.join(unknown)}. "
                               f"Supported parameters include: {', '.join(sorted(PauseAction._VALID_ARGS))}.")
        if args.get("seconds") not in (None, "") and args.get("minutes") not in (None, ""):
            raise _BadArgument("parameters are mutually exclusive: minutes|seconds")
        seconds = _as_int("seconds", args.get("seconds"))
        minutes = _as_int("minutes", args.get("minutes"))
        echo_arg = args.get("echo", True)
        try:
            echo = boolean(echo_arg)
        except TypeError as exc:
            raise _BadArgument(f"argument 'echo' is of type {_type_name(echo_arg)} and we were unable to "
                               f"convert to bool: {exc}") from exc
        return seconds, minutes, echo

    def _display(self) -> Display:
        """The run's display (where the stdout callback writes), else a new one."""
        content = getattr(self._shared_loader_obj, "content", None)
        display = getattr(content, "display", None)
        return display if isinstance(display, Display) else Display()

    def _converse(self, display: Display, keys: _Keys, wait: int | None, *, echo: bool, reads_input: bool) -> str:
        """Read keys until Enter (when ``reads_input``), the time runs out, or Ctrl-C
        then C; Ctrl-C then A raises.  Returns what was typed."""
        cr, el = _line_codes(os.environ.get("TERM"), display.stream.fileno() if _has_fileno(display.stream) else 1)
        clear = (b"\x1b[" + cr + b"\x1b[" + el).decode("latin-1")

        def write(text: str) -> None:
            display.stream.write(text)
            display.stream.flush()

        deadline = None if wait is None else time.monotonic() + wait
        typed = ""
        interrupted = False
        cancelled = self._play_context.cancelled
        while True:
            if cancelled is not None and cancelled.is_set():
                raise CorralInterrupted("The run was interrupted.")
            left = _POLL if deadline is None else min(_POLL, deadline - time.monotonic())
            if deadline is not None and left <= 0:
                return typed
            for key in keys.read(left):
                if interrupted and key in "cC":
                    write(clear)
                    return typed
                if interrupted and key in "aA":
                    write(clear)
                    raise CorralError("user requested abort!")
                if key == "\x03":
                    interrupted, deadline, typed = True, None, ""
                    write(clear)
                    display.display(_INTERRUPTED)
                elif not reads_input:
                    continue
                elif key in "\r\n":
                    if not interrupted:
                        write(clear)
                        return typed
                elif key == keys.erase:
                    typed = typed[:-1]
                    write(clear + (typed if echo else ""))
                else:
                    typed += key


def _has_fileno(stream: Any) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _terminal_fd() -> int | None:
    """stdin's file descriptor when it is a terminal the operator can answer on: not
    when this process runs in the background (changing the terminal would stop it)."""
    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
            return None
    except (AttributeError, OSError, ValueError):
        return None
    return fd
