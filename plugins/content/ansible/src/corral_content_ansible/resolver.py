"""The ``corral_resolve_content`` hook: Ansible content by name, for one run.

(Being built for issue #12: collections, ``meta/runtime.yml`` routing, plugin folders.)
"""
from __future__ import annotations

from typing import Any

from corral.plugins import hookimpl
from corral.plugins import ContentContext

__all__ = ["corral_resolve_content"]


@hookimpl
def corral_resolve_content(kind: str, name: str, collections: tuple[str, ...], context: ContentContext) -> Any:
    """Nothing yet: every name is left to the installed plugins."""
    return None
