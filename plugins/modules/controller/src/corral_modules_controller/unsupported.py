"""The check of actions whose arguments ansible-core validates as a module's (``debug``, ``assert``)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from corral.errors import CorralActionFailed

__all__ = ["refuse_unsupported"]


def refuse_unsupported(action: str, args: Mapping[str, Any], options: Iterable[str], aliases: Iterable[str] = (),
                       result: dict[str, Any] | None = None) -> None:
    """Fail the task, as a module's argument check words it, when ``args`` has a name
    that is neither one of ``options`` nor one of ``aliases``; ``result``: the failed
    result's other fields."""
    known = set(options) | set(aliases)
    unknown = sorted(name for name in args if name not in known)
    if unknown:
        listed = ", ".join(sorted(options)) + (f" ({', '.join(sorted(aliases))})" if aliases else "")
        raise CorralActionFailed(f"Unsupported parameters for ({action}) module: {', '.join(unknown)}. "
                                 f"Supported parameters include: {listed}.", result)
