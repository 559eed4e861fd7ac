"""The CLIs refuse a locale that is missing or not UTF-8, as ansible-core's do.

The expected messages and exit codes were recorded from ansible-core 2.21.5
(``LC_ALL=<locale> ansible --version``) on a system whose locales are C, C.utf8
and POSIX.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

RECORDED = {
    "ham_sandwich": (1, "ERROR: Ansible could not initialize the preferred locale: unsupported locale setting\n"),
    "C": (1, "ERROR: Ansible requires the locale encoding to be UTF-8; Detected None.\n"),
    "POSIX": (1, "ERROR: Ansible requires the locale encoding to be UTF-8; Detected None.\n"),
    "C.UTF-8": (0, ""),
}


@pytest.mark.parametrize("program", ["corral", "corral-playbook"])
@pytest.mark.parametrize("name", sorted(RECORDED))
def test_locale_is_checked_at_start(program: str, name: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env["LC_ALL"] = name
    proc = subprocess.run([str(BIN / program), "--version"], env=env, capture_output=True, text=True, timeout=60)
    rc, stderr = RECORDED[name]
    assert (proc.returncode, proc.stderr) == (rc, stderr)
    assert ("corral" in proc.stdout) is (rc == 0)


def test_no_locale_at_all_is_coerced_to_utf8() -> None:
    """Without any locale variable Python itself takes C.UTF-8: the CLI runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    proc = subprocess.run([str(BIN / "corral"), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == ""
