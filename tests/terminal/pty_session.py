"""Running a scenario of ``scenarios.py`` in a pseudo-terminal, and the comparable
form of its transcript.

The transcript is every byte the terminal showed (the program's output and the
terminal's echo of what was typed).  Normalising removes what differs between runs
and engines without being about the terminal: the scenario's directory, times, the
hundredths in ``Paused for X``, the detail lines under an ``[ERROR]`` (their wording
is compared elsewhere) and the order in which the hosts of one task report.
"""
from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path

import pexpect

from .scenarios import CTRL_C, INVENTORY, Scenario

__all__ = ["run_scenario", "normalize"]

_TIMES = re.compile(r'"(start|stop)": "[^"]*"')
_PAUSED = re.compile(r"Paused for [0-9.]+ (seconds|minutes)")
_HOST_LINE = re.compile(r"^(ok|changed|fatal|skipping|failed): \[(h\d)\]")


def run_scenario(scenario: Scenario, program: str, workdir: Path, timeout: float = 60) -> tuple[bytes, int]:
    """Run ``scenario`` with ``program`` (a playbook CLI) in ``workdir`` on a 80x24
    pseudo-terminal; returns the transcript and the exit code."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "inventory").write_text(INVENTORY)
    (workdir / "site.yml").write_text(scenario.playbook)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_DEPRECATION_WARNINGS="0", TERM="xterm")
    command = [program, "-i", "inventory", *scenario.args, "site.yml"]
    if scenario.background:
        # a job of its own (set -m), disowned so that the shell prints no job status
        command = ["/bin/bash", "-c", f"set -m; {shlex.join(command)} & job=$!; disown; "
                                      f"while kill -0 $job 2>/dev/null; do sleep 0.1; done"]
    child = pexpect.spawn(command[0], command[1:], cwd=str(workdir), env=env, timeout=timeout, dimensions=(24, 80))
    transcript = bytearray()

    class _Log:
        def write(self, data: bytes) -> None:
            transcript.extend(data)

        def flush(self) -> None:
            pass

    child.logfile_read = _Log()
    try:
        for pattern, keys in scenario.steps:
            child.expect(pattern)
            # a moment for the program to be reading the terminal (ansible-core sets
            # its terminal up after showing a prompt)
            time.sleep(0.3)
            if keys == CTRL_C:
                child.sendintr()
            else:
                child.send(keys.encode())
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return bytes(transcript), child.exitstatus if child.exitstatus is not None else -1


def normalize(transcript: bytes, workdir: Path) -> str:
    """The comparable form of a transcript (see the module docstring); control
    characters are kept (escaped), since they are what the terminal was sent."""
    text = transcript.decode("latin-1").replace(str(workdir), "<DIR>")
    text = _TIMES.sub(r'"\1": "X"', text)
    text = _PAUSED.sub(r"Paused for N \1", text)
    lines = text.split("\n")
    kept: list[str] = []
    in_error = False
    for line in lines:
        if "[ERROR]:" in line:
            in_error = True
            kept.append(line)
            continue
        if in_error:
            if not _HOST_LINE.match(line):
                continue
            in_error = False
        kept.append(line)
    # the hosts of one task report in any order: sort the host blocks (a host's line
    # and the lines under it) between two blank lines
    out: list[str] = []
    blocks: list[list[str]] = []
    for line in kept + [""]:
        if _HOST_LINE.match(line):
            blocks.append([line])
        elif blocks and line.strip("\r"):
            blocks[-1].append(line)
        else:
            out.extend(part for block in sorted(blocks, key=lambda b: _HOST_LINE.match(b[0]).group(2))  # type: ignore[union-attr]
                       for part in block)
            blocks = []
            out.append(line)
    return "\n".join(repr(line)[1:-1] for line in out[:-1]) + "\n"
