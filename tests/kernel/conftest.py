"""Helpers for the kernel's tests: run the installed CLIs as subprocesses."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]


def run(command: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a corral console script (or any command) and capture its output."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    full_env.update(env or {})
    if command[0].startswith("corral"):
        command = [str(BIN / command[0]), *command[1:]]
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def local_inventory(tmp_path: Path) -> Path:
    """An INI inventory with localhost over the local connection."""
    path = tmp_path / "inventory.ini"
    path.write_text(f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    return path


@pytest.fixture
def write(tmp_path: Path):
    """Write a file below the test's directory and return its path."""
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path
    return _write
