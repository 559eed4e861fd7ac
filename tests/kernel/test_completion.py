"""Shell completion, typed in a real pseudo-terminal: bash with argcomplete's
registration completes corral's options, subcommands and choices on TAB."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
CLIS = ("corral", "corral-playbook", "corral-inventory", "corral-vault", "corral-doc", "corral-config",
        "corral-plugins", "corral-galaxy", "corral-runs", "corral-runner")


class Terminal:
    """An interactive bash in a pseudo-terminal, with corral's completion registered."""

    def __init__(self, home: Path) -> None:
        self.master, slave = pty.openpty()
        env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(home), "TERM": "dumb", "PS1": "$ ",
               "INPUTRC": "/dev/null", "LANG": "C.UTF-8"}
        self.proc = subprocess.Popen(["bash", "--norc", "--noprofile", "-i"], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.read_until("$ ")
        self.send(f'eval "$(register-python-argcomplete {" ".join(CLIS)})"; echo registered\n')
        self.read_until("registered\r\n$ ")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def read_until(self, wanted: str, timeout: float = 60) -> str:
        seen = ""
        deadline = time.monotonic() + timeout
        while wanted not in seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{wanted!r} did not appear; the terminal shows {seen!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                seen += os.read(self.master, 4096).decode(errors="replace")
        return seen

    def complete(self, typed: str, wanted: str) -> str:
        """Type ``typed`` and TAB twice; wait for ``wanted``; clear the line."""
        self.send(typed + "\t\t")
        shown = self.read_until(wanted)
        self.send("\x15")     # Ctrl-U: forget the line
        return shown

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path)
    yield term
    term.close()


def test_tab_completes_options_subcommands_and_choices(terminal):
    # one match: completed on the line
    terminal.complete("corral-playbook --start-at", "--start-at-task ")
    terminal.complete("corral-config in", "init ")
    terminal.complete("corral-vault encrypt_", "encrypt_string ")
    # several matches: listed
    shown = terminal.complete("corral-config ", "view")
    assert all(word in shown for word in ("list", "dump", "init", "view"))
    shown = terminal.complete("corral-config init --format ", "env")
    assert "ini" in shown
    terminal.complete("corral-galaxy coll", "collection ")
    terminal.complete("corral-runs show --fa", "--failed ")
    terminal.complete("corral-runner is-", "is-alive ")
    terminal.complete("corral-runner run --rotate", "--rotate-artifacts ")
    terminal.complete("corral --module-n", "--module-name ")
