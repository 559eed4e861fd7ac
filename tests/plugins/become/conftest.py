"""Helpers for the become plugins' tests: a target on the controller that any user
can run modules on, and a Become resolved from real configuration sources."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from pytest_corral.sshd import target_python

from corral.config import Config
from corral.executor.become import resolve_become
from corral.plugins.connection import Become
from corral.plugins.manager import PluginManager


@pytest.fixture
def escalate(corral_inventory, corral_run) -> Callable[..., str]:
    """``escalate(method, user, **keywords)``: the output of ``id -un`` run by a real
    play on the controller with ``become_method: method``, ``become_user: user``."""
    corral_inventory.host("target", ansible_python_interpreter=target_python())

    def run(method: str, user: str, **keywords: Any) -> str:
        result = corral_run.task({"command": "id -un", "become": True, "become_method": method,
                                  "become_user": user, **keywords})
        outcome = corral_run.outcome(result, "target")
        assert result.rc == 0, outcome.result
        return str(outcome.result["stdout"])
    return run


@pytest.fixture
def resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Become]:
    """``resolve(method, cfg="", variables=, keywords=, cli=)``: the Become the kernel
    builds with ``cfg`` as corral.cfg, no ``ANSIBLE_*``/``CORRAL_*`` environment but
    what the test sets."""
    import os
    for name in [n for n in os.environ if n.startswith(("ANSIBLE_", "CORRAL_"))]:
        monkeypatch.delenv(name)

    def build(method: str, cfg: str = "", **sources: Any) -> Become:
        (tmp_path / "corral.cfg").write_text(cfg)
        config = Config(env={"HOME": str(tmp_path)}, cwd=str(tmp_path))
        return resolve_become(PluginManager(), method, variables=sources.get("variables", {}),
                              keywords=sources.get("keywords", {}), cli=sources.get("cli", {}), ini=config)
    return build
