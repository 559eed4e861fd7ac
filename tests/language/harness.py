"""Running one language case with a playbook CLI and normalising its output.

A case is a directory ``cases/NNN_name/`` holding ``site.yml`` (the playbook), an
optional ``inventory`` (default: ``../../inventory``, two local hosts), an optional
``args`` file (extra command-line arguments, one shell-split line) and the recordings
``expected.stdout`` and ``expected.rc`` made by ``record.py`` with ansible-playbook.
An optional ``expect_error`` file lists regular expressions (one a line) that
corral's stdout+stderr must match (the error wording is corral's own; the oracle
only fixes the exit code and the stdout).

Normalising removes what legitimately differs between runs and engines: the case
directory, timings, async job ids, the controller's temporary folders, the SSH client's wording of a refused connection, warning/error detail blocks (their wording
is the callback's, compared elsewhere), and the order in which hosts of one task
report (hosts run concurrently); the lines of one host keep their order.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

__all__ = ["CASES", "HERE", "case_dirs", "run_case", "normalize"]

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
DEFAULT_INVENTORY = HERE / "inventory"

_BANNER = re.compile(r"^(PLAY \[|TASK \[|RUNNING HANDLER \[|PLAY RECAP|PLAYBOOK:|PLAY \[)")
_NOISE_BLOCK = re.compile(r"^(\[(ERROR|WARNING|DEPRECATION WARNING)\]|Task failed: )")
_TIMES = re.compile(r'"(delta|start|end|stop)": "[^"]*"')
#: the transport's own words for a refused connection (OpenSSH's client and paramiko differ)
_SSH_REASON = re.compile(r"(Failed to connect to the host via ssh: )[^\"\n]*")
#: an async job's id (``j<digits>.<pid>``), different in every run
_JOB_ID = re.compile(r"\bj\d+\.\d+\b")
#: the controller's temporary folder of one run (a rendered template's ``+++ after:`` path)
_LOCAL_TMP = re.compile(r"/\S*?/(?:ansible|corral)-local-[^/\s]+/tmp[^/\s]+/")


def case_dirs() -> list[Path]:
    """Every case directory, in name order."""
    return sorted(p for p in CASES.iterdir() if (p / "site.yml").is_file())


def _host_of(line: str) -> str | None:
    match = re.match(r"^(?:ok|changed|fatal|skipping|failed|ignoring|unreachable|included)"
                     r"(?:: .*? for)? ?:? \[([^\]]+)\]", line)
    if match:
        return match.group(1).split(" -> ")[0]
    match = re.match(r"^included: .* for (\S+)", line)
    if match:
        return match.group(1).split(",")[0]
    match = re.match(r"^FAILED - RETRYING: \[([^\]]+)\]", line)
    if match:
        return match.group(1)
    return None


def normalize(text: str, case_dir: Path) -> str:
    """The comparable form of a run's stdout (see the module docstring)."""
    text = text.replace(str(case_dir), "<CASE>")
    text = _TIMES.sub(r'"\1": "X"', text)
    text = _SSH_REASON.sub(r"\1<REASON>", text)
    text = _JOB_ID.sub("<JID>", text)
    text = _LOCAL_TMP.sub("<LOCAL_TMP>/", text)
    lines = [line.rstrip() for line in text.splitlines()]
    kept: list[str] = []
    skipping_block = False
    for line in lines:
        if _NOISE_BLOCK.match(line):
            skipping_block = True
            continue
        if skipping_block:
            if _BANNER.match(line) or _host_of(line):
                skipping_block = False
            else:
                continue
        kept.append(line)
    out: list[str] = []
    section: list[tuple[str, list[str]]] = []

    def flush() -> None:
        order: dict[str, int] = {}
        for host, _ in section:
            order.setdefault(host, len(order))
        hosts = sorted(order)
        for host in hosts:
            for h, record in section:
                if h == host:
                    out.extend(record)
        section.clear()

    for line in kept:
        host = _host_of(line)
        if _BANNER.match(line) or line == "":
            flush()
            out.append(line)
        elif host is not None:
            section.append((host, [line]))
        elif section:
            section[-1][1].append(line)
        else:
            out.append(line)
    flush()
    while out and out[-1] == "":
        out.pop()
    collapsed: list[str] = []
    for line in out:
        if line == "" and collapsed and collapsed[-1] == "":
            continue
        collapsed.append(line)
    return "\n".join(collapsed) + "\n"


def command(case_dir: Path, program: str) -> list[str]:
    """The command line that runs ``case_dir`` with ``program`` (a playbook CLI)."""
    inventory = case_dir / "inventory"
    args = (case_dir / "args").read_text().strip() if (case_dir / "args").is_file() else ""
    return [program, "-i", str(inventory if inventory.exists() else DEFAULT_INVENTORY),
            *shlex.split(args), "site.yml"]


def environment() -> dict[str, str]:
    """A clean environment: no ANSIBLE_/CORRAL_ settings of the caller, no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_DEPRECATION_WARNINGS="0", ANSIBLE_SYSTEM_WARNINGS="0", PAGER="cat")
    env.pop("FORCE_COLOR", None)
    return env


def run_case(case_dir: Path, program: str, timeout: int = 120,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the case (cwd = the case directory, ``env`` added to the clean
    environment) and return the finished process."""
    return subprocess.run(command(case_dir, program), cwd=case_dir, env={**environment(), **(env or {})},
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
