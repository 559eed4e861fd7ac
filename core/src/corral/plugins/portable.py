"""Plugins registered in code, carried to the other processes of a run.

``PluginManager.register(obj)`` adds a plugin to one manager, in one process.  An
executor that runs tasks in other processes (fresh interpreters, remote actors)
ships each such plugin as an importable reference, ``module:qualname`` (or
``module`` for a plugin that is a module), with the controller's ``sys.path``; the
other process imports the references and registers what they name, so
``corral_connection`` and every other hook answer there as they do in the
controller.

A plugin that cannot be imported by name in another process (defined in
``__main__``, in a function, or an instance no module-level name refers to) is
refused when the run starts, with a message that points to the ``inline``
executor, which runs tasks in the controller's own process.
"""
from __future__ import annotations

import dataclasses
import importlib
import sys
import types
from typing import Callable, Iterable

from corral.errors import CorralPluginError

__all__ = ["PortablePlugins", "reference_of", "resolve"]


@dataclasses.dataclass(frozen=True)
class PortablePlugins:
    """What another process needs to register the controller's in-code plugins:
    ``(reference, name)`` pairs in registration order, and the ``sys.path`` to
    import them with."""

    plugins: tuple[tuple[str, str | None], ...] = ()
    path: tuple[str, ...] = ()

    def register_into(self, register: Callable[[object, str | None], None]) -> None:
        """Put :attr:`path` on ``sys.path`` (entries it lacks, in front) and register
        every plugin with ``register(obj, name)``."""
        missing = [entry for entry in self.path if entry not in sys.path]
        sys.path[:0] = missing
        for reference, name in self.plugins:
            register(resolve(reference), name)


def _lookup(reference: str) -> object:
    module_name, _, qualname = reference.partition(":")
    target: object = importlib.import_module(module_name)
    for part in qualname.split(".") if qualname else ():
        target = getattr(target, part)
    return target


def resolve(reference: str) -> object:
    """The object named by ``reference`` (``module`` or ``module:qualname``);
    :class:`CorralPluginError` when it cannot be imported."""
    try:
        return _lookup(reference)
    except (ImportError, AttributeError) as exc:
        raise CorralPluginError(f"Cannot import the plugin registered in code as '{reference}' in a worker "
                                f"process: {type(exc).__name__}: {exc}") from exc


def _candidates(plugin: object) -> Iterable[str]:
    if isinstance(plugin, types.ModuleType):
        yield plugin.__name__
        return
    qualname = getattr(plugin, "__qualname__", None)
    module = getattr(plugin, "__module__", None)
    if isinstance(qualname, str) and isinstance(module, str) and not isinstance(plugin, types.MethodType):
        yield f"{module}:{qualname}"
        return
    # an instance: a module-level name in its class's module that refers to it
    owner = type(plugin).__module__
    for attr, value in vars(sys.modules[owner]).items() if owner in sys.modules else ():
        if value is plugin:
            yield f"{owner}:{attr}"


def reference_of(plugin: object, label: str) -> str:
    """An importable reference to ``plugin`` that another process resolves to an
    equal object; :class:`CorralPluginError` naming ``label`` when there is none."""
    for reference in _candidates(plugin):
        module_name = reference.partition(":")[0]
        if module_name == "__main__" or "<locals>" in reference:
            continue
        try:
            if _lookup(reference) is plugin:
                return reference
        except (ImportError, AttributeError):
            continue
    raise CorralPluginError(
        f"The plugin '{label}' was registered in code but cannot be imported by name in the executor's "
        f"worker processes (it is defined in __main__, in a function, or is an instance no module-level "
        f"name refers to). Define it at the top level of an importable module, or run tasks in this "
        f"process with the 'inline' executor (executor = inline, or CORRAL_EXECUTOR=inline).")
