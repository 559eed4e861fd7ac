"""What Ansible's process-wide singletons stand for under corral.

Plugins written for Ansible reach the run's output and configuration through
process-wide objects (``Display()``, ``ansible.constants``, ``context.CLIARGS``).
corral keeps those per run; the adapters (:mod:`corral_content_ansible.adapters`)
record here the display and configuration of the run that is using Ansible
content, and the ``ansible.*`` shims read them.  With several runs in one process
at once, the most recent run's are used (the same sharing Ansible itself has).
"""
from __future__ import annotations

import threading
from typing import Any

from corral.plugins import Display

__all__ = ["use_display", "display", "use_config", "config", "use_cli_args", "cli_args"]

_lock = threading.Lock()
_state: dict[str, Any] = {}


def use_display(run_display: Display | None) -> None:
    """Send ``ansible.utils.display.Display`` output to ``run_display`` from now on."""
    if run_display is not None:
        with _lock:
            _state["display"] = run_display


def display() -> Display:
    """The display of the run using Ansible content (a default one before any run)."""
    with _lock:
        if "display" not in _state:
            _state["display"] = Display()
        found: Display = _state["display"]
        return found


def use_config(run_config: Any) -> None:
    """Use ``run_config`` (a :class:`corral.config.Config`) as the configuration file
    that plugin options (``ini:`` entries) and ``ansible.constants`` read."""
    if run_config is not None:
        with _lock:
            _state["config"] = run_config


def config() -> Any:
    """The configuration of the run using Ansible content, or ``None``."""
    with _lock:
        return _state.get("config")


def use_cli_args(args: dict[str, Any]) -> None:
    """Record the run's command line options (``context.CLIARGS``)."""
    with _lock:
        _state["cli_args"] = dict(args)


def cli_args() -> dict[str, Any]:
    """The run's command line options as ``context.CLIARGS`` has them."""
    with _lock:
        return dict(_state.get("cli_args") or {})
