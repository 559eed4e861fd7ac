"""What the user asked for: collection and role requirements from the command line
and from ``requirements.yml``, in ansible-galaxy's forms.

Collections (a command-line argument, or an entry of ``collections:``)::

    ns.name  ns.name:>=1.0,<2.0  ./ns-name-1.0.0.tar.gz  ./checkout/  git+https://host/repo.git,v1.0
    - name: ns.name            # or a path / URL, with type: file | dir | subdirs | url | git
      version: ">=1.0"
      source: https://galaxy.example.com/api/   # a server URL or a [galaxy_server.NAME]
      type: galaxy

Roles (an argument ``src[,version[,name]]``, or an entry of ``roles:`` / an old-style
top-level list)::

    - src: git+https://host/role.git   # or https://.../role.tar.gz, a local tarball, ns.role
      scm: git
      version: v1.0
      name: my_role
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from corral_cli_galaxy.versions import ConstraintError, validate_constraint

__all__ = ["RequirementError", "CollectionRequirement", "RoleRequirement", "parse_collection_arg",
           "collection_requirement", "role_requirement", "parse_role_arg", "read_requirements_file"]

_TYPES = ("galaxy", "file", "dir", "subdirs", "url", "git")


class RequirementError(Exception):
    """A requirement that cannot be understood; the message says which and why."""


@dataclass(frozen=True)
class CollectionRequirement:
    """One requested collection: ``name`` (``ns.name`` for Galaxy, else the path or
    URL), ``version`` (a constraint, or a git ref for ``git``), ``type`` and
    ``source`` (a server for ``galaxy``)."""

    name: str
    version: str = "*"
    type: str = "galaxy"
    source: str | None = None

    @property
    def concrete(self) -> bool:
        """Whether this names one artifact (a file, directory, URL or git checkout)
        rather than a range of versions on a server."""
        return self.type != "galaxy"

    def label(self) -> str:
        return f"{self.name}:{self.version}"


@dataclass(frozen=True)
class RoleRequirement:
    """One requested role: ``src`` (a URL, git URL, tarball path or Galaxy name),
    ``scm`` (``git`` or ``None``), ``version`` and the ``name`` to install it under."""

    src: str
    name: str
    scm: str | None = None
    version: str | None = None


def _guess_type(name: str) -> str:
    if name.startswith("git+"):
        return "git"
    if name.startswith(("http://", "https://", "ftp://")):
        return "url"
    path = os.path.expanduser(name)
    if os.path.isfile(path):
        return "file"
    if os.path.isdir(path):
        has_meta = any(os.path.isfile(os.path.join(path, f)) for f in ("galaxy.yml", "galaxy.yaml", "MANIFEST.json"))
        return "dir" if has_meta else "subdirs"
    return "galaxy"


def collection_requirement(name: str, version: Any = None, type_: str | None = None,
                           source: str | None = None) -> CollectionRequirement:
    """A checked :class:`CollectionRequirement` (``type_`` guessed from ``name`` when unset)."""
    name = str(name).strip()
    kind = type_ or _guess_type(name)
    if kind not in _TYPES:
        raise RequirementError(f"The collection requirement entry key 'type' must be one of {', '.join(_TYPES)}, "
                               f"got '{kind}'")
    version_text = "*" if version in (None, "") else str(version)
    if kind == "galaxy":
        if name.count(".") != 1 or not all(part.isidentifier() for part in name.split(".")):
            raise RequirementError(f"Neither the collection requirement entry key 'name', nor 'source' point to a "
                                   f"concrete resolvable collection artifact. Also 'name' is not an FQCN. A valid "
                                   f"collection name must be in the format <namespace>.<collection>. Please make "
                                   f"sure that the namespace and the collection name contain characters from "
                                   f"[a-zA-Z0-9_] only. Got '{name}'")
        try:
            validate_constraint(version_text)
        except ConstraintError as exc:
            raise RequirementError(f"{exc} for {name}") from exc
    elif kind in ("file", "dir", "subdirs"):
        name = os.path.abspath(os.path.expanduser(name)) if not name.startswith("file://") else name[7:]
    return CollectionRequirement(name, version_text, kind, source)


def parse_collection_arg(arg: str) -> CollectionRequirement:
    """A command-line collection argument (see the module docstring)."""
    if arg.startswith("git+") or "://" in arg:
        base, _, ref = arg.partition(",") if arg.startswith("git+") else (arg, "", "")
        return collection_requirement(base, ref or None)
    if os.path.exists(os.path.expanduser(arg)):
        return collection_requirement(arg)
    name, _, constraint = arg.partition(":")
    return collection_requirement(name, constraint or None)


def _role_name_from_src(src: str) -> str:
    """The role name ansible-galaxy derives from a source: a Galaxy name or a file
    name as given (a path's last component: the role goes inside the roles path,
    never elsewhere); the last URL segment without ``.git``/``.tar.gz``/``,version``."""
    if "://" not in src and "@" not in src:
        return os.path.basename(src.rstrip("/")) or src
    tail = src.rstrip("/").split("/")[-1].split(",")[0]
    for suffix in (".tar.gz", ".tgz", ".tar", ".git"):
        if tail.endswith(suffix):
            return tail[: -len(suffix)]
    return tail


def role_requirement(entry: Any) -> RoleRequirement:
    """A :class:`RoleRequirement` from a requirements entry (a string or a mapping)."""
    if isinstance(entry, str):
        return parse_role_arg(entry)
    if not isinstance(entry, dict):
        raise RequirementError(f"Invalid role requirement: {entry!r}")
    src = entry.get("src") or entry.get("role") or entry.get("name")
    if not src:
        raise RequirementError(f"Role requirement has no src or name: {entry!r}")
    src = str(src)
    scm = entry.get("scm")
    if src.startswith("git+"):
        src, scm = src[4:], "git"
    version = entry.get("version")
    name = entry.get("name") if entry.get("src") else None
    return RoleRequirement(src, str(name or _role_name_from_src(src)), scm,
                           None if version in (None, "") else str(version))


def parse_role_arg(arg: str) -> RoleRequirement:
    """A command-line role argument ``src[,version[,name]]``."""
    parts = [part.strip() for part in arg.split(",")]
    src, version, name = parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None
    scm = None
    if src.startswith("git+"):
        src, scm = src[4:], "git"
    return RoleRequirement(src, name or _role_name_from_src(src), scm, version or None)


def read_requirements_file(path: str) -> tuple[list[CollectionRequirement], list[RoleRequirement]]:
    """``(collections, roles)`` requested by the requirements file ``path``: a mapping
    with ``collections:``/``roles:``, or the old top-level list of roles."""
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise RequirementError(f"The requirements file '{path}' does not exist.") from exc
    except yaml.YAMLError as exc:
        raise RequirementError(f"Failed to parse the requirements yml at '{path}' with the following error:\n"
                               f"{exc}") from exc
    if data is None:
        raise RequirementError(f"No requirements found in file '{path}'")
    if isinstance(data, list):
        return [], [role_requirement(entry) for entry in data]
    if not isinstance(data, dict) or not set(data) & {"collections", "roles"}:
        raise RequirementError(f"Expecting requirements file to be a dict with the key 'collections' that "
                               f"contains a list of collections to install (in '{path}')")
    collections = []
    for entry in data.get("collections") or []:
        if isinstance(entry, str):
            collections.append(parse_collection_arg(entry))
            continue
        if not isinstance(entry, dict) or "name" not in entry:
            raise RequirementError(f"Collections requirement entry should contain the key 'name', got {entry!r}")
        collections.append(collection_requirement(str(entry["name"]), entry.get("version"), entry.get("type"),
                                                  entry.get("source")))
    roles = [role_requirement(entry) for entry in data.get("roles") or []]
    return collections, roles
