"""Screen output for one run: ``Display``, and the color helpers ``stringc``/``colorize``.

A ``Display`` belongs to one run (one CLI invocation, one ``TaskQueueManager``):
nothing here is shared between runs through module-level state, so several runs in
one process write to their own streams with their own verbosity and color choice.
Writes are serialized by a lock, so worker threads may share one ``Display``.

Colors follow Ansible's rules: on only when the output stream is a terminal, unless
``CORRAL_FORCE_COLOR``/``ANSIBLE_FORCE_COLOR`` force them; ``CORRAL_NOCOLOR``,
``ANSIBLE_NOCOLOR`` or ``NO_COLOR`` turn them off.  The default palette is Ansible's
(ok green, changed yellow, skip cyan, error red, unreachable bright red, warn bright
purple, debug dark gray, verbose blue, highlight white); each may be changed with
``CORRAL_COLOR_<NAME>``/``ANSIBLE_COLOR_<NAME>``.
"""
from __future__ import annotations

import contextlib
import datetime
import getpass
import os
import re
import shutil
import sys
import threading
import unicodedata
from typing import IO, Any, Callable, Iterator, Mapping

__all__ = [
    "COLOR_CHANGED", "COLOR_CONSOLE_PROMPT", "COLOR_DEBUG", "COLOR_DEPRECATE", "COLOR_DIFF_ADD", "COLOR_DIFF_LINES",
    "COLOR_DIFF_REMOVE", "COLOR_ERROR", "COLOR_HIGHLIGHT", "COLOR_INCLUDED", "COLOR_OK", "COLOR_SKIP",
    "COLOR_UNREACHABLE", "COLOR_VERBOSE", "COLOR_WARN", "COLOR_CODES", "Display", "colorize", "colors", "env_flag", "env_value", "format_source_context",
    "hostcolor", "parsecolor", "stringc",
]

#: ANSI SGR parameters of the color names Ansible's configuration accepts
COLOR_CODES: dict[str, str] = {
    "black": "0;30", "bright gray": "0;37",
    "blue": "0;34", "white": "1;37",
    "green": "0;32", "bright blue": "1;34",
    "cyan": "0;36", "bright green": "1;32",
    "red": "0;31", "bright cyan": "1;36",
    "purple": "0;35", "bright red": "1;31",
    "yellow": "0;33", "bright purple": "1;35",
    "dark gray": "1;30", "bright yellow": "1;33",
    "magenta": "0;35", "bright magenta": "1;35",
    "normal": "0",
}

_DEFAULT_COLORS: dict[str, str] = {
    "changed": "yellow", "debug": "dark gray", "deprecate": "purple", "diff_add": "green",
    "diff_lines": "cyan", "diff_remove": "red", "error": "red", "highlight": "white",
    "included": "cyan", "ok": "green", "skip": "cyan", "unreachable": "bright red",
    "verbose": "blue", "warn": "bright purple", "console_prompt": "white",
}

# Ansible's ``constants.COLOR_*`` names, with the default palette (a ``Display`` applies
# ``CORRAL_COLOR_*``/``ANSIBLE_COLOR_*`` overrides through ``color_of``), for callbacks
# written as ``self._display.display(msg, color=C.COLOR_OK)``.
COLOR_CHANGED = _DEFAULT_COLORS["changed"]
COLOR_CONSOLE_PROMPT = _DEFAULT_COLORS["console_prompt"]
COLOR_DEBUG = _DEFAULT_COLORS["debug"]
COLOR_DEPRECATE = _DEFAULT_COLORS["deprecate"]
COLOR_DIFF_ADD = _DEFAULT_COLORS["diff_add"]
COLOR_DIFF_LINES = _DEFAULT_COLORS["diff_lines"]
COLOR_DIFF_REMOVE = _DEFAULT_COLORS["diff_remove"]
COLOR_ERROR = _DEFAULT_COLORS["error"]
COLOR_HIGHLIGHT = _DEFAULT_COLORS["highlight"]
COLOR_INCLUDED = _DEFAULT_COLORS["included"]
COLOR_OK = _DEFAULT_COLORS["ok"]
COLOR_SKIP = _DEFAULT_COLORS["skip"]
COLOR_UNREACHABLE = _DEFAULT_COLORS["unreachable"]
COLOR_VERBOSE = _DEFAULT_COLORS["verbose"]
COLOR_WARN = _DEFAULT_COLORS["warn"]

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", ""}

#: a lone surrogate: a byte that was not UTF-8, kept by ``surrogateescape``
_SURROGATE = re.compile("[\ud800-\udfff]")


def env_value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The value of setting ``name`` from ``CORRAL_<name>``, else ``ANSIBLE_<name>``."""
    env = os.environ if environ is None else environ
    for prefix in ("CORRAL_", "ANSIBLE_"):
        if prefix + name in env:
            return env[prefix + name]
    return None


def env_flag(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean setting read with :func:`env_value` (``1/yes/true/on`` are true)."""
    value = env_value(name, environ)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return default


def colors(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The palette by role (``ok``, ``changed``, ``error``...), with environment overrides."""
    palette = dict(_DEFAULT_COLORS)
    for role in palette:
        override = env_value(f"COLOR_{role.upper()}", environ)
        if override:
            palette[role] = override.strip()
    return palette


def _color_wanted(stream: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Ansible's rule: force wins, then nocolor/NO_COLOR, then "is it a terminal"."""
    env = os.environ if environ is None else environ
    if env_flag("FORCE_COLOR", environ=env):
        return True
    if env_flag("NOCOLOR", environ=env) or env.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def parsecolor(color: str) -> str:
    """The SGR parameter string for a color name, ``colorNNN``, ``rgbRGB`` or ``grayN``."""
    match = re.match(r"color(?P<color>[0-9]+)|(?P<rgb>rgb(?P<red>[0-5])(?P<green>[0-5])(?P<blue>[0-5]))"
                     r"|gray(?P<gray>[0-9]+)", color)
    if not match:
        try:
            return COLOR_CODES[color]
        except KeyError:
            raise ValueError(f"unknown color {color!r}; choose one of {', '.join(sorted(COLOR_CODES))}") \
                from None
    if match.group("color"):
        return f"38;5;{int(match.group('color'))}"
    if match.group("rgb"):
        red, green, blue = (int(match.group(part)) for part in ("red", "green", "blue"))
        return f"38;5;{16 + 36 * red + 6 * green + blue}"
    return f"38;5;{232 + int(match.group('gray'))}"


def stringc(text: str, color: str | None, wrap_nonvisible_chars: bool = False, *,
            enabled: bool | None = None) -> str:
    """``text`` in ``color`` (each line wrapped separately), or unchanged when colors are off.

    ``enabled`` says whether colors are on; ``None`` decides from the environment and
    whether ``sys.stdout`` is a terminal (what Ansible's module-level helper does).
    A ``Display`` passes its own choice.
    """
    if enabled is None:
        enabled = _color_wanted(sys.stdout)
    if not enabled or not color:
        return text
    code = parsecolor(color)
    fmt = "\001\033[%sm\002%s\001\033[0m\002" if wrap_nonvisible_chars else "\033[%sm%s\033[0m"
    return "\n".join(fmt % (code, line) for line in text.split("\n"))


def colorize(lead: str, num: int, color: str | None, *, enabled: bool | None = None) -> str:
    """``lead=num`` padded as in the PLAY RECAP, colored when ``num`` is not zero."""
    text = "%s=%-4s" % (lead, str(num))
    if num != 0 and color is not None:
        text = stringc(text, color, enabled=enabled)
    return text


def hostcolor(host: str, stats: Mapping[str, int], color: bool = True, *, enabled: bool | None = None,
              palette: Mapping[str, str] | None = None) -> str:
    """The host column of the PLAY RECAP: red if it failed, yellow if changed, else green."""
    if enabled is None:
        enabled = _color_wanted(sys.stdout)
    if enabled and color:
        palette = palette or colors()
        if stats["failures"] != 0 or stats["unreachable"] != 0:
            role = "error"
        elif stats["changed"] != 0:
            role = "changed"
        else:
            role = "ok"
        return "%-37s" % stringc(host, palette[role], enabled=True)
    return "%-26s" % host


def text_width(text: str) -> int:
    """Columns a string takes on a terminal (wide East Asian characters take two)."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def format_source_context(path: str, line: int, column: int | None = None) -> str:
    """``Origin: path:line:col`` and the two lines before it, numbered, with a column marker.

    The layout of Ansible 2.19+ error messages.  A file that cannot be read yields only
    the origin line and the reason.
    """
    origin = f"{path}:{line}" + (f":{column}" if column else "")
    parts = [f"Origin: {origin}"]
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().split("\n")
    except OSError as exc:
        return "\n".join(parts + ["", f"(source not shown: {type(exc).__name__})"])
    if line < 1 or line > len(lines):
        return "\n".join(parts + ["", "(source not shown: file truncated)"])
    start = max(0, line - 1 - 2)
    label_width = len(str(line))
    max_len = 120 - label_width - 1
    usable = max_len
    parts.append("")
    for number, text in enumerate(lines[start:line], start + 1):
        text = text.replace("\t", " ")
        if len(text) > max_len:
            text = text[:max_len - 3] + "..."
            usable = max_len - 3
        parts.append(f"{str(number).rjust(label_width)}{' ' if text else ''}{text}")
    if column and usable >= column >= 1:
        marker = f"column {column}"
        if column - 1 + 2 + len(marker) > max_len:
            marker = f"{' ' * (column - 1 - len(marker) - 1)}{marker} ^"
        else:
            marker = f"{' ' * (column - 1)}^ {marker}"
        parts.append(f"{' ' * label_width} {marker}")
    return "\n".join(parts)


def _join_sentences(first: str | None, second: str | None) -> str:
    """Two sentences joined by a space, each ending with punctuation."""
    parts = []
    for sentence in (first, second):
        sentence = (sentence or "").strip()
        if sentence and sentence[-1] not in "!?.":
            sentence += "."
        if sentence:
            parts.append(sentence)
    return " ".join(parts)


def _removal_sentence(version: str | None, removed: bool, date: str | None, collection: str | None) -> str:
    """Ansible's "This feature will be removed from ... version X." sentence."""
    words = ["This feature was removed" if removed else "This feature will be removed"]
    if collection:
        words += ["from", "ansible-core" if collection == "ansible.builtin" else f"collection {collection!r}"]
        if date:
            words.append(f"in a release after {date}")
        elif version:
            words.append(f"version {version}")
        elif not removed:
            words.append("in a future release")
    elif not removed:
        words.append("in the future")
    return " ".join(words) + "."


def deprecation_text(msg: str, version: str | None = None, removed: bool = False, date: str | None = None,
                     collection_name: str | None = None) -> str:
    """A deprecation's whole text: ``msg`` and Ansible's removal sentence ("This feature
    will be removed from collection 'x.y' version 2.0.")."""
    return _join_sentences(msg, _removal_sentence(version, removed, date, collection_name))


def _format_event(msg: str) -> str:
    """Ansible's message shape: stripped; multi-line messages end with a blank line."""
    msg = msg.strip()
    return msg + ("\n\n" if "\n" in msg else "\n")


class Display:
    """Writes a run's messages to its streams.

    ``stream`` receives normal output (default ``sys.stdout`` at the time of the
    call), ``error_stream`` warnings, errors and deprecations (default
    ``sys.stderr``).  ``verbosity`` is the number of ``-v``.  ``color`` forces colors
    on or off; ``None`` applies Ansible's rules to ``stream``.  ``log_path`` (or
    ``CORRAL_LOG_PATH``/``ANSIBLE_LOG_PATH``) also appends every message without
    colors to a log file, in Ansible's log line format.
    """

    def __init__(self, verbosity: int = 0, *, stream: IO[str] | None = None,
                 error_stream: IO[str] | None = None, color: bool | None = None,
                 columns: int | None = None, log_path: str | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.verbosity = verbosity
        self._stream = stream
        self._error_stream = error_stream
        self._environ = dict(os.environ if environ is None else environ)
        self.color = _color_wanted(self.stream, self._environ) if color is None else color
        self.palette = colors(self._environ)
        self.columns = columns if columns is not None else self._terminal_columns()
        self.log_path = log_path if log_path is not None else env_value("LOG_PATH", self._environ)
        self.deprecation_warnings = env_flag("DEPRECATION_WARNINGS", True, self._environ)
        self.verbose_to_stderr = env_flag("VERBOSE_TO_STDERR", False, self._environ)
        self._lock = threading.RLock()
        self._listeners: list[Callable[[str, bool, str], None]] = []
        self._as_written: list[Callable[[str, bool, str], None]] = []
        self._kind = threading.local()
        self._warns: set[str] = set()
        self._errors: set[str] = set()
        self._deprecations: set[str] = set()

    # -- streams -------------------------------------------------------------

    @property
    def stream(self) -> IO[str]:
        """Where normal output goes."""
        return self._stream if self._stream is not None else sys.stdout

    @property
    def error_stream(self) -> IO[str]:
        """Where warnings, errors and deprecations go."""
        return self._error_stream if self._error_stream is not None else sys.stderr

    def _terminal_columns(self) -> int:
        try:
            if self.stream.isatty():
                return max(79, shutil.get_terminal_size((80, 24)).columns - 1)
        except (AttributeError, ValueError, OSError):
            pass
        return 79

    def add_listener(self, listener: Callable[[str, bool, str], None], *, as_written: bool = False) -> None:
        """Also send every line written to the screen to ``listener(text, stderr, kind)``.

        ``text`` is what was written, without colors (with them, as written, given
        ``as_written``: ansible-runner's job events keep what Ansible wrote to its
        terminal); ``kind`` is ``display``, ``verbose``, ``warning``, ``deprecated``,
        ``error`` or ``debug``.  Used by :mod:`corral.events` to attach output to job events.
        """
        with self._lock:
            self._listeners.append(listener)
            if as_written:
                self._as_written.append(listener)

    def remove_listener(self, listener: Callable[[str, bool, str], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)
            if listener in self._as_written:
                self._as_written.remove(listener)

    @contextlib.contextmanager
    def _as(self, kind: str) -> Iterator[None]:
        previous = getattr(self._kind, "value", None)
        self._kind.value = kind
        try:
            yield
        finally:
            self._kind.value = previous

    def color_of(self, role: str) -> str | None:
        """The configured color name for ``role`` (``ok``, ``changed``, ``error``...)."""
        return self.palette.get(role)

    def stringc(self, text: str, color: str | None) -> str:
        """``text`` in ``color`` if this display uses colors."""
        return stringc(text, color, enabled=self.color)

    # -- output --------------------------------------------------------------

    def display(self, msg: str, color: str | None = None, stderr: bool = False,
                screen_only: bool = False, log_only: bool = False, newline: bool = True) -> None:
        """Write ``msg`` (a str) in ``color`` to the output (or error) stream, then a newline."""
        if not isinstance(msg, str):
            raise TypeError(f"Display message must be str, not: {type(msg).__name__}")
        msg = msg.replace("\r\n", "\n")
        if not msg.isascii() and _SURROGATE.search(msg):
            # bytes that were not UTF-8 (kept as surrogate escapes) are shown as "?", as in Ansible
            msg = _SURROGATE.sub("?", msg)
            self.warning('Non UTF-8 encoded data replaced with "?" while displaying text to stdout/stderr.')
        if not log_only:
            has_newline = msg.endswith("\n")
            text = msg[:-1] if has_newline else msg
            if color and self.color:
                text = stringc(text, color, enabled=True)
            if has_newline or newline:
                text += "\n"
            stream = self.error_stream if stderr else self.stream
            plain = msg if msg.endswith("\n") or not newline else msg + "\n"
            kind = getattr(self._kind, "value", None) or "display"
            with self._lock:
                stream.write(text)
                if stderr:
                    stream.flush()
                listeners = list(self._listeners)
            for listener in listeners:  # outside the lock: a listener may wait for another thread's output
                listener(text if listener in self._as_written else plain, stderr, kind)
        if self.log_path and not screen_only:
            self._log(msg)

    def _log(self, msg: str) -> None:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name is not worth failing a run
            user = "unknown"
        prefix = f"{stamp} p={os.getpid()} u={user} n=corral | "
        lines = "".join(prefix + line + "\n" for line in msg.rstrip("\n").split("\n"))
        with self._lock:
            try:
                with open(self.log_path, "a", encoding="utf-8") as handle:  # type: ignore[arg-type]
                    handle.write(lines)
            except OSError:
                path, self.log_path = self.log_path, None
                self.display(f"[WARNING]: log file at '{path}' is not writeable, logging stopped",
                             color=self.color_of("warn"), stderr=True)

    def banner(self, msg: str, color: str | None = None, cows: bool = True) -> None:
        """A header line: a blank line, then ``msg`` and stars to the terminal width."""
        msg = msg.strip()
        stars = max(3, self.columns - text_width(msg))
        self.display(f"\n{msg} {'*' * stars}", color=color)

    # -- verbosity -------------------------------------------------------------

    def verbose(self, msg: str, host: str | None = None, caplevel: int = 2) -> None:
        """Show ``msg`` when verbosity is above ``caplevel`` (``v`` is caplevel 0)."""
        if self.verbosity > caplevel:
            text = msg if host is None else f"<{host}> {msg}"
            with self._as("verbose"):
                self.display(text, color=self.color_of("verbose"), stderr=self.verbose_to_stderr)

    def v(self, msg: str, host: str | None = None) -> None:
        self.verbose(msg, host=host, caplevel=0)

    def vv(self, msg: str, host: str | None = None) -> None:
        self.verbose(msg, host=host, caplevel=1)

    def vvv(self, msg: str, host: str | None = None) -> None:
        self.verbose(msg, host=host, caplevel=2)

    def vvvv(self, msg: str, host: str | None = None) -> None:
        self.verbose(msg, host=host, caplevel=3)

    def vvvvv(self, msg: str, host: str | None = None) -> None:
        self.verbose(msg, host=host, caplevel=4)

    def vvvvvv(self, msg: str, host: str | None = None) -> None:
        self.verbose(msg, host=host, caplevel=5)

    def debug(self, msg: str, host: str | None = None) -> None:
        """Developer debugging output, shown only with ``CORRAL_DEBUG``/``ANSIBLE_DEBUG``."""
        if env_flag("DEBUG", environ=self._environ):
            prefix = f"{os.getpid():>6d} {datetime.datetime.now().timestamp():.5f}"
            if host is not None:
                prefix += f" <{host}>"
            with self._as("debug"):
                self.display(f"{prefix}: {msg}", color=self.color_of("debug"))

    # -- warnings, deprecations, errors -------------------------------------

    def _once(self, msg: str, seen: set[str]) -> bool:
        """Record ``msg``; True if it was shown before (Ansible shows each text once)."""
        with self._lock:
            if msg in seen:
                return True
            seen.add(msg)
            return False

    def warning(self, msg: str, formatted: bool = False, *, help_text: str | None = None,
                obj: Any = None) -> None:
        """``[WARNING]: msg`` on the error stream, each distinct text once."""
        if help_text:
            msg = f"{msg.strip()} {help_text}" if "\n" not in msg else f"{msg.strip()}\n\n{help_text}"
        text = "[WARNING]: " + _format_event(msg)
        if self._once(text, self._warns):
            return
        with self._as("warning"):
            self.display(text, color=self.color_of("warn"), stderr=True)

    warn = warning

    def deprecated(self, msg: str, version: str | None = None, removed: bool = False,
                   date: str | None = None, collection_name: str | None = None, *,
                   help_text: str | None = None, **_: Any) -> None:
        """``[DEPRECATION WARNING]: ...`` (or ``[DEPRECATED]`` when ``removed``) on the
        error stream, unless deprecation warnings are turned off; worded as Ansible's
        ("This feature will be removed from collection 'x.y' version 2.0.")."""
        if not self.deprecation_warnings and not removed:
            return
        text = deprecation_text(msg, version, removed, date, collection_name)
        if help_text:
            text = _join_sentences(text, help_text)
        if not removed:
            self.warning("Deprecation warnings can be disabled by setting `deprecation_warnings=False` "
                         "in ansible.cfg.")
        label = "[DEPRECATED]: " if removed else "[DEPRECATION WARNING]: "
        line = label + _format_event(text)
        if self._once(line, self._deprecations):
            return
        with self._as("deprecated"):
            self.display(line, color=self.color_of("deprecate"), stderr=True)

    def error(self, msg: str | BaseException, wrap_text: bool = True, stderr: bool = True) -> None:
        """``[ERROR]: msg`` (an exception shows its message), each distinct text once."""
        if isinstance(msg, BaseException):
            msg = str(msg) or type(msg).__name__
        text = "[ERROR]: " + _format_event(msg)
        if self._once(text, self._errors):
            return
        with self._as("error"):
            self.display(text, color=self.color_of("error"), stderr=stderr)

    def system_warning(self, msg: str) -> None:
        """A warning about the controller's environment, unless ``SYSTEM_WARNINGS`` is off."""
        if env_flag("SYSTEM_WARNINGS", True, self._environ):
            self.warning(msg)

    # -- prompts (vars_prompt) ------------------------------------------------

    @staticmethod
    def prompt(msg: str, private: bool = False) -> str:
        """Read a line from the terminal (without echo when ``private``)."""
        return getpass.getpass(msg) if private else input(msg)

    def do_var_prompt(self, varname: str, private: bool = True, prompt: str | None = None,
                      encrypt: str | None = None, confirm: bool = False, salt_size: int | None = None,
                      salt: str | None = None, default: str | None = None, unsafe: bool = False) -> str:
        """Ask for a ``vars_prompt`` variable, as Ansible does: ``prompt [default]: ``
        (the variable's name when there is no prompt), repeated with ``confirm``; an
        empty answer takes ``default``.  Without a terminal, warn and use ``default``,
        else ``"None"`` (Ansible's text of its missing answer).  ``encrypt`` (a crypt
        scheme) needs the caller to hash the answer."""
        result: str | None = None
        if sys.stdin is not None and sys.stdin.isatty():
            msg = f"{prompt or varname}{f' [{default}]' if default is not None else ''}: "
            while True:
                result = self.prompt(msg, private)
                if not confirm or result == self.prompt("confirm " + msg, private):
                    break
                self.display("***** VALUES ENTERED DO NOT MATCH ****")
        else:
            self.warning("Not prompting as we are not in interactive mode")
        if not result and default is not None:
            result = default
        return str(result)
