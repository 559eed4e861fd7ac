"""A fresh virtual environment to install distributions into and run their tools.

For tests that a distribution installs and works on its own (a plugin and
``corral-core``, a custom distribution)::

    venv = Venv.create(tmp_path / "venv")
    venv.install("path/to/corral-core", "path/to/my-plugin")
    venv.run("corral-plugins", "--kind", "callback").stdout

``install`` builds without build isolation (``setuptools`` is installed into the
environment once, when it is created), so installing many local distributions is
one ``pip`` call that reuses pip's cache.  Commands run with the environment's
``bin`` first on ``PATH`` and no ``CORRAL_*``/``ANSIBLE_*``/``PYTHON*`` variables
from the caller.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping

__all__ = ["Venv", "VenvError"]


class VenvError(RuntimeError):
    """Creating the environment or installing into it failed (with pip's output)."""


class Venv:
    """A virtual environment at ``path`` (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.bin = self.path / "bin"

    @classmethod
    def create(cls, path: Path | str) -> "Venv":
        """Create the environment (with pip and setuptools) and return it."""
        venv = cls(Path(path))
        _check([sys.executable, "-m", "venv", str(venv.path)], "creating the virtual environment")
        venv.pip("install", "-q", "setuptools>=77")
        return venv

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CORRAL_", "ANSIBLE_", "PYTHON", "VIRTUAL_ENV"))}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.path)
        env.update(extra or {})
        return env

    def pip(self, *args: str) -> subprocess.CompletedProcess:
        """Run this environment's pip; a failure raises :class:`VenvError` with its output."""
        return _check([str(self.bin / "python"), "-m", "pip", *args], f"pip {' '.join(args[:2])}",
                      env=self.environment())

    def install(self, *requirements: str | Path) -> subprocess.CompletedProcess:
        """``pip install`` local paths or requirement strings, all in one call."""
        return self.pip("install", "-q", "--no-build-isolation", *map(str, requirements))

    def run(self, tool: str, *args: str, cwd: Path | str | None = None, timeout: float = 300,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
        """Run ``tool`` (a console script or ``python`` of this environment) and capture
        its output as text; the exit code is not checked."""
        return subprocess.run([str(self.bin / tool), *args], capture_output=True, text=True, cwd=cwd,
                              env=self.environment(env), timeout=timeout, stdin=subprocess.DEVNULL)


def _check(argv: list[str], what: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        raise VenvError(f"{what} failed (rc={proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc
