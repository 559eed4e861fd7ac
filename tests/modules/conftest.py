"""Run modules for real on localhost, the way the executor does: build the payload,
feed it to a fresh ``python3 -``, parse what comes back."""
from __future__ import annotations

import subprocess
import sys
from typing import Any, Callable

import pytest

from corral.executor.module_payload import build_module_payload, parse_module_output
from corral.plugins.manager import PluginManager

_MODULES = PluginManager().modules()


def run_module(name: str, args: dict[str, Any] | None = None, *, check: bool = False, diff: bool = False,
               timeout: float = 60, **settings: Any) -> dict[str, Any]:
    """Run the installed module ``name`` with ``args`` in a child Python; return its result."""
    payload = build_module_payload(_MODULES[name], dict(args or {}), check_mode=check, diff=diff, **settings)
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=timeout)
    return parse_module_output(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def module() -> Callable[..., dict[str, Any]]:
    """``module(name, args, check=False, diff=False)`` -> result dict."""
    return run_module
