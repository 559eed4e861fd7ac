"""The ``ray`` executor (``corral-executor-ray``): the run's hosts are sharded over
Ray actors on a cluster, each keeping its hosts' connections and module servers for
the whole run.  Chosen like any executor: ``executor = ray`` in ``[defaults]`` or
``CORRAL_EXECUTOR=ray``; its own settings (address, actors, namespace,
runtime_env, ...) are in :mod:`corral_executor_ray.options`."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_executor_ray.executor import RayExecutor

__all__ = ["RayExecutor"]


@hookimpl
def corral_executor(name: str) -> type[RayExecutor] | None:
    return RayExecutor if name == "ray" else None
