"""``ansible.plugins.vars``: ``BaseVarsPlugin``, the base of vars plugins written for
Ansible (adapted to corral's vars plugin contract by
:func:`corral_content_ansible.adapters.adapt`)."""
from __future__ import annotations

from typing import Any

from ansible.plugins import AnsiblePlugin
from ansible.utils.display import Display

__all__ = ["BaseVarsPlugin"]


class BaseVarsPlugin(AnsiblePlugin):
    """A vars plugin: ``get_vars(loader, path, entities, cache=True)`` returns a dict."""

    REQUIRES_ENABLED = False

    def __init__(self) -> None:
        super().__init__()
        self._display = Display()

    def get_vars(self, loader: Any, path: str, entities: Any, cache: bool = True) -> dict[str, Any]:
        """The variables of ``entities`` found for the directory ``path``."""
        self._basedir = path
        return {}
