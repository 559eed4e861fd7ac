"""Privilege escalation (``become``): the become plugin contract, and the handshake
every connection plugin shares.

A become plugin (entry point group ``corral.become``, hook ``corral_become(name)``)
provides a subclass of :class:`BecomeBase` for one method (``sudo``, ``su``,
``runuser``...): it declares its options, wraps a command line for its tool, and
says what the tool's password prompt and refusals look like.  The kernel resolves
the plugin's options on the controller into a :class:`corral.plugins.connection.Become`,
which travels with each request to the process that runs it.

What connections use (the same for every method):

- :func:`build_become_command` wraps a shell command line so that it runs as
  ``become.user`` through the become plugin named by ``become.method``.  The
  wrapped command first prints a random *success marker* line on stdout, so the
  caller knows when escalation is over and the real command's output starts.
  When a password is given, the tool asks for it on stderr (a literal prompt the
  plugin chose, or its own prompt, matched by a pattern) and reads the answer from
  stdin: no terminal is needed.
- :class:`BecomeHandshake` is the sans-IO protocol: feed it what the process
  writes on stdout/stderr; it tells you when to write the password, when
  escalation succeeded, and when it failed (a wrong or missing password).  It
  never answers a prompt twice, so a wrong password ends in a failure, never in
  a hang.  :func:`run_become_handshake` drives it over file descriptors with a
  deadline, for connections built on pipes.

Protocol for a connection:

1. ``bc = build_become_command(cmd, become)``; run ``bc.cmd`` with a shell.
2. Do not write the command's stdin yet.  Feed every stdout/stderr chunk to
   ``hs = BecomeHandshake(bc)`` with ``hs.feed(out, err)``; when it returns bytes,
   write them to stdin (that is the password line).  Stop at ``hs.done``.
3. If ``hs.failed`` is set, kill the process and report ``hs.failed`` as the
   task's failure (rc != 0).  Otherwise write the payload to stdin and read the
   rest; ``hs.stdout`` / ``hs.stderr`` hold output that came after the marker.
4. The password appears only on the command's stdin: it is never part of
   ``bc.cmd``, of a repr, or of the output (:func:`scrub` masks it in case a
   remote program echoes it).
"""
from __future__ import annotations

import dataclasses
import os
import re
import time
from typing import Any, ClassVar

from corral.errors import CorralError, CorralOptionsError
from corral.plugins.connection import Become
from corral.plugins.options import Option, declared_options
from corral.plugins.portable import resolve

__all__ = [
    "BecomeBase",
    "BecomeCommand",
    "BecomeHandshake",
    "become_options",
    "become_plugin_class",
    "build_become_command",
    "plugin_reference",
    "run_become_handshake",
    "scrub",
    "failure_reason",
]


def become_options(method: str, *, exe: str | None = None, flags: str = "",
                   user: str = "root") -> dict[str, Option]:
    """The options every become method has, declared with Ansible's sources.

    For ``method`` ``m``: ``become_user`` (default ``user``), ``become_exe``
    (default ``exe`` or ``m``), ``become_flags`` (default ``flags``) and the secret
    ``become_pass``, each read from the variables ``ansible_become_<x>`` then
    ``ansible_<m>_<x>`` (the later one wins, as in Ansible), the environment
    ``ANSIBLE_BECOME_<X>`` then ``ANSIBLE_<M>_<X>`` (``CORRAL_`` forms too),
    ``[privilege_escalation] become_<x>`` then ``[<m>_become_plugin] <key>`` in
    the configuration, the ``become_user``/``become_exe``/``become_flags`` play and
    task keywords, and the command line (``--become-user``, ``-K``).  A plugin
    adds its own options to the returned mapping.
    """
    upper = method.upper()

    def option(name: str, key: str, default: Any, description: str, *, keyword: bool = True,
               cli: tuple[str, ...] = ()) -> Option:
        short = name.removeprefix("become_")
        return Option(
            name, default, "str",
            env=(f"ANSIBLE_BECOME_{short.upper()}", f"ANSIBLE_{upper}_{short.upper()}"),
            ini=((("privilege_escalation", name),) if name != "become_pass" else ())
            + ((f"{method}_become_plugin", key),),
            vars=((f"ansible_become_{short}", f"ansible_{method}_{short}") if name != "become_pass" else
                  ("ansible_become_password", "ansible_become_pass", f"ansible_{method}_pass")),
            description=description, cli=cli, keywords=(name,) if keyword else (),
            secret=name == "become_pass")

    return {
        "become_user": option("become_user", "user", user, "The user to become.", cli=("become_user",)),
        "become_exe": option("become_exe", "executable", exe or method, f"The {method} executable."),
        "become_flags": option("become_flags", "flags", flags, f"Options passed to {method}."),
        "become_pass": option("become_pass", "password", None, f"The password to give {method}.",
                              keyword=False, cli=("become_pass",)),
    }


class BecomeBase:
    """Base class of become plugins: one escalation method.

    Contract:

    - ``name`` is the method's name (``become_method``); ``OPTIONS`` (or a
      ``DOCUMENTATION`` string, see :mod:`corral.plugins.options`) declares the
      options, usually :func:`become_options` plus the method's own.  The kernel
      resolves them on the controller for each task and builds the
      :class:`~corral.plugins.connection.Become` the plugin is then created with:
      ``become_user``, ``become_pass``, ``become_flags`` and ``become_exe`` become
      its ``user``, ``password``, ``flags`` and ``exe``, the other options its
      ``extra`` (read them with ``become.get(name)``).
    - ``wrap(inner, key)`` returns ``(command line, prompt)``: the command line
      that runs ``inner`` (itself a complete, quoted shell command line) as the
      become user, for ``/bin/sh -c``; ``prompt`` is the literal password prompt the
      tool was told to print (``sudo -p``), or ``None`` when the tool prints its
      own, which ``prompt_pattern`` then matches.  ``key`` is a random token of
      this command, for a prompt nobody can predict.  The password is never part
      of the command line: the tool must read it from stdin.
    - ``fail`` are patterns of what the tool prints when it refuses (a wrong
      password, a user who may not escalate, an unknown user): the first matching
      line becomes the task's failure message.  ``missing`` are patterns of what it
      prints when it needs a password it was not given ("Missing <name>
      password").
    - The class must be importable by its module and name
      (:func:`plugin_reference`): a worker process resolves it from there.
    """

    name: ClassVar[str] = ""
    OPTIONS: ClassVar[dict[str, Option]] = {}
    fail: ClassVar[tuple[re.Pattern[bytes], ...]] = ()
    missing: ClassVar[tuple[re.Pattern[bytes], ...]] = ()
    prompt_pattern: ClassVar[re.Pattern[bytes] | None] = None

    def __init__(self, become: Become) -> None:
        self.become = become

    def _default(self, option: str) -> Any:
        spec = declared_options(type(self)).get(option)
        return spec.default if spec is not None else None

    @property
    def exe(self) -> str:
        """The tool to run: ``become_exe``, else the declared default, else ``name``."""
        return self.become.exe or self._default("become_exe") or self.name

    @property
    def flags(self) -> str:
        """The tool's flags: ``become_flags`` (even empty), else the declared default."""
        if self.become.flags is not None:
            return self.become.flags
        return self._default("become_flags") or ""

    def prompt_patterns(self) -> tuple[re.Pattern[bytes], ...]:
        """Patterns matching the tool's own password prompt (``prompt_pattern`` by
        default; ``su`` adds the configured localizations)."""
        return (self.prompt_pattern,) if self.prompt_pattern is not None else ()

    def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
        raise NotImplementedError


def plugin_reference(cls: type) -> str:
    """The importable reference (``module:Qualified.Name``) of a become class."""
    return f"{cls.__module__}:{cls.__qualname__}"


def become_plugin_class(become: Become) -> type[BecomeBase]:
    """The become plugin class for ``become``: imported from ``become.plugin`` when
    set, else the installed become plugin named ``become.method`` (looked up through
    the entry points).  Raises :class:`CorralOptionsError` when there is none."""
    if become.plugin:
        try:
            return resolve(become.plugin)  # type: ignore[return-value]
        except CorralError as exc:
            raise CorralOptionsError(f"become method {become.method!r}: {exc.message}") from None
    from corral.plugins.manager import PluginManager
    try:
        return PluginManager().become_class(become.method)  # type: ignore[no-any-return]
    except CorralError as exc:
        raise CorralOptionsError(f"unsupported become method {become.method!r}: {exc.message}") from None


@dataclasses.dataclass(frozen=True)
class BecomeCommand:
    """A command line wrapped for privilege escalation.

    ``cmd`` is the full command line to hand to a shell.  ``prompt`` is the
    literal prompt the tool prints (``None`` when it prints its own, matched by
    ``prompt_patterns``).  ``success`` is the marker line printed once escalation
    succeeded.  ``fail``/``missing`` are the plugin's refusal patterns.
    ``password`` is what to answer; it is kept out of ``repr``.
    """

    cmd: str
    method: str
    user: str
    success: str
    prompt: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    prompt_patterns: tuple[re.Pattern[bytes], ...] = ()
    fail: tuple[re.Pattern[bytes], ...] = ()
    missing: tuple[re.Pattern[bytes], ...] = ()

    @property
    def expects_password(self) -> bool:
        """Whether the escalation tool may ask for a password."""
        return self.password is not None


def build_become_command(cmd: str, become: Become, shell: str = "/bin/sh") -> BecomeCommand:
    """Wrap the shell command line ``cmd`` to run as ``become.user`` via the become
    plugin of ``become`` (see :func:`become_plugin_class`).

    ``shell`` is the shell the escalated side runs ``cmd`` with.  Raises
    :class:`corral.errors.CorralOptionsError` when no plugin provides the method.
    """
    import secrets      # here, not at import: a run that never becomes needs neither
    import shlex
    plugin = become_plugin_class(become)(become)
    key = secrets.token_hex(16)
    success = f"BECOME-SUCCESS-{key}"
    inner = f"{shlex.quote(shell)} -c {shlex.quote(f'echo {success}; {cmd}')}"
    line, prompt = plugin.wrap(inner, key)
    return BecomeCommand(line, become.method, become.user or "root", success, prompt, become.password,
                         plugin.prompt_patterns(), plugin.fail, plugin.missing)


class BecomeHandshake:
    """Sans-IO state machine for one escalation: prompt, password, marker.

    Call :meth:`feed` with each chunk of stdout/stderr.  It returns the bytes to
    write on the command's stdin (the password line, at most once) or ``b""``.
    When :attr:`done` is true, either :attr:`failed` holds the reason escalation
    failed, or the command is running escalated and :attr:`stdout` /
    :attr:`stderr` hold the output that followed the marker (prompts removed).
    Call :meth:`eof` when both streams ended before ``done``.
    """

    def __init__(self, bc: BecomeCommand) -> None:
        self.bc = bc
        self.done = False
        self.failed: str | None = None
        self.stdout = b""
        self.stderr = b""
        self._out = b""
        self._err = b""
        self._answered = False
        self._answered_at = 0
        self._marker = bc.success.encode()

    def feed(self, out: bytes = b"", err: bytes = b"") -> bytes:
        """Consume output; return what to write on stdin (possibly ``b""``)."""
        if self.done:
            self.stdout += out
            self.stderr += err
            return b""
        self._out += out
        self._err += err
        idx = self._out.find(self._marker + b"\n")
        if idx >= 0:
            self.done = True
            self.stdout = self._out[idx + len(self._marker) + 1:]
            self.stderr = self._after_prompt(self._err)
            return b""
        if self._answered:
            # the tool asks again, or says why it refused: the password was wrong
            tail = self._after_prompt(self._err)
            if self._is_prompt(tail) or self._refusal(tail):
                self._fail(f"Incorrect {self.bc.method} password")
            return b""
        if self._is_prompt(self._err) or self._is_prompt(self._out):
            if self.bc.password is None:
                self._fail(f"Missing {self.bc.method} password")
                return b""
            self._answered = True
            self._answered_at = len(self._err)
            return self.bc.password.encode() + b"\n"
        reason = self._refusal(self._err)
        if reason:
            self._fail(reason)
        return b""

    def eof(self) -> None:
        """Both streams ended before the marker: escalation failed."""
        if self.done:
            return
        if self._answered:
            self._fail(f"Incorrect {self.bc.method} password")
        else:
            text = self._refusal(self._err) or self._err.decode("utf-8", "replace").strip()
            self._fail(text or f"{self.bc.method} to {self.bc.user} failed without a message")

    def fail(self, reason: str) -> None:
        """End the handshake as failed with ``reason`` (a driver's timeout)."""
        self._fail(reason)

    @property
    def failure_stderr(self) -> bytes:
        """What the escalation tool said (prompts removed, password masked)."""
        text = self._err
        if self.bc.prompt:
            text = text.replace(self.bc.prompt.encode(), b"")
        return scrub(text, self.bc.password)

    # -- helpers ----------------------------------------------------------
    def _fail(self, reason: str) -> None:
        self.done = True
        self.failed = scrub(reason.encode(), self.bc.password).decode("utf-8", "replace")
        self.stdout = b""
        self.stderr = self.failure_stderr

    def _after_prompt(self, err: bytes) -> bytes:
        if self._answered:
            err = err[self._answered_at:]
        if self.bc.prompt:
            err = err.replace(self.bc.prompt.encode(), b"")
        return err.lstrip(b"\r\n")

    def _is_prompt(self, data: bytes) -> bool:
        if not data:
            return False
        if self.bc.prompt:
            return data.rstrip().endswith(self.bc.prompt.encode().rstrip())
        return any(pattern.search(data[-200:]) for pattern in self.bc.prompt_patterns)

    def _refusal(self, data: bytes) -> str | None:
        """The failure message for what the tool said, if it refused."""
        if any(pattern.search(data) for pattern in self.bc.missing):
            return f"Missing {self.bc.method} password"
        return _matching_line(data, self.bc.fail)


def _matching_line(data: bytes, patterns: tuple[re.Pattern[bytes], ...]) -> str | None:
    for pattern in patterns:
        if pattern.search(data):
            for line in data.splitlines():
                if pattern.search(line):
                    return line.decode("utf-8", "replace").strip()
    return None


_REASON = re.compile(rb"^(?:Incorrect|Missing) \S+ password$|^Timeout \(.*privilege escalation prompt$")


def failure_reason(rc: int, stdout: bytes, stderr: bytes, become: Become | None = None) -> str | None:
    """The escalation failure a connection reported for a command (rc != 0, nothing
    on stdout, the reason on stderr), or ``None`` when the command itself ran.
    ``become`` (the task's) adds its plugin's refusal patterns to the ones every
    method shares."""
    if rc == 0 or stdout.strip():
        return None
    text = stderr.strip()
    if not text:
        return None
    patterns: tuple[re.Pattern[bytes], ...] = (_REASON,)
    if become is not None:
        plugin = become_plugin_class(become)
        patterns += plugin.fail + plugin.missing
    if any(pattern.search(text) for pattern in patterns):
        return text.decode("utf-8", "replace").splitlines()[0]
    return None


def scrub(data: bytes, password: str | None) -> bytes:
    """Return ``data`` with every occurrence of ``password`` masked."""
    if password:
        return data.replace(password.encode(), b"********")
    return data


def run_become_handshake(stdin_fd: int, stdout_fd: int, stderr_fd: int,
                         bc: BecomeCommand, timeout: float) -> BecomeHandshake:
    """Drive a :class:`BecomeHandshake` over pipe file descriptors.

    Reads ``stdout_fd``/``stderr_fd`` (non-blocking reads via ``select``), writes
    the password to ``stdin_fd`` when asked, and returns the finished handshake.
    Waits at most ``timeout`` seconds: on expiry the handshake is failed with a
    timeout reason (the caller kills the process).  ``stdin_fd`` stays open.
    """
    import select
    hs = BecomeHandshake(bc)
    deadline = time.monotonic() + timeout
    open_fds = {stdout_fd, stderr_fd}
    while not hs.done:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            hs.fail(f"Timeout ({timeout:g}s) waiting for privilege escalation prompt")
            break
        if not open_fds:
            hs.eof()
            break
        ready, _, _ = select.select(list(open_fds), [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                continue
            answer = hs.feed(chunk if fd == stdout_fd else b"", chunk if fd == stderr_fd else b"")
            if answer:
                os.write(stdin_fd, answer)
    return hs
