"""The run's content beyond installed plugins: what ``corral_resolve_content`` searches.

Ansible users keep plugins next to their playbooks and roles (``library/``,
``filter_plugins/``, ...) and in collections (``community.general.ini_file``).
Which of those a run sees depends on the run: its configuration, the playbooks it
loaded and the roles they use.  A :class:`ContentContext` holds that, one per
:class:`~corral.plugins.manager.PluginManager` (so one per run): the kernel adds
each playbook's and role's directory as it loads them, and a content plugin (the
Ansible-content layer is one) answers ``corral_resolve_content(kind, name,
collections, context)`` from it.  The kernel knows no folder name and no
collection layout: it only records directories and asks.

A resolver may keep per-run state in :attr:`ContentContext.cache` (under a key of
its own); :attr:`ContentContext.version` changes whenever a directory is added, so
cached answers can be dropped then.
"""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["CONTENT_KINDS", "ContentContext", "ContentPath"]

#: what ``corral_resolve_content`` may be asked for, and what it answers for each
CONTENT_KINDS: dict[str, str] = {
    "module": "a ModuleSpec",
    "action": "an ActionBase subclass",
    "filter": "a Jinja2 filter function",
    "test": "a Jinja2 test function",
    "lookup": "a LookupBase subclass",
    "callback": "a CallbackBase subclass",
    "connection": "a ConnectionBase subclass",
    "become": "a BecomeBase subclass",
    "vars": "a VarsBase subclass",
    "cache": "a CacheBase subclass",
    "strategy": "a Strategy class",
    "inventory": "an InventoryPlugin",
    "role": "a ContentPath to the role's directory",
    "playbook": "a ContentPath to the playbook file",
    "doc_fragment": "a documentation fragment: YAML text or a mapping with options at the top",
}


@dataclasses.dataclass(frozen=True)
class ContentPath:
    """A role directory or playbook file found by a resolver; ``collection`` is the
    ``namespace.name`` it belongs to (its tasks then search that collection first for
    short names, as Ansible's do), or ``None``."""

    path: str
    collection: str | None = None


class ContentContext:
    """Where one run's content is: its configuration (``config``, a
    :class:`corral.config.Config` or ``None`` before the run is configured), the
    directories of the playbooks it loaded (``playbook_dirs``) and of the roles they
    use (``role_dirs``), in the order loaded.  ``warn`` shows a message once in the
    run's output (deprecations, routing notes).  Thread-safe."""

    def __init__(self, config: Any = None, warn: Callable[[str], None] | None = None) -> None:
        self.config = config
        self._warn = warn
        self._playbook_dirs: list[str] = []
        self._role_dirs: list[str] = []
        self.version = 0
        #: per-run state of resolvers, each under a key of its own
        self.cache: dict[str, Any] = {}
        #: why a name (as written) was found nowhere, when a resolver knows (the
        #: collection to install, the collections searched): the kernel adds it to
        #: its "couldn't resolve" errors
        self.not_found: dict[str, str] = {}
        #: the run's :class:`corral.display.Display` once the run has one (``None`` before):
        #: where content written for Ansible shows its messages, at the run's verbosity
        self.display: Any = None
        self.lock = threading.RLock()

    @property
    def playbook_dirs(self) -> tuple[str, ...]:
        """The directories of the loaded playbooks, first loaded first."""
        return tuple(self._playbook_dirs)

    @property
    def role_dirs(self) -> tuple[str, ...]:
        """The directories of the loaded roles, first loaded first."""
        return tuple(self._role_dirs)

    def add_playbook_dir(self, path: str) -> None:
        """Record the directory of a playbook being loaded (once)."""
        self._add(self._playbook_dirs, path)

    def add_role_dir(self, path: str) -> None:
        """Record the directory of a role being loaded (once)."""
        self._add(self._role_dirs, path)

    def _add(self, where: list[str], path: str) -> None:
        with self.lock:
            if path not in where:
                where.append(path)
                self.version += 1

    def configure(self, config: Any) -> None:
        """Use the run's configuration (the answers may change with it)."""
        with self.lock:
            self.config = config
            self.version += 1

    def warn(self, message: str) -> None:
        """Show ``message`` as a warning of the run (once)."""
        if self._warn is not None:
            self._warn(message)

    def deprecate(self, message: str, version: str | None = None, date: str | None = None,
                  collection_name: str | None = None) -> None:
        """Show ``message`` as a deprecation of the run, the way a module's deprecations
        are shown (``[DEPRECATION WARNING]: <message> This feature will be removed from
        collection '<collection_name>' version <version>.``, once, unless deprecation
        warnings are turned off); before the run has a display, as a warning."""
        if self.display is not None:
            self.display.deprecated(message, version=version, date=date, collection_name=collection_name)
            return
        from corral.display import deprecation_text
        self.warn(deprecation_text(message, version, date=date, collection_name=collection_name))
