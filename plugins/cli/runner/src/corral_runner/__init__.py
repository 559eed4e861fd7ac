"""ansible-runner compatibility for corral: ``corral-runner`` and an ``ansible_runner``-shaped API.

``run``/``run_async`` take ansible-runner's keywords and return a :class:`Runner` with
``status``, ``rc``, ``events``, ``stats``, ``host_events()``, ``stdout``; the run
leaves ``artifacts/<ident>/`` as ansible-runner does (see :mod:`corral_runner.runner`).
"""
from corral_runner.config import ConfigurationError, RunnerConfig
from corral_runner.interface import init_runner, run, run_async
from corral_runner.runner import CallbackError, Runner

__all__ = ["CallbackError", "ConfigurationError", "Runner", "RunnerConfig", "init_runner", "run", "run_async"]
