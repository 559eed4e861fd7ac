"""Privilege escalation (``become``) for connection plugins.

Two pieces, shared by every connection (``local``, ``ssh``, ...):

- :func:`build_become_command` wraps a shell command line so that it runs as
  ``become.user`` through ``sudo`` or ``su``.  The wrapped command first prints a
  random *success marker* line on stdout, so the caller knows when escalation is
  over and the real command's output starts.  When a password is given, the
  escalation tool asks for it with a known *prompt* on stderr, reading the answer
  from stdin: no terminal is needed (``sudo -S``; util-linux ``su`` reads stdin).
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
import secrets
import select
import shlex
import time

from corral.errors import CorralOptionsError
from corral.plugins.connection import Become

__all__ = [
    "BecomeCommand",
    "BecomeHandshake",
    "build_become_command",
    "run_become_handshake",
    "scrub",
    "failure_reason",
    "SUPPORTED_METHODS",
]

SUPPORTED_METHODS = ("sudo", "su")

#: what ``su`` (util-linux, shadow, busybox) says when it wants a password, in
#: the common locales; matched at the end of stderr output.
_SU_PROMPT = re.compile(
    rb"(?i)(?:^|\n|\s)(?:password|passwort|mot de passe|contrase\xc3\xb1a|senha|"
    rb"wachtwoord|parola|has\xc5\x82o|l\xc3\xb6senord|adgangskode|passord)"
    rb"(?: for [^\n:]*)?\s*[:\xef\xbc\x9a]\s*$"
)
#: what a failed escalation prints; seeing one of these ends the handshake.
_FAILURE_PATTERNS = (
    re.compile(rb"Sorry, try again\."),
    re.compile(rb"incorrect password attempt"),
    re.compile(rb"[Aa]uthentication failure"),
    re.compile(rb"a (?:terminal|password) is required"),
    re.compile(rb"is not in the sudoers file|is not allowed to (?:run|execute)"),
    re.compile(rb"unknown user|does not exist|user .* does not exist", re.I),
    re.compile(rb"must be run from a terminal"),
)


@dataclasses.dataclass(frozen=True)
class BecomeCommand:
    """A command line wrapped for privilege escalation.

    ``cmd`` is the full command line to hand to a shell.  ``prompt`` is the
    literal prompt sudo prints (``None`` for su, whose prompt is matched by a
    pattern).  ``success`` is the marker line printed once escalation succeeded.
    ``password`` is what to answer; it is kept out of ``repr``.
    """

    cmd: str
    method: str
    user: str
    success: str
    prompt: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)

    @property
    def expects_password(self) -> bool:
        """Whether the escalation tool may ask for a password."""
        return self.password is not None


def build_become_command(cmd: str, become: Become, shell: str = "/bin/sh") -> BecomeCommand:
    """Wrap the shell command line ``cmd`` to run as ``become.user`` via ``become.method``.

    ``shell`` is the shell the escalated side runs ``cmd`` with.  sudo's default
    flags are ``-H -S -n`` (``-n``, never ask, is dropped when a password is
    given); ``become.flags`` replaces them, ``become.exe`` replaces the tool's
    name.  Raises :class:`corral.errors.CorralOptionsError` for an unsupported
    method.
    """
    method = (become.method or "sudo").strip()
    if method not in SUPPORTED_METHODS:
        raise CorralOptionsError(
            f"unsupported become method {method!r}: corral supports {', '.join(SUPPORTED_METHODS)}")
    user = become.user or "root"
    key = secrets.token_hex(16)
    success = f"BECOME-SUCCESS-{key}"
    inner = f"{shlex.quote(shell)} -c {shlex.quote(f'echo {success}; {cmd}')}"
    exe = become.exe or method
    if method == "sudo":
        flags = become.flags if become.flags is not None else "-H -S -n"
        prompt = None
        if become.password is not None:
            flags = " ".join(f for f in flags.split() if f != "-n")
            if "-S" not in flags.split():
                flags = f"{flags} -S".strip()
            prompt = f"[sudo via corral, key={key}] password:"
            flags = f"{flags} -p {shlex.quote(prompt)}"
        line = " ".join(p for p in (exe, flags, "-u", shlex.quote(user), inner) if p)
        return BecomeCommand(line, method, user, success, prompt, become.password)
    flags = become.flags or ""
    line = " ".join(p for p in (exe, flags, shlex.quote(user), "-c", shlex.quote(inner)) if p)
    return BecomeCommand(line, method, user, success, None, become.password)


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
            if self._is_prompt(tail) or self._failure_text(tail):
                self._fail("Incorrect {0} password".format(self.bc.method))
            return b""
        if self._is_prompt(self._err) or self._is_prompt(self._out):
            if self.bc.password is None:
                self._fail(f"Missing {self.bc.method} password")
                return b""
            self._answered = True
            self._answered_at = len(self._err)
            return self.bc.password.encode() + b"\n"
        reason = self._failure_text(self._err)
        if reason:
            self._fail(f"Missing {self.bc.method} password" if "password is required" in reason
                       else reason)
        return b""

    def eof(self) -> None:
        """Both streams ended before the marker: escalation failed."""
        if self.done:
            return
        if self._answered:
            self._fail(f"Incorrect {self.bc.method} password")
        else:
            text = self._failure_text(self._err) or self._err.decode("utf-8", "replace").strip()
            self._fail(text or f"{self.bc.method} to {self.bc.user} failed without a message")

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
            err = err[getattr(self, "_answered_at", 0):]
        if self.bc.prompt:
            err = err.replace(self.bc.prompt.encode(), b"")
        return err.lstrip(b"\r\n")

    def _is_prompt(self, data: bytes) -> bool:
        if not data:
            return False
        if self.bc.prompt:
            return data.rstrip().endswith(self.bc.prompt.encode().rstrip())
        return bool(_SU_PROMPT.search(data[-200:]))

    def _failure_text(self, data: bytes) -> str | None:
        for pattern in _FAILURE_PATTERNS:
            if pattern.search(data):
                for line in data.splitlines():
                    if pattern.search(line):
                        return line.decode("utf-8", "replace").strip()
        return None


_REASON = re.compile(rb"^(?:Incorrect|Missing) (?:sudo|su) password$|^Timeout \(.*privilege escalation prompt$")


def failure_reason(rc: int, stdout: bytes, stderr: bytes) -> str | None:
    """The escalation failure a connection reported for a command (rc != 0, nothing
    on stdout, the reason on stderr), or ``None`` when the command itself ran."""
    if rc == 0 or stdout.strip():
        return None
    text = stderr.strip()
    if _REASON.match(text) or any(pattern.search(text) for pattern in _FAILURE_PATTERNS):
        return text.decode("utf-8", "replace").splitlines()[0] if text else None
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
    hs = BecomeHandshake(bc)
    deadline = time.monotonic() + timeout
    open_fds = {stdout_fd, stderr_fd}
    while not hs.done:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            hs._fail(f"Timeout ({timeout:g}s) waiting for privilege escalation prompt")
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
