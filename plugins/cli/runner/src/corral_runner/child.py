"""The run's process: the command on a pseudo-terminal of its own, its output, the
answers to its prompts, and the job events it sends over a pipe.

:class:`ChildProcess` knows nothing of artifacts: it hands what it reads to three
callables, in the order the run produced it:

- ``output(text)``: what the command printed (``\\r\\n`` line ends, colors kept),
  without :data:`~corral_runner.display_callback.EVENTS_START`;
- ``before_events(text)``: once, what was printed before the events began (all of the
  output when they never did);
- ``event(record)``: each job event, after ``before_events``.
"""
from __future__ import annotations

import codecs
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from typing import Any, Callable, Sequence

from corral_runner.display_callback import EVENTS_START

__all__ = ["ChildProcess"]

#: how much recent output the prompt patterns are matched against
_PROMPT_WINDOW = 4096


def _read_available(fd: int) -> tuple[bytes, bool]:
    """What the non-blocking ``fd`` holds now, and whether it has ended (end of file, or
    EIO: every holder of a terminal's other side closed it)."""
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return b"".join(chunks), False
        except OSError:
            return b"".join(chunks), True
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


class ChildProcess:
    """``command`` started on an 80x24 pseudo-terminal without echo, in a session of its
    own (so that :meth:`kill` ends all it started), with ``CORRAL_RUNNER_EVENTS_FD``
    naming the pipe the ``awx_display`` callback writes its events to.

    ``answers`` are ``(pattern, text)``: when recent output matches ``pattern``, ``text``
    and a newline are typed in (a prompt answered once per appearance).
    """

    def __init__(self, command: Sequence[str], *, cwd: str, env: dict[str, str],
                 answers: Sequence[tuple[re.Pattern[str], str]], output: Callable[[str], None],
                 before_events: Callable[[str], None], event: Callable[[dict[str, Any]], None]) -> None:
        self._answers = list(answers)
        self._output, self._before_events, self._event = output, before_events, event
        self.last_output = time.time()
        self._recent = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._early = ""            # the output before EVENTS_START
        self._held = ""             # the output's end, while it may be the start of EVENTS_START
        self._started = False       # EVENTS_START seen
        self._waiting: list[bytes] = []     # events read before EVENTS_START was
        self._pending_events = b""
        events_read, events_write = os.pipe()
        master, slave = os.openpty()
        attributes = termios.tcgetattr(slave)
        attributes[3] &= ~termios.ECHO
        termios.tcsetattr(slave, termios.TCSANOW, attributes)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "corral_runner.terminal_exec", *command], stdin=slave, stdout=slave,
                stderr=slave, cwd=cwd, env={**env, "CORRAL_RUNNER_EVENTS_FD": str(events_write)},
                start_new_session=True, pass_fds=(events_write,))
        finally:
            os.close(slave)
            os.close(events_write)
        self.pid = self.process.pid
        self._master, self._events = master, events_read
        os.set_blocking(master, False)
        os.set_blocking(events_read, False)
        self._open = {master, events_read}
        self._killed = False

    # -- reading ---------------------------------------------------------------------------

    def pump(self, timeout: float) -> int | None:
        """Read what is ready (waiting at most ``timeout`` seconds); the exit status once
        the process has ended, else None."""
        ready, _, _ = select.select(list(self._open), [], [], timeout)
        if self._master in ready:
            data, ended = _read_available(self._master)
            self._show(self._decoder.decode(data))
            if ended:
                self._open.discard(self._master)
        if self._events in ready:
            self._read_events()
        return self.process.poll()

    def finish(self) -> int:
        """After the process ended: read what it left, close the terminal and the pipe;
        the exit status (negative: killed by that signal)."""
        status = self.process.wait()
        ended = self._master not in self._open
        while not ended and select.select([self._master], [], [], 0.5)[0]:
            data, ended = _read_available(self._master)
            self._show(self._decoder.decode(data))
        self._show(self._decoder.decode(b"", final=True))
        self._read_events(final=True)
        if not self._started:
            self._display(self._held)
            self._early += self._held
            self._begin_events()
        os.close(self._master)
        os.close(self._events)
        return status

    def kill(self) -> None:
        """SIGKILL to the process's session: the command and all it started (once)."""
        if not self._killed:
            self._killed = True
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass

    # -- output ----------------------------------------------------------------------------

    def _show(self, text: str) -> None:
        if self._started:
            self._display(text)
            return
        text, self._held = self._held + text, ""
        before, marker, after = text.partition(EVENTS_START)
        if not marker:
            for size in range(min(len(text), len(EVENTS_START) - 1), 0, -1):
                if EVENTS_START.startswith(text[-size:]):
                    before, self._held = text[:-size], text[-size:]
                    break
        self._early += before
        self._display(before)
        if marker:
            self._begin_events()
            self._display(after)

    def _display(self, text: str) -> None:
        if not text:
            return
        self.last_output = time.time()
        self._output(text)
        self._recent = (self._recent + text)[-_PROMPT_WINDOW:]
        for pattern, answer in self._answers:
            found = pattern.search(self._recent)
            if found:
                os.write(self._master, (answer + "\n").encode("utf-8"))
                self._recent = self._recent[found.end():]
                break

    # -- events ----------------------------------------------------------------------------

    def _begin_events(self) -> None:
        self._started = True
        self._before_events(self._early)
        for line in self._waiting:
            self._event(json.loads(line))
        self._waiting.clear()

    def _read_events(self, final: bool = False) -> None:
        self._pending_events += _read_available(self._events)[0]
        *lines, self._pending_events = self._pending_events.split(b"\n")
        if final:
            lines.append(self._pending_events)
            self._pending_events = b""
        for line in lines:
            if not line.strip():
                continue
            self.last_output = time.time()
            if self._started:
                self._event(json.loads(line))
            else:
                self._waiting.append(line)
