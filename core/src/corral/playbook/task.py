"""Tasks and handlers: which module or action to run, with which arguments and keywords."""
from __future__ import annotations

from keyword import iskeyword
from typing import Any, Callable

from corral.errors import CorralError, CorralParserError, CorralPluginError
from corral.parsing.splitter import parse_kv, split_args
from corral.playbook.base import COMMON_KEYWORDS, Base, check_keyword_shapes, check_vars
from corral.plugins.module import normalize_module_name
from corral.plugins.traits import LANGUAGE_TRAITS, ActionTraits

__all__ = ["Task", "Handler", "TASK_KEYWORDS", "TraitsLookup", "collections_in_scope"]

#: what loading asks for each task's action (the name as written, the collections in
#: scope): its traits (``PluginManager.action_traits``)
TraitsLookup = Callable[[str, tuple[str, ...]], ActionTraits]

#: the keywords an ``include_tasks``/``include_role`` task accepts
_INCLUDE_KEYWORDS = frozenset({"action", "args", "collections", "debugger", "ignore_errors", "loop",
                               "loop_control", "name", "no_log", "register", "run_once", "tags", "timeout",
                               "vars", "when"})

TASK_KEYWORDS: dict[str, Any] = {
    **COMMON_KEYWORDS,
    # the values a task's attributes have when unset, as Ansible's callbacks read them
    "name": "", "no_log": False, "check_mode": False, "become": False,
    "action": None, "args": None, "async": 0, "poll": 15, "changed_when": None,
    "failed_when": None, "delay": 5, "delegate_to": None, "delegate_facts": None,
    "loop": None, "loop_control": None, "notify": None, "register": None, "retries": None,
    "until": None, "when": None, "local_action": None,
}

#: the playbook language's include and import keywords: the loader and the play
#: iterator implement them, they are not plugins (see corral.plugins.traits)
INCLUDE_ACTIONS = frozenset({"include_tasks", "import_tasks", "include_role", "import_role",
                             "import_playbook", "include"})


class Task(Base):
    """One task.  ``action`` is the module or action name (prefixes such as
    ``ansible.builtin.`` removed), ``args`` its arguments (untemplated),
    ``loop_with`` the lookup of a ``with_<lookup>`` loop, ``_role`` the role it
    belongs to, ``collections`` the ``collections`` keyword in scope (innermost
    first: see :func:`collections_in_scope`), ``traits`` what its action declares
    about itself (resolved when the task is loaded, from the ``traits`` lookup given
    to :meth:`load`).

    A module name given as a template (``action: "{{ m }} msg=hi"``) is
    ``templated_action``: its name and traits are known only on a host, where
    :meth:`with_action` gives the task with the templated name."""

    KEYWORDS = TASK_KEYWORDS
    KIND = "task"

    def __init__(self) -> None:
        super().__init__()
        self.action: str = ""
        self.resolved_action: str = ""
        self.args: dict[str, Any] = {}
        self.loop_with: str | None = None
        self._role: Any = None
        self.traits = ActionTraits()
        self.collections: tuple[str, ...] = ()
        self.implicit = False
        #: the name as last shown in a banner (templated), when it differs from ``name``
        self.display_name: str | None = None
        #: the module name is a template, resolved per host (:meth:`with_action`)
        self.templated_action = False

    # -- loading -------------------------------------------------------------------

    @classmethod
    def load(cls, ds: Any, parent: Base | None = None, role: Any = None,
             traits: TraitsLookup | None = None) -> "Task":
        """Build a task from its YAML mapping; ``traits`` gives its action's traits
        (without it, only the language keywords have traits of their own)."""
        task = cls()
        task._check_mapping(ds)
        task._ds = ds
        task._parent = parent
        task._role = role
        task._parse(ds, traits or _language_traits)
        return task

    def _parse(self, ds: dict[str, Any], traits: TraitsLookup) -> None:
        check_keyword_shapes(ds)
        self._check_register(ds)
        control = ds.get("loop_control")
        if control is not None and not isinstance(control, dict):
            raise CorralParserError("the `loop_control` value must be specified as a dictionary and cannot be a "
                                    "variable itself (though it can contain variables)", obj=ds)
        candidates = []
        for key, value in ds.items():
            if key.startswith("with_"):
                if self.loop_with or "loop" in ds:
                    raise CorralParserError("The task has more than one loop keyword (loop, with_*)", obj=ds)
                self.loop_with = key[5:]
                self._attrs["loop"] = value
            elif key not in self.KEYWORDS:
                candidates.append(key)
            else:
                self._attrs[key] = value
        action_forms = [k for k in ("action", "local_action") if ds.get(k) is not None]
        if len(candidates) + len(action_forms) > 1:
            names = ", ".join(candidates + action_forms)
            raise CorralParserError(f"conflicting action statements: {names}", obj=ds)
        if action_forms:
            module, args = self._split_action(ds[action_forms[0]], ds)
            if action_forms[0] == "local_action":
                self._attrs["delegate_to"] = "localhost"
        elif candidates:
            module = candidates[0]
            args = ds[module]
        else:
            raise CorralParserError("no module/action detected in task.", obj=ds)
        self.action_as_written = str(module)
        self.action = normalize_module_name(str(module))
        self._check_include_keywords(ds)
        if self.action == "include":
            # not a parse error: a dynamically included file with it fails its include task
            raise CorralError("The 'ansible.builtin.include' action plugin has been removed. Use include_tasks or "
                              "import_tasks instead. This feature was removed from ansible-core in a release after "
                              "2023-05-16.", obj=ds)
        check_vars(ds.get("vars"), self._vars_owner(), ds)
        self.resolved_action = self.action
        self.collections = collections_in_scope(self)
        # only ``action:``/``local_action:`` may name the module with a template (a task key
        # that is a template names no module, as in ansible-core)
        self.templated_action = bool(action_forms) and ("{{" in self.action_as_written
                                                        or "{%" in self.action_as_written)
        if not self.templated_action:
            try:
                self.traits = traits(self.action_as_written, self.collections)
            except CorralPluginError as exc:    # a tombstoned or looping name: where the task names it
                raise CorralParserError(exc.message, obj=ds) from exc
        self.args = self._normalize_args(args, ds)
        extra = self._attrs.pop("args", None)
        if extra:
            if isinstance(extra, str):
                extra = parse_kv(extra)
            if not isinstance(extra, dict):
                raise CorralParserError("The 'args' keyword must be a mapping", obj=ds)
            self.args = {**self.args, **extra}
        if self.action in ("include_role", "import_role"):
            for key in ("tasks_from", "vars_from", "defaults_from", "handlers_from"):
                value = self.args.get(key)
                if value is not None and not isinstance(value, str):
                    raise CorralParserError(f"Expected a string for {key} but got {type(value)} instead", obj=ds)
        if self._attrs.get("action") is not None or self._attrs.get("local_action") is not None:
            self._attrs.pop("action", None)
            self._attrs.pop("local_action", None)

    def _check_include_keywords(self, ds: dict[str, Any]) -> None:
        """``include_tasks`` and ``include_role`` take only a few keywords (the others
        go in ``apply``): any other is refused at load time, with Ansible's words."""
        if self.action not in ("include_tasks", "include_role"):
            return
        for key in ds:
            if key not in _INCLUDE_KEYWORDS and key != self.action_as_written and not key.startswith("with_"):
                raise CorralParserError(f"'{key}' is not a valid attribute for a {self._vars_owner()}", obj=ds)

    def _vars_owner(self) -> str:
        """Ansible's class name for this task, as its errors about ``vars`` say it."""
        if self.action in ("include_role", "import_role"):
            return "IncludeRole"
        if self.action in ("include_tasks", "import_tasks"):
            return "HandlerTaskInclude" if self.KIND == "handler" else "TaskInclude"
        return self.KIND.capitalize()

    def with_action(self, name: str, traits: ActionTraits) -> "Task":
        """This task with its templated module name resolved to ``name`` (on one host):
        a copy whose action and ``traits`` are that action's.  Its arguments stay as
        they were parsed when loading, as ``key=value`` pairs (the module was not
        known then), as ansible-core parses them."""
        clone = self.copy_for(self._parent)
        clone.templated_action = False
        clone.action_as_written = name
        clone.action = clone.resolved_action = normalize_module_name(name)
        clone.traits = traits
        return clone

    @staticmethod
    def _check_register(ds: dict[str, Any]) -> None:
        """``register`` names a variable: refused at load time, as Ansible does."""
        name = ds.get("register")
        if name is None:
            return
        if not isinstance(name, str):
            shown = f"'{name}' " if isinstance(name, (int, float)) else ""
            kind = "list" if isinstance(name, list) else "dict" if isinstance(name, dict) else type(name).__name__
            raise CorralParserError(f"Invalid 'register' specified: Invalid variable name {shown}of type "
                                    f"'{kind}'.", obj=ds)
        if not name.isidentifier() or iskeyword(name):
            raise CorralParserError(f"Invalid 'register' specified: Invalid variable name '{name}'.", obj=ds)

    def _split_action(self, value: Any, ds: Any) -> tuple[str, Any]:
        if isinstance(value, dict):
            value = dict(value)
            module = value.pop("module", None)
            if module is None:
                raise CorralParserError("'action' as a mapping needs a 'module' key", obj=ds)
            args = value.pop("args", None)
            if args is None:
                args = value
            elif isinstance(args, dict):
                args = {**value, **args}
            return module, args
        # the module is the first word (a template is one word); the rest is the argument
        # string exactly as written
        text = str(value).lstrip()
        try:
            words = split_args(text)
        except CorralParserError as exc:
            raise CorralParserError(exc.message, obj=ds) from exc
        if not words:
            raise CorralParserError("no module/action detected in task.", obj=ds)
        module = words[0]
        rest = text[len(module):].lstrip()
        return module, rest or None

    def _normalize_args(self, args: Any, ds: Any) -> dict[str, Any]:
        if args is None:
            return {}
        if isinstance(args, dict):
            return dict(args)
        if isinstance(args, (str, int, float, bool)):
            try:
                return self._split_text(str(args))
            except CorralParserError as exc:
                if exc.position is not None:
                    raise
                raise CorralParserError(exc.message, obj=ds) from exc
        raise CorralParserError(f"The arguments of '{self.action}' must be a mapping or a string, "
                                f"got {type(args).__name__}", obj=ds)

    def _split_text(self, text: str) -> dict[str, Any]:
        keys = self.traits.free_form_keys
        return parse_kv(text, check_raw=keys is not None, raw_keys=keys)

    # -- Ansible's attribute types -------------------------------------------------------

    @property
    def tags(self) -> list[Any]:
        """The task's own ``tags`` as a list (``[]`` when unset), as Ansible's API gives them."""
        return _as_list(self._attrs.get("tags"))

    @property
    def when(self) -> list[Any]:
        """The task's own ``when`` conditions as a list (``[]`` when unset)."""
        return _as_list(self._attrs.get("when"))

    # -- presentation ------------------------------------------------------------------

    def get_name(self, include_role_fqcn: bool = True) -> str:
        """The title callbacks show: ``name``, else the action as written; ``role : ``
        in front for role tasks.  An unnamed ``include_role`` shows
        ``include_role : <role>`` (without the enclosing role's prefix)."""
        name = self.display_name or self._attrs.get("name")
        if not name:
            name = getattr(self, "action_as_written", None) or self.action
            role_name = self.args.get("name") or self.args.get("role")
            if self.action in ("include_role", "import_role") and role_name:
                return f"{name} : {role_name}"
        if self._role is not None:
            return f"{self._role.get_name()} : {name}"
        return str(name)

    def copy_for(self, parent: Base | None) -> "Task":
        """A shallow copy attached to another parent (dynamic includes)."""
        clone = type(self)()
        clone.__dict__.update(self.__dict__)
        clone._attrs = dict(self._attrs)
        clone._parent = parent
        return clone

    def __repr__(self) -> str:
        return f"TASK: {self.get_name()}"

    @property
    def is_include(self) -> bool:
        return self.action in INCLUDE_ACTIONS

    @property
    def async_val(self) -> int:
        return int(self._attrs.get("async") or 0)

    def serialize(self) -> dict[str, Any]:
        """The task's keywords as a plain dict (for callbacks and events)."""
        data = {k: v for k, v in self._attrs.items() if v is not None}
        data.update(action=self.action, args=self.args, uuid=self._uuid)
        return data


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _language_traits(action: str, collections: tuple[str, ...] = ()) -> ActionTraits:
    return LANGUAGE_TRAITS.get(normalize_module_name(action), ActionTraits())


def collections_in_scope(node: Any) -> tuple[str, ...]:
    """The ``collections`` keyword that applies to ``node`` (a task or block), innermost
    first: its own, its enclosing blocks', then for a role's tasks the role's own
    collection and its ``meta/main.yml`` ``collections``, then the play's; each name
    once.  Short module, action and role names are searched in these collections."""
    found: list[str] = []
    seen_roles: set[int] = set()
    while node is not None:
        role = getattr(node, "_role", None)
        own = node._attrs.get("collections")
        found.extend([own] if isinstance(own, str) else own or [])
        parent = node._parent
        if role is not None and id(role) not in seen_roles and getattr(parent, "_role", None) is not role:
            seen_roles.add(id(role))
            found.extend(role.collections_in_scope())
        node = parent
    return tuple(dict.fromkeys(str(name) for name in found))


class Handler(Task):
    """A task run only when notified, by ``name`` or by a ``listen`` topic."""

    KEYWORDS = {**TASK_KEYWORDS, "listen": None}
    KIND = "handler"

    def topics(self) -> set[str]:
        """Names this handler answers to: its name (with and without role prefix) and listen topics."""
        names: set[str] = set()
        own = self._attrs.get("name")
        if own:
            names.add(str(own))
            if self._role is not None:
                names.add(f"{self._role.get_name()} : {own}")
        listen = self._attrs.get("listen")
        if listen:
            names.update([listen] if isinstance(listen, str) else [str(x) for x in listen])
        return names
