"""Roles: ``tasks/ handlers/ defaults/ vars/ meta/ files/ templates/`` found on the role path."""
from __future__ import annotations

import os
from typing import Any

from corral.errors import CorralParserError
from corral.playbook.base import COMMON_KEYWORDS

__all__ = ["Role", "ROLE_ENTRY_KEYWORDS", "find_role_path"]

#: keys of a ``roles:`` entry that are keywords; any other key is a role parameter
ROLE_ENTRY_KEYWORDS = frozenset({*COMMON_KEYWORDS, "role", "when", "delegate_to", "delegate_facts",
                                 "tasks_from", "vars_from", "defaults_from", "handlers_from",
                                 "public", "allow_duplicates", "rolespec_validate", "apply"})
_MAIN_NAMES = ("main.yml", "main.yaml", "main.json", "main")


def find_role_path(name: str, search: list[str]) -> str | None:
    """The directory of role ``name``, absolute: ``roles/<name>`` under each search
    directory, or ``<dir>/<name>`` (a relative search directory, such as
    ``roles_path = ./roles``, is relative to the working directory); else a name that
    is a path (``nested/role``, ``../role``, ``~/role``), as given."""
    expanded = os.path.expanduser(name)
    if not os.path.isabs(expanded):
        for base in map(os.path.expanduser, search):
            in_roles = os.path.join(base, "roles", name)
            if os.path.isdir(in_roles):     # any folder there is a role (one may only hold filter_plugins/)
                return os.path.abspath(in_roles)
            candidate = os.path.join(base, name)
            if os.path.isdir(candidate) and (os.sep in name or _looks_like_role(candidate)):
                return os.path.abspath(candidate)
    if (os.sep in name or name.startswith(".")) and os.path.isdir(expanded):
        return os.path.abspath(expanded)
    return None


def _looks_like_role(path: str) -> bool:
    return any(os.path.isdir(os.path.join(path, d)) for d in
               ("tasks", "handlers", "defaults", "vars", "meta", "files", "templates", "library"))


class Role:
    """A loaded role.  ``defaults``/``vars`` are its variable files, ``params`` the
    role parameters of the entry that named it, ``dependencies`` the roles of
    ``meta/main.yml``.  Task and handler lists are loaded by the play loader."""

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self._role_path = path
        self.defaults: dict[str, Any] = {}
        self.vars: dict[str, Any] = {}
        self.params: dict[str, Any] = {}
        #: the ``tasks_from`` / ``handlers_from`` file of include_role/import_role (else ``main``)
        self.tasks_from: str | None = None
        self.handlers_from: str | None = None
        self.metadata: dict[str, Any] = {}
        self.dependencies: list[Any] = []
        self.allow_duplicates = False
        self.public = True
        #: the collection the role comes from (``namespace.name``), or ``None``
        self.collection: str | None = None
        #: the role that brought this one in: through its ``meta`` dependencies, or an
        #: ``include_role``/``import_role`` in its tasks (``None`` for a play's own role)
        self.parent: Role | None = None
        #: ``argument_specs`` of ``meta/argument_specs.yml`` (or of ``meta/main.yml``), by entry point
        self.argument_specs: dict[str, Any] = {}
        #: whether the role's arguments are validated before its tasks (``rolespec_validate``)
        self.rolespec_validate = True
        #: the keywords its ``roles:`` entry or ``import_role`` task gives it (``delegate_to``,
        #: ``become``...): its handlers inherit them too, as in ansible-core
        self.keywords: dict[str, Any] = {}

    def validation_task(self) -> dict[str, Any] | None:
        """The task ansible-core runs first in a role whose entry point (``main`` or
        ``tasks_from``) has an argument specification: ``validate_argument_spec`` of
        the role's parameters, named "Validating arguments against arg spec ...",
        tagged ``always``.  ``None`` when there is nothing to validate."""
        entry = self.tasks_from or "main"
        spec = self.argument_specs.get(entry)
        if not self.rolespec_validate or not isinstance(spec, dict):
            return None
        name = f"Validating arguments against arg spec '{entry}'"
        if "short_description" in spec:
            name += f" - {spec['short_description']}"
        provided = {k: v for k, v in self.params.items() if not k.startswith("ansible_parent_role_")}
        return {"action": {"module": "ansible.builtin.validate_argument_spec",
                           "argument_spec": spec.get("options") or {}, "provided_arguments": provided,
                           "validate_args_context": {"type": "role", "name": self.name,
                                                     "argument_spec_name": entry, "path": self.path}},
                "name": name, "tags": ["always"]}

    def load_argument_specs(self, loader: Any) -> None:
        """Read ``meta/argument_specs.yml`` (``.yaml``), else the ``argument_specs``
        of ``meta/main.yml`` (already in :attr:`metadata`)."""
        for file_name in ("argument_specs.yml", "argument_specs.yaml"):
            path = os.path.join(self._role_path, "meta", file_name)
            if os.path.isfile(path):
                data = loader.load_from_file(path) or {}
                specs = data.get("argument_specs") if isinstance(data, dict) else None
                self.argument_specs = specs if isinstance(specs, dict) else {}
                return
        specs = self.metadata.get("argument_specs")
        self.argument_specs = specs if isinstance(specs, dict) else {}

    def dep_chain(self) -> list["Role"]:
        """The roles above this one, outermost first (Ansible's dependency chain):
        their variables and parameters are inherited."""
        chain: list[Role] = []
        node = self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    def all_dependencies(self) -> list["Role"]:
        """Every role below this one through ``meta`` dependencies, each dependency
        after its own dependencies (the order their variables combine in)."""
        found: list[Role] = []
        for dep in self.dependencies:
            for child in dep.all_dependencies():
                if not any(child is f for f in found):
                    found.append(child)
            if not any(dep is f for f in found):
                found.append(dep)
        return found

    def parent_role_params(self) -> dict[str, Any]:
        """What a role included or imported by a task of this role inherits besides its
        own parameters: this role's parameters and ``ansible_parent_role_names`` /
        ``ansible_parent_role_paths`` (nearest parent first)."""
        params = dict(self.params)
        params["ansible_parent_role_names"] = [self.get_name(), *self.params.get("ansible_parent_role_names", [])]
        params["ansible_parent_role_paths"] = [self.path, *self.params.get("ansible_parent_role_paths", [])]
        return params

    def collections_in_scope(self) -> list[str]:
        """What the role adds to its tasks' collection search: its own collection,
        then the ``collections`` of its ``meta/main.yml``."""
        own = self.metadata.get("collections") or []
        return ([self.collection] if self.collection else []) + ([own] if isinstance(own, str) else list(own))

    def get_name(self) -> str:
        return self.name

    @property
    def path(self) -> str:
        return self._role_path

    def main_file(self, subdir: str, name: str | None = None) -> str | None:
        """The file ``subdir/main.yml`` (or ``subdir/<name>[.yml]``) of this role."""
        base = os.path.join(self._role_path, subdir)
        names = [name, f"{name}.yml", f"{name}.yaml", f"{name}.json"] if name else list(_MAIN_NAMES)
        for candidate in names:
            path = os.path.join(base, candidate)
            if os.path.isfile(path):
                return path
        if os.path.isdir(os.path.join(base, "main")) and not name:
            return os.path.join(base, "main")
        return None

    def load_vars_file(self, loader: Any, subdir: str, name: str | None) -> dict[str, Any]:
        """Load ``defaults/main.yml`` or ``vars/main.yml`` (or the ``*_from`` file)."""
        path = self.main_file(subdir, name)
        if path is None:
            if name:
                raise CorralParserError(f"Could not find specified file in role: {subdir}/{name}")
            return {}
        files = sorted(os.path.join(path, f) for f in os.listdir(path)) if os.path.isdir(path) else [path]
        merged: dict[str, Any] = {}
        for file_path in files:
            data = loader.load_from_file(file_path) or {}
            if not isinstance(data, dict):
                raise CorralParserError(f"The vars file {file_path} must contain a mapping", obj=data)
            merged.update(data)
        return merged

    def __repr__(self) -> str:
        return f"ROLE({self.name})"
