"""Fixtures for the vault tests: run ``corral-vault`` as a user would, in an
isolated directory and environment."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from vault_helpers import CORRAL_VAULT, DEV_PASSWORD, PASSWORD, clean_env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory holding the two fixture password files."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "pw").write_text(PASSWORD + "\n")
    (work / "devpw").write_text(DEV_PASSWORD + "\n")
    (work / "home").mkdir()
    return work


@pytest.fixture
def run_vault(workdir: Path):
    """``run_vault(*args, input=b"", env={})`` runs the installed ``corral-vault``
    console script in ``workdir`` and returns the CompletedProcess (bytes)."""

    def run(*args: str, input: bytes = b"", env: dict[str, str] | None = None,
            program: Path = CORRAL_VAULT) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(program), *args], cwd=workdir, input=input, capture_output=True,
                              env=clean_env(workdir / "home", **(env or {})), timeout=60,
                              start_new_session=True)

    return run
