"""Packages from PyPI that content tests run against, installed once per machine.

:func:`pip_installed` installs a requirement with ``pip install --no-deps
--ignore-requires-python --target`` into ``$XDG_CACHE_HOME/corral/`` (or the
checkout's ``.cache/``) on first use and reuses it afterwards;
:func:`ansible_package` is the ``ansible`` package (its collections, no ansible-core).
Importable from every test module (``tests/`` is on ``sys.path`` beside the root
``conftest.py``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["ANSIBLE_PACKAGE", "ansible_package", "pip_installed"]

REPO = Path(__file__).resolve().parents[1]
#: the ``ansible`` package the content tests and recordings use
ANSIBLE_PACKAGE = "ansible==14.5.0"


def pip_installed(requirement: str) -> Path:
    """The directory ``requirement`` (``name==version``) is installed in."""
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "corral" if os.environ.get("XDG_CACHE_HOME") else REPO / ".cache"
    target = cache / requirement.replace("==", "-").replace("<", "-lt-")
    if not (target / ".installed").is_file():
        partial = target.with_name(target.name + f".partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--ignore-requires-python",
                        "--target", str(partial), requirement], check=True)
        (partial / ".installed").write_text(requirement)
        try:
            partial.rename(target)
        except OSError:     # another run installed it meanwhile
            shutil.rmtree(partial, ignore_errors=True)
    return target


def ansible_package() -> Path:
    """The unpacked ``ansible`` package: ``CORRAL_ANSIBLE_PACKAGE`` when set (a directory
    holding ``ansible_collections/``), else :data:`ANSIBLE_PACKAGE` installed once."""
    given = os.environ.get("CORRAL_ANSIBLE_PACKAGE")
    return Path(given) if given else pip_installed(ANSIBLE_PACKAGE)
