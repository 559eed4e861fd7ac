"""Keywords shared by plays, blocks, roles and tasks, and how they inherit.

Each playbook object declares its keywords (name -> default).  Loading checks that
every key of the YAML mapping is a keyword (an unknown key is an error naming the
file and line).  ``get(name)`` returns the object's own value, else its parent's
(task -> block -> role -> play), for keywords that inherit.
"""
from __future__ import annotations

import builtins
import itertools
import os
from typing import Any, ClassVar

from corral.errors import CorralError, CorralParserError

__all__ = ["Base", "INHERITED", "new_uuid", "check_keyword_shapes"]

_counter = itertools.count()
_PREFIX = os.urandom(6).hex()     # 48 random bits, as the head of a uuid4 (without importing uuid)


def new_uuid() -> str:
    """A unique id in Ansible's shape (``xxxxxxxx-xxxx-...``) for callbacks and events."""
    n = next(_counter)
    return f"{_PREFIX[:8]}-{_PREFIX[8:12]}-{n >> 48 & 0xffff:04x}-{n >> 32 & 0xffff:04x}-{n & 0xffffffff:012x}"


#: keywords whose value, when not set on an object, comes from its parent
INHERITED = frozenset({
    "become", "become_user", "become_method", "become_flags", "become_exe",
    "connection", "remote_user", "port", "environment", "no_log", "ignore_errors",
    "ignore_unreachable", "check_mode", "diff", "any_errors_fatal", "run_once",
    "delegate_to", "delegate_facts", "module_defaults", "throttle", "timeout",
    "collections", "debugger", "notify",
})

#: keywords every playbook object accepts (Ansible's "Base" and "Become" and "Conditional" ones)
COMMON_KEYWORDS: dict[str, Any] = {
    "name": None, "become": None, "become_user": None, "become_method": None,
    "become_flags": None, "become_exe": None, "connection": None, "remote_user": None,
    "port": None, "environment": None, "no_log": None, "vars": None, "tags": None,
    "check_mode": None, "diff": None, "ignore_errors": None, "ignore_unreachable": None,
    "any_errors_fatal": None, "collections": None, "module_defaults": None,
    "throttle": None, "timeout": None, "debugger": None, "run_once": None,
}


_RESERVED_NAMES = frozenset({"true", "false", "none", "True", "False", "None"})


def check_vars(variables: Any, owner: str, obj: Any = None) -> None:
    """Fail as ansible-core 2.21 does when the ``vars`` of ``owner`` (Ansible's name
    for the object: ``Play``, ``Task``, ``TaskInclude``, ``RoleInclude``...) are not a
    mapping (the list form is no longer accepted), or name an unusable variable."""
    if variables is not None and not isinstance(variables, dict):
        raise CorralParserError(f"Vars in a {owner} must be specified as a dictionary.",
                                obj=variables if hasattr(variables, "ansible_pos") else obj)
    check_var_names(variables, obj)


def check_var_names(variables: Any, obj: Any = None) -> None:
    """Fail, naming the variable and where it was defined, when a key of
    ``variables`` is not a usable variable name."""
    import keyword
    if not isinstance(variables, dict):
        return
    for name in variables:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) \
                or name in _RESERVED_NAMES:
            raise CorralError("Invalid variable name in vars: "
                                    f"'{name}' is not a valid variable name. Variable names must be strings starting "
                                    f"with a letter or underscore character, and contain only letters, numbers "
                                    f"and underscores.", obj=variables if hasattr(variables, "ansible_pos") else obj)


#: keywords whose value is one string (a list or a mapping there is a mistake)
_STRING_KEYWORDS = ("become_user", "become_method", "become_flags", "become_exe", "connection",
                    "remote_user", "delegate_to")


def check_keyword_shapes(ds: dict[str, Any]) -> None:
    """Refuse keyword values of the wrong shape while loading, with Ansible's words, instead
    of failing (or silently misbehaving) when a task runs."""
    tags = ds.get("tags")
    if tags is not None and not isinstance(tags, (str, list)):
        raise CorralError("tags must be specified as a list", obj=ds)
    for key in _STRING_KEYWORDS:
        value = ds.get(key)
        if isinstance(value, (dict, list)):
            kind = "mapping" if isinstance(value, dict) else "list"
            raise CorralParserError(f"The field '{key}' is supposed to be a string type, however the incoming "
                                    f"data structure is a {kind}", obj=ds)


class Base:
    """A playbook object made of keywords; ``_parent`` is where inherited keywords come from."""

    KEYWORDS: ClassVar[dict[str, Any]] = COMMON_KEYWORDS
    KIND: ClassVar[str] = "object"

    def __init__(self) -> None:
        self._attrs: dict[str, Any] = {}
        self._parent: Base | None = None
        self._ds: Any = None
        self._uuid = new_uuid()

    # -- loading ---------------------------------------------------------------------

    def _check_mapping(self, ds: Any) -> None:
        if not isinstance(ds, dict):
            raise CorralParserError(f"A {self.KIND} must be a mapping (a dictionary), got "
                                    f"{type(ds).__name__}: {ds!r}", obj=ds)

    def _load_keywords(self, ds: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
        check_keyword_shapes(ds)
        for key, value in ds.items():
            if key in skip:
                continue
            if key not in self.KEYWORDS:
                raise CorralParserError(f"'{key}' is not a valid attribute for a {self.KIND.capitalize()}",
                                        obj=ds)
            if key == "vars":
                check_vars(value, self.KIND.capitalize(), ds)
            self._attrs[key] = value

    # -- access ------------------------------------------------------------------------

    def get(self, name: str, default: Any = None) -> Any:
        """This object's value of keyword ``name``, inherited from the parents when unset."""
        value = self._attrs.get(name)
        if value is None and name in INHERITED and self._parent is not None:
            return self._parent.get(name, default)
        return default if value is None else value

    def set(self, name: str, value: Any) -> None:
        self._attrs[name] = value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        keywords = type(self).KEYWORDS
        if name in keywords:
            return self.get(name, keywords[name])
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    @property
    def ansible_pos(self) -> tuple[str, int, int] | None:
        return getattr(self._ds, "ansible_pos", None)

    def get_path(self) -> str:
        """``file:line`` where this object was defined, or ``""``."""
        pos = self.ansible_pos
        return f"{pos[0]}:{pos[1]}" if pos else ""

    # builtins.set: in this class's namespace, ``set`` is the method above
    def all_tags(self) -> builtins.set[str]:
        """The object's tags plus every ancestor's (tags inherit by union)."""
        tags: builtins.set[str] = set()
        node: Base | None = self
        while node is not None:
            own = node._attrs.get("tags")
            if own:
                if isinstance(own, str):
                    own = [t.strip() for t in own.split(",")]
                elif not isinstance(own, list):
                    own = [own]
                tags.update(str(t) for t in own)
            node = node._parent
        return tags

    def all_when(self) -> list[Any]:
        """Conditions of the ancestors (outermost first) and this object's own."""
        chain: list[Any] = []
        node: Base | None = self
        while node is not None:
            own = node._attrs.get("when")
            if own is not None and own != []:
                chain[:0] = own if isinstance(own, list) else [own]
            node = node._parent
        return chain

    def all_vars(self) -> list[dict[str, Any]]:
        """``vars`` of blocks and the task, outermost first (plays and roles excluded:
        the variable manager adds those at their own precedence)."""
        layers: list[dict[str, Any]] = []
        node: Base | None = self
        while node is not None and node.KIND in ("task", "block", "handler"):
            own = node._attrs.get("vars")
            if own:
                layers.insert(0, own)
            node = node._parent
        return layers
