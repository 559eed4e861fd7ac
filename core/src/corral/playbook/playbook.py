"""A playbook file: a list of plays and ``import_playbook`` entries."""
from __future__ import annotations

import os
from typing import Any

from corral.errors import CorralParserError
from corral.playbook.base import check_vars
from corral.playbook.play import Play

__all__ = ["Playbook"]


class Playbook:
    """The plays of one playbook file, imported playbooks expanded in place."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader
        self._file_name = ""
        self._basedir = ""
        self._entries: list[Play] = []
        self._plugins: Any = None

    @staticmethod
    def load(file_name: str, variable_manager: Any = None, loader: Any = None, plugins: Any = None) -> "Playbook":
        """Load ``file_name``; relative paths inside resolve against its directory.
        ``plugins`` (the run's ``PluginManager``) gives the actions' traits; without
        it, the installed plugins do."""
        from corral.parsing.dataloader import DataLoader
        from corral.plugins.manager import PluginManager
        loader = loader or DataLoader()
        playbook = Playbook(loader)
        playbook._plugins = plugins or PluginManager()
        playbook._load_file(os.path.abspath(file_name), variable_manager, depth=0)
        return playbook

    def _load_file(self, path: str, variable_manager: Any, depth: int,
                   import_vars: dict[str, Any] | None = None) -> None:
        """Load the plays of ``path``; ``import_vars`` (the ``vars`` of the
        ``import_playbook`` entries that led here, the outermost winning) override
        each play's own vars, already when its static imports are templated."""
        if depth > 20:
            raise CorralParserError(f"import_playbook nests too deeply at {path}")
        if not os.path.isfile(path):
            raise CorralParserError(f"the playbook: {path} could not be found")
        if not self._file_name:
            self._file_name = path
            self._basedir = os.path.dirname(path)
        self._plugins.content.add_playbook_dir(os.path.dirname(path))
        previous = self._loader.get_basedir()
        self._loader.set_basedir(os.path.dirname(path))
        try:
            data = self._loader.load_from_file(path)
            if data is None:
                raise CorralParserError(f"Empty playbook, nothing to do: {path}")
            if not isinstance(data, list):
                raise CorralParserError("A playbook must be a list of plays, got a "
                                        f"{type(data).__name__} instead", obj=data)
            if not data:
                raise CorralParserError(f"A playbook must contain at least one play: {path}")
            for entry in data:
                if not isinstance(entry, dict):
                    raise CorralParserError(f"playbook entries must be either valid plays or "
                                            f"'import_playbook' statements: {entry!r}", obj=data)
                target = entry.get("import_playbook") or entry.get("ansible.builtin.import_playbook")
                if target:
                    self._import(entry, str(target), path, variable_manager, depth, import_vars)
                    continue
                play = Play.load(entry, variable_manager=variable_manager, loader=self._loader, vars=import_vars,
                                 basedir=os.path.dirname(path), plugins=self._plugins)
                play._file_name = path
                self._entries.append(play)
        finally:
            self._loader.set_basedir(previous)

    def _import(self, entry: dict[str, Any], target: str, path: str, variable_manager: Any, depth: int,
                import_vars: dict[str, Any] | None) -> None:
        if "{{" in target and variable_manager is not None:
            from corral.template import Templar
            target = str(Templar(self._loader, dict(variable_manager.extra_vars)).template(target))
        full = target if os.path.isabs(target) else os.path.join(os.path.dirname(path), target)
        if not os.path.isfile(full):
            found = self._plugins.find_content("playbook", target, tuple(entry.get("collections") or ()))
            full = found.path if found is not None else full
        if not os.path.isfile(full):
            why = self._plugins.content.not_found.get(target)
            raise CorralParserError(f"Could not find or access the imported playbook '{target}'"
                                    + (f". {why}" if why else ""), obj=entry)
        extra_vars = entry.get("vars")
        check_vars(extra_vars, "PlaybookInclude", entry)
        first = len(self._entries)
        self._load_file(full, variable_manager, depth + 1,
                        {**(extra_vars or {}), **(import_vars or {})} if extra_vars or import_vars else None)
        when = entry.get("when")
        tags = entry.get("tags")
        for play in self._entries[first:]:
            if when is not None:
                # the condition applies to every task of the imported plays (they still start)
                conditions = when if isinstance(when, list) else [when]
                for _, block in play.sections:
                    own = block._attrs.get("when")
                    own = [] if own is None else own if isinstance(own, list) else [own]
                    block._attrs["when"] = list(conditions) + own
            if tags:
                existing = play._attrs.get("tags") or []
                existing = [existing] if isinstance(existing, str) else list(existing)
                play._attrs["tags"] = existing + ([tags] if isinstance(tags, str) else list(tags))

    def get_plays(self) -> list[Play]:
        return list(self._entries)

    def get_loader(self) -> Any:
        return self._loader
