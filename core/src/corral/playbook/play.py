"""Plays, and loading task lists: blocks, static imports and roles.

``Play().load(ds, variable_manager=, loader=)`` is the seed API.  Loading builds, for
each section (``pre_tasks``, ``roles`` + ``tasks``, ``post_tasks``), one implicit
block holding tasks and nested blocks; ``import_tasks`` and ``import_role`` are
expanded here (static), ``include_tasks``/``include_role`` stay tasks that the play
iterator expands per host (dynamic).
"""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any

from corral.config import boolean
from corral.errors import CorralError, CorralOptionsError, CorralParserError
from corral.playbook.base import COMMON_KEYWORDS, Base, check_vars
from corral.playbook.block import Block
from corral.playbook.role import ROLE_ENTRY_KEYWORDS, Role, find_role_path
from corral.playbook.task import Handler, Task, TraitsLookup, collections_in_scope

__all__ = ["Play", "PLAY_KEYWORDS", "LoadContext", "load_task_items", "load_role"]

PLAY_KEYWORDS: dict[str, Any] = {
    **COMMON_KEYWORDS,
    "hosts": None, "gather_facts": None, "gather_subset": None, "gather_timeout": None,
    "fact_path": None, "vars_files": None, "vars_prompt": None, "roles": None,
    "pre_tasks": None, "tasks": None, "post_tasks": None, "handlers": None, "strategy": None,
    "serial": None, "max_fail_percentage": None, "order": None, "force_handlers": None,
}

_IMPORT_KEYWORDS_DROPPED = ("name",)

#: the play's own keywords templated when it starts (with the play's variables: extra vars,
#: play vars, ``vars_files``, no host's), in the order ansible-core 2.21 templates them
_STARTUP_KEYWORDS = ("name", "hosts", "order", "strategy", "serial", "gather_facts", "max_fail_percentage",
                     "any_errors_fatal", "force_handlers")


@dataclasses.dataclass
class LoadContext:
    """What loading needs: the loader, the playbook's directory, role search paths,
    variables for templating static import names (play vars, extra vars), the
    traits of each action (``PluginManager.action_traits`` of the run's plugins: they
    decide, for one, which string arguments are free-form) and the run's plugins,
    whose content (``PluginManager.find_content``) may hold roles."""

    loader: Any
    basedir: str
    roles_path: list[str]
    static_vars: dict[str, Any]
    traits: TraitsLookup | None = None
    templar: Any = None
    #: the run's ``PluginManager``: roles named by collection are found through it
    plugins: Any = None
    seen_roles: dict[tuple[str, str], Role] = dataclasses.field(default_factory=dict)

    def template_name(self, value: Any, obj: Any) -> str:
        if self.templar is None or not isinstance(value, str) or "{" not in value:
            return str(value)
        try:
            return str(self.templar.template(value))
        except CorralError as exc:
            raise CorralParserError(f"Could not template the static import name '{value}': {exc.message}. "
                                    f"Use include_* for names that depend on host variables.", obj=obj) from exc


def _find_task_file(name: str, ctx: LoadContext, role: Role | None, file_dir: str | None,
                    obj: Any) -> str:
    candidates = []
    if os.path.isabs(name):
        candidates.append(name)
    else:
        if role is not None:
            candidates.append(os.path.join(role.path, "tasks", name))
            candidates.append(os.path.join(role.path, name))
        if file_dir:
            candidates.append(os.path.join(file_dir, name))
        candidates.append(os.path.join(ctx.basedir, name))
    for path in candidates:
        if os.path.isfile(path):
            return path
    # ansible-core's words, naming the file as the playbook's directory would hold it (no origin)
    missing = name if os.path.isabs(name) else os.path.join(ctx.basedir, name)
    raise CorralError(f"Unable to retrieve file contents. Could not find or access '{missing}' on the Ansible "
                      f"Controller: [Errno 2] No such file or directory: '{missing}' If you are using a module "
                      f"and expect the file to exist on the remote, see the remote_src option.")


def load_task_file(path: str, ctx: LoadContext, obj: Any = None) -> list[Any]:
    """Load a task file: a list of task mappings (empty file = no tasks)."""
    data = ctx.loader.load_from_file(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorralParserError(f"A task file must contain a list of tasks: {path}", obj=data if hasattr(
            data, "ansible_pos") else obj)
    return data


def load_task_items(ds: Any, parent: Base, ctx: LoadContext, role: Role | None = None,
                    file_dir: str | None = None, handler: bool = False) -> list[Any]:
    """Turn a YAML list of tasks into Task/Handler and Block objects under ``parent``."""
    if ds is None:
        return []
    if not isinstance(ds, list):
        raise CorralParserError("A list of tasks was expected here", obj=ds)
    items: list[Any] = []
    task_class = Handler if handler else Task
    for entry in ds:
        if not isinstance(entry, dict):
            raise CorralParserError(f"A task must be a mapping, got {type(entry).__name__}: {entry!r}",
                                    obj=ds)
        if "block" in entry:
            items.append(_load_block(entry, parent, ctx, role, file_dir, handler))
            continue
        task = task_class.load(entry, parent=parent, role=role, traits=ctx.traits)
        if ctx.plugins is not None:
            task.resolved_action = ctx.plugins.resolved_action(task.action_as_written, task.collections)
        if task.action == "import_tasks":
            items.append(_expand_import_tasks(task, ctx, role, file_dir, handler))
        elif task.action == "import_role":
            items.append(_expand_import_role(task, ctx, handler))
        else:
            items.append(task)
    return items


def _handler_keywords(keywords: dict[str, Any]) -> dict[str, Any]:
    """The keywords a role's handlers inherit from its ``roles:`` entry or ``import_role``
    task: all but its conditions and tags (a handler runs when notified)."""
    return {k: v for k, v in keywords.items() if k not in ("when", "tags")}


def _keywords_of(task: Task) -> dict[str, Any]:
    return {k: v for k, v in task._attrs.items() if k not in _IMPORT_KEYWORDS_DROPPED and v is not None
            and k in Block.KEYWORDS}


def _expand_import_tasks(task: Task, ctx: LoadContext, role: Role | None, file_dir: str | None,
                         handler: bool) -> Block:
    invalid = sorted(set(task.args) - {"_raw_params", "file"})
    if invalid:     # refused before the file is looked for, with ansible-core's words
        raise CorralParserError(f"Invalid options for import_tasks: {', '.join(invalid)}", obj=task._ds)
    name = task.args.get("_raw_params") or task.args.get("file")
    if not name:
        raise CorralParserError("import_tasks needs a file name", obj=task._ds)
    path = _find_task_file(ctx.template_name(name, task._ds), ctx, role, file_dir, task._ds)
    block = Block.implicit_for(task._parent, role=role, ds=task._ds)
    block._attrs.update(_keywords_of(task))
    block.block = load_task_items(load_task_file(path, ctx, task._ds), block, ctx, role,
                                  os.path.dirname(path), handler)
    return block


def _expand_import_role(task: Task, ctx: LoadContext, handler: bool) -> Block:
    entry = dict(task.args)
    name = entry.pop("name", None) or entry.pop("role", None)
    if not name:
        raise CorralParserError("import_role needs a role name", obj=task._ds)
    role = load_role(ctx.template_name(name, task._ds), role_params_of_include(entry.pop("vars", None) or {}, task),
                     ctx, task._ds, tasks_from=entry.get("tasks_from"), vars_from=entry.get("vars_from"),
                     defaults_from=entry.get("defaults_from"), handlers_from=entry.get("handlers_from"),
                     collections=task.collections)
    role.parent = task._role
    role.rolespec_validate = boolean(entry.get("rolespec_validate", True))
    block = Block.implicit_for(task._parent, role=role, ds=task._ds)
    block._attrs.update(_keywords_of(task))
    role.keywords = _handler_keywords(block._attrs)
    block.block = role_blocks(role, block, ctx)
    task_play = _play_of(task)
    if task_play is not None:
        task_play.register_role(role, ctx)
    return block


def role_params_of_include(params: dict[str, Any], task: Task) -> dict[str, Any]:
    """The parameters of a role that ``task`` (an ``include_role``/``import_role``)
    brings in: ``params``, then, inside a role, what that role passes on (as in
    ansible-core, the parent's parameters win)."""
    return {**params, **task._role.parent_role_params()} if task._role is not None else dict(params)


def _play_of(node: Base | None) -> "Play | None":
    while node is not None and not isinstance(node, Play):
        node = node._parent
    return node


def _load_block(ds: dict[str, Any], parent: Base, ctx: LoadContext, role: Role | None,
                file_dir: str | None, handler: bool) -> Block:
    block = Block()
    block._check_mapping(ds)
    block._ds = ds
    block._parent = parent
    block._role = role
    block._load_keywords(ds, skip=("block", "rescue", "always"))
    block.block = load_task_items(ds.get("block") or [], block, ctx, role, file_dir, handler)
    block.rescue = load_task_items(ds.get("rescue") or [], block, ctx, role, file_dir, handler)
    block.always = load_task_items(ds.get("always") or [], block, ctx, role, file_dir, handler)
    return block


class RoleNotFound(CorralError):
    """A role named in a play, a dependency or an ``include_role`` is nowhere to be found."""


def load_role(name: str, params: dict[str, Any], ctx: LoadContext, obj: Any, *,
              tasks_from: str | None = None, vars_from: str | None = None,
              defaults_from: str | None = None, handlers_from: str | None = None,
              collections: tuple[str, ...] = ()) -> Role:
    """Find and load role ``name`` with its variables and metadata: in the run's
    content first (a collection's role, ``ns.coll.role`` or a short name in one of
    ``collections``), else on the role path."""
    found = ctx.plugins.find_content("role", name, collections) if ctx.plugins is not None else None
    path = found.path if found is not None else find_role_path(name, [ctx.basedir, *ctx.roles_path])
    if path is None:
        why = ctx.plugins.content.not_found.get(name) if ctx.plugins is not None else None
        raise RoleNotFound(f"The role '{name}' was not found in: " + ":".join(
            os.path.abspath(os.path.expanduser(p))
            for p in [os.path.join(ctx.basedir, "roles"), *ctx.roles_path, ctx.basedir]) + (f". {why}" if why else ""),
            obj=obj)
    short = os.path.basename(os.path.normpath(path))
    if found is not None:       # a collection's role is shown by its full name, as in Ansible
        role = Role(f"{found.collection}.{short}" if found.collection else short, path)
        role.collection = found.collection
    else:
        # a role named by a path shows as its directory's name; one found under a roles
        # directory by a name with a slash (``nested/role``) shows as written, as in ansible-core
        as_path = os.path.isabs(os.path.expanduser(name)) or name.startswith(".")
        role = Role(short if as_path else name, path)
    if ctx.plugins is not None:
        ctx.plugins.content.add_role_dir(path)
    role.params = dict(params)
    role.tasks_from, role.handlers_from = tasks_from, handlers_from
    role.defaults = role.load_vars_file(ctx.loader, "defaults", defaults_from)
    role.vars = role.load_vars_file(ctx.loader, "vars", vars_from)
    meta_file = role.main_file("meta")
    if meta_file:
        meta = ctx.loader.load_from_file(meta_file) or {}
        if not isinstance(meta, dict):
            raise CorralParserError(f"The role metadata {meta_file} must be a mapping", obj=meta)
        role.metadata = meta
        role.allow_duplicates = bool(meta.get("allow_duplicates", False))
        for dep in meta.get("dependencies") or []:
            dep_name, dep_params, _ = split_role_entry(dep)
            loaded = load_role(dep_name, dep_params, ctx, dep, collections=tuple(role.collections_in_scope()))
            loaded.parent = role
            role.dependencies.append(loaded)
    role.load_argument_specs(ctx.loader)
    return role


def split_role_entry(entry: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """``(name, params, keywords)`` of a ``roles:`` entry (a string or a mapping)."""
    if isinstance(entry, str):
        return entry, {}, {}
    if not isinstance(entry, dict):
        raise CorralParserError(f"A role entry must be a name or a mapping, got {entry!r}", obj=entry)
    name = entry.get("role") or entry.get("name")
    if not name:
        raise CorralParserError("role definitions must contain a role name", obj=entry)
    params = {k: v for k, v in entry.items() if k not in ROLE_ENTRY_KEYWORDS and k != "name"}
    keywords = {k: v for k, v in entry.items() if k in ROLE_ENTRY_KEYWORDS and k not in ("role", "vars")}
    check_vars(entry.get("vars"), "RoleInclude", entry)
    params.update(entry.get("vars") or {})
    return str(name), params, keywords


def role_key(role: Role) -> tuple[str, str]:
    """What makes two uses of a role the same (then it runs once): path and parameters."""
    return (role.path, repr(sorted(role.params.items(), key=lambda kv: kv[0])))


def role_blocks(role: Role, parent: Block, ctx: LoadContext, handlers: bool = False) -> list[Any]:
    """The task (or handler) items of ``role``, dependencies first."""
    items: list[Any] = []
    for dep in role.dependencies:
        key = role_key(dep)
        if not handlers:
            if key in ctx.seen_roles and not dep.allow_duplicates:
                continue
            ctx.seen_roles[key] = dep
        dep_block = Block.implicit_for(parent, role=dep)
        dep_block.block = role_blocks(dep, dep_block, ctx, handlers)
        items.append(dep_block)
    path = role.main_file("handlers", role.handlers_from) if handlers else role.main_file("tasks", role.tasks_from)
    validation = None if handlers else role.validation_task()
    if path is not None or validation is not None:
        own = Block.implicit_for(parent, role=role)
        task_items = load_task_file(path, ctx) if path is not None else []
        own.block = load_task_items([validation, *task_items] if validation else task_items, own, ctx, role,
                                    os.path.dirname(path) if path is not None else role.path, handlers)
        items.append(own)
    return items


def _host_patterns(value: Any) -> Any:
    """A templated ``hosts``: a string stays one entry, a list gives its entries as
    strings (``[42]`` and ``["42"]`` name the same host)."""
    if isinstance(value, (list, tuple)):
        return [str(entry) for entry in value]
    return str(value)


def _templated(value: Any) -> bool:
    return isinstance(value, str) and "{" in value


#: the keys a ``vars_prompt`` entry may have
_PROMPT_KEYS = frozenset({"name", "prompt", "default", "private", "confirm", "encrypt", "salt", "salt_size",
                          "unsafe"})


def _check_vars_prompt(entries: Any) -> None:
    """Refuse, with Ansible's words, a ``vars_prompt`` entry that is not a mapping with
    a ``name`` and only the keys of :data:`_PROMPT_KEYS`."""
    for entry in [entries] if isinstance(entries, dict) else entries or ():
        if not isinstance(entry, dict) or not entry.get("name"):
            raise CorralParserError("Invalid vars_prompt data structure, missing 'name' key", obj=entry)
        for key in entry:
            if key not in _PROMPT_KEYS:
                raise CorralParserError(f"Invalid vars_prompt data structure, found unsupported key '{key}'",
                                        obj=entry)


def _check_play_keywords(ds: dict[str, Any]) -> None:
    """Refuse, while loading and with Ansible's words, play keywords of the wrong shape
    (ansible-core itself crashes on a bad ``serial``; corral names it)."""
    hosts = ds.get("hosts")
    if hosts is None or hosts == "" or hosts == []:
        raise CorralParserError("Hosts list cannot be empty. Please check your playbook", obj=ds)
    if not isinstance(hosts, (str, list)):
        raise CorralParserError("Hosts list must be a sequence or string. Please check your playbook.", obj=ds)
    for entry in hosts if isinstance(hosts, list) else ():
        if entry is None or isinstance(entry, (dict, list)):
            raise CorralParserError(f"Hosts list contains an invalid host value: '{entry}'", obj=ds)
    _check_vars_prompt(ds.get("vars_prompt"))
    vars_files = ds.get("vars_files")
    if vars_files is not None and not isinstance(vars_files, str):
        entries = vars_files if isinstance(vars_files, list) else [vars_files]
        for entry in entries:
            candidates = entry if isinstance(entry, list) else [entry]
            for candidate in candidates:
                if not isinstance(candidate, str):
                    raise CorralParserError(f"Invalid `vars_files` value of type '{type(candidate).__name__}'.",
                                            obj=ds)
    gather = ds.get("gather_facts")
    if gather is not None and not isinstance(gather, bool) and not _templated(gather):
        try:
            boolean(gather, strict=True)
        except CorralOptionsError:
            raise CorralParserError(f"Error processing keyword 'gather_facts': The value '{gather}' could not be "
                                    f"converted to 'bool'.", obj=ds) from None
    percent = ds.get("max_fail_percentage")
    if percent is not None and not _templated(percent):
        try:
            float(str(percent).strip().rstrip("%"))
        except ValueError:
            raise CorralParserError(f"Error processing keyword 'max_fail_percentage': The value '{percent}' could "
                                    f"not be converted to 'percent'.", obj=ds) from None
    serial = ds.get("serial")
    for size in (serial if isinstance(serial, list) else [serial] if serial is not None else []):
        text = str(size).strip()
        try:
            if not _templated(size):
                float(text[:-1]) if text.endswith("%") else int(text)
        except ValueError:
            raise CorralParserError(f"Error processing keyword 'serial': The value '{size}' could not be "
                                    f"converted to 'int' or a percentage.", obj=ds) from None


class Play(Base):
    """A play: hosts, variables, roles and task sections.  ``get_name()`` is the
    title of the ``PLAY [...]`` banner."""

    KEYWORDS = PLAY_KEYWORDS
    KIND = "play"

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, Block]] = []
        self.handlers: list[Handler] = []
        #: the roles the play names (``roles:``, ``import_role``, a public
        #: ``include_role``); their dependencies hang under them
        self.roles: list[Role] = []
        self._included_roles: list[Role] = []
        #: how many blocks of the ``tasks`` section hold the ``roles:`` (they come first)
        self._role_holders = 0
        self._basedir = "."
        self._variable_manager: Any = None
        self._loader: Any = None
        self._display_name: str | None = None
        self._prompted: dict[str, Any] | None = None
        #: the keywords of :data:`_STARTUP_KEYWORDS` as written (kept by ``post_validate``)
        self._written: dict[str, Any] | None = None
        #: the playbook file the play comes from ("" for a play built in code)
        self._file_name = ""

    @staticmethod
    def load(data: dict[str, Any], variable_manager: Any = None, loader: Any = None,
             vars: dict[str, Any] | None = None, basedir: str | None = None, plugins: Any = None) -> "Play":
        """Build a play from its mapping (seed API).  ``plugins`` (the run's
        ``PluginManager``) tells which actions take free-form arguments; without it,
        the installed plugins do."""
        play = Play()
        play._load(data, variable_manager, loader, vars, basedir, plugins)
        return play

    def get_variable_manager(self) -> Any:
        """The variable manager the play was loaded with (Ansible's API, callbacks use it)."""
        return self._variable_manager

    def _load(self, ds: Any, variable_manager: Any, loader: Any, extra: dict[str, Any] | None,
              basedir: str | None, plugins: Any) -> None:
        from corral.parsing.dataloader import DataLoader
        from corral.plugins.manager import PluginManager
        from corral.template import Templar
        self._check_mapping(ds)
        self._ds = ds
        self._load_keywords(ds, skip=("pre_tasks", "tasks", "post_tasks", "handlers", "roles", "user",
                                      "sudo", "sudo_user", "import_playbook"))
        if "user" in ds and "remote_user" not in ds:
            self._attrs["remote_user"] = ds["user"]
        if "hosts" not in ds:
            raise CorralParserError("the field 'hosts' is required but was not set", obj=ds)
        _check_play_keywords(ds)
        if extra:
            self._attrs["vars"] = {**(self._attrs.get("vars") or {}), **extra}
        self._loader = loader or DataLoader()
        self._variable_manager = variable_manager
        self._basedir = basedir or self._loader.get_basedir()
        static_vars = dict(self._attrs.get("vars") or {})
        if variable_manager is not None:
            static_vars.update(variable_manager.extra_vars)
        roles_path = list(getattr(variable_manager, "roles_path", None) or [])
        plugins = plugins or PluginManager()
        ctx = LoadContext(self._loader, os.path.abspath(self._basedir), roles_path, static_vars,
                          plugins.action_traits, plugins=plugins)
        ctx.templar = Templar(self._loader, static_vars)
        name = self._attrs.get("name")
        if isinstance(name, str) and "{" in name:
            try:
                self._display_name = str(ctx.templar.template(name))
            except CorralError:
                self._display_name = name
        self._compile(ds, ctx)

    def _compile(self, ds: dict[str, Any], ctx: LoadContext) -> None:
        pre = Block.implicit_for(self, ds=ds)
        pre.block = load_task_items(ds.get("pre_tasks"), pre, ctx)
        main = Block.implicit_for(self, ds=ds)
        for entry in ds.get("roles") or []:
            name, params, keywords = split_role_entry(entry)
            # *_from options belong to include_role/import_role; under roles: they are ignored
            role = load_role(name, params, ctx, entry, collections=collections_in_scope(self))
            role.rolespec_validate = boolean(keywords.get("rolespec_validate", True))
            if not self.register_role(role, ctx):
                continue
            holder = Block.implicit_for(main, role=role, ds=entry)
            holder._attrs.update({k: v for k, v in keywords.items() if k in Block.KEYWORDS})
            role.keywords = _handler_keywords(holder._attrs)
            holder.block = role_blocks(role, holder, ctx)
            main.block.append(holder)
        self._role_holders = len(main.block)
        main.block.extend(load_task_items(ds.get("tasks"), main, ctx))
        post = Block.implicit_for(self, ds=ds)
        post.block = load_task_items(ds.get("post_tasks"), post, ctx)
        self.sections = [("pre_tasks", pre), ("tasks", main), ("post_tasks", post)]
        handler_block = Block.implicit_for(self, ds=ds)
        for role in self.roles:
            role_handlers = Block.implicit_for(handler_block, role=role)
            role_handlers._attrs.update(role.keywords)
            role_handlers.block = role_blocks(role, role_handlers, ctx, handlers=True)
            handler_block.block.append(role_handlers)
        handler_block.block.extend(load_task_items(ds.get("handlers"), handler_block, ctx, handler=True))
        self.handlers = [t for t in _flatten(handler_block.block) if isinstance(t, Handler)]

    def register_role(self, role: Role, ctx: LoadContext) -> bool:
        """Record a role of this play; ``False`` when an identical one already ran
        (same name and parameters) and duplicates are not allowed."""
        key = role_key(role)
        if key in ctx.seen_roles and not role.allow_duplicates:
            return False
        ctx.seen_roles[key] = role
        self.roles.append(role)
        return True

    def post_validate(self, templar: Any) -> None:
        """Template the play's own keywords (``hosts``, ``order``, ``strategy``, ``serial``,
        ``gather_facts``, ...) with ``templar`` (the play's variables), as ansible-core
        does when a play starts; each start templates the keywords as written again.

        An unnamed play is named after its ``hosts``: a string is templated (a list
        result shows as a Python list), a list is joined with commas as written.  A
        template that fails is a :class:`CorralParserError` naming the keyword."""
        if self._written is None:
            self._written = {key: self._attrs.get(key) for key in _STARTUP_KEYWORDS}
        written = self._written
        for key in _STARTUP_KEYWORDS:
            value = written[key]
            if key == "name" and not value:
                hosts = written["hosts"]
                if not isinstance(hosts, str):
                    self._display_name = ",".join(str(h) for h in hosts or [])
                    continue
                self._display_name = str(self._template_keyword(templar, key, hosts))
                continue
            if value is None:
                continue
            templated = self._template_keyword(templar, key, value)
            if key == "hosts":
                templated = _host_patterns(templated)
            elif key == "name":
                self._display_name = str(templated)
            self._attrs[key] = templated

    @staticmethod
    def _template_keyword(templar: Any, key: str, value: Any) -> Any:
        try:
            return templar.template(value)
        except CorralError as exc:
            raise CorralParserError(f"Error processing keyword '{key}': {exc.message}", obj=value) from exc

    # -- accessors ------------------------------------------------------------------

    def prompt_entries(self) -> list[dict[str, Any]]:
        """The play's ``vars_prompt`` entries; one mapping stands for a list of one, as in
        Ansible (their shape was checked when the play was loaded)."""
        entries = self._attrs.get("vars_prompt") or []
        return [entries] if isinstance(entries, dict) else list(entries)

    def prompted_vars(self, extra_vars: dict[str, Any],
                      announce: Callable[[dict[str, Any]], None] | None = None,
                      templar: Any = None) -> dict[str, Any]:
        """Values of ``vars_prompt`` (asked once per play): an extra var of the same
        name wins; with a terminal the user is asked, without one the default is used
        (``"None"`` without a default, as in Ansible).  ``announce`` is called with each
        entry about to be asked (the run sends ``v2_playbook_on_vars_prompt`` with it).
        With ``templar`` (over the play's variables) ``prompt`` and ``default`` are templated, and
        ``encrypt`` hashes the answer with the run's ``password_hash`` filter (``salt``,
        ``salt_size``)."""
        if self._prompted is not None:
            return self._prompted
        from corral.display import Display
        from corral.utils.unsafe import wrap_unsafe
        values: dict[str, Any] = {}
        display = None
        for entry in self.prompt_entries():
            name = str(entry["name"])
            if name in extra_vars:
                continue
            if announce is not None:
                announce(entry)
            display = display or Display()
            default, prompt = entry.get("default"), entry.get("prompt")
            if templar is not None:
                default, prompt = templar.template(default), templar.template(prompt)
            value = display.do_var_prompt(name, private=boolean(entry.get("private", True)),
                                          prompt=prompt, confirm=boolean(entry.get("confirm", False)),
                                          default=None if default is None else str(default))
            if entry.get("encrypt") and templar is not None:
                value = templar.copy_with_new_vars({
                    "value": wrap_unsafe(value), "scheme": entry["encrypt"], "salt": entry.get("salt"),
                    "salt_size": entry.get("salt_size")}).template(
                    "{{ value | password_hash(scheme, salt, salt_size=salt_size) }}")
            values[name] = wrap_unsafe(value) if boolean(entry.get("unsafe", False)) else value
        self._prompted = values
        return values

    def get_name(self) -> str:
        if self._display_name is not None:
            return self._display_name
        name = self._attrs.get("name")
        if name:
            return str(name)
        return self.host_pattern

    @property
    def hosts(self) -> list[str]:
        """The ``hosts`` patterns as a list, as Ansible gives them: a string as written
        is one entry (``"a,b"`` -> ``["a,b"]``)."""
        hosts = self._attrs.get("hosts")
        if isinstance(hosts, list):
            return [str(h) for h in hosts]
        return [str(hosts)] if hosts else []

    @property
    def host_pattern(self) -> str:
        """The ``hosts`` patterns joined with commas (what ``--list-hosts`` shows)."""
        return ",".join(self.hosts)

    @property
    def name(self) -> str:
        """The play's name; the host pattern when it has none (as Ansible sets it)."""
        return self.get_name()

    @property
    def serial(self) -> list[Any]:
        """The ``serial`` batch sizes as a list (``[]`` when unset)."""
        serial = self._attrs.get("serial")
        if serial is None:
            return []
        return list(serial) if isinstance(serial, list) else [serial]

    @property
    def vars(self) -> dict[str, Any]:
        return self.get_vars()

    def get_roles(self) -> list[Role]:
        return list(self.roles)

    def note_included_role(self, role: Role) -> None:
        """Record a role run by ``include_role`` (each time it runs): it is one of
        :meth:`role_names`."""
        self._included_roles.append(role)

    def role_names(self) -> list[str]:
        """``ansible_play_role_names``: the roles the play names (``roles:``,
        ``import_role``), then each ``include_role`` that ran, once per run; not
        their dependencies."""
        static = [r.get_name() for r in self.roles if not any(r is i for i in self._included_roles)]
        return static + [r.get_name() for r in self._included_roles]

    def dependent_role_names(self) -> list[str]:
        """``ansible_dependent_role_names``: every role reached through ``meta``
        dependencies of :meth:`role_names`' roles (each name once)."""
        names: dict[str, None] = {}
        pending = [dep for role in [*self.roles, *self._included_roles] for dep in role.dependencies]
        while pending:
            dep = pending.pop(0)
            if dep.get_name() not in names:
                names[dep.get_name()] = None
                pending.extend(dep.dependencies)
        return list(names)

    def get_vars(self) -> dict[str, Any]:
        return dict(self._attrs.get("vars") or {})

    def static_tasks(self) -> list[Task]:
        """Every static task of the play in order, roles' included (for ``--list-tasks``)."""
        return [t for _, block in self.sections for t in _flatten([block])]

    def get_tasks(self) -> list[Any]:
        """Ansible's shape of ``pre_tasks``, ``tasks`` and ``post_tasks`` (not the
        ``roles:``): one list per block, a run of plain tasks being one implicit block,
        an explicit block giving its ``block``, ``rescue`` and ``always`` items."""
        found: list[Any] = []
        for section, holder in self.sections:
            run: list[Any] = []
            for item in holder.block[self._role_holders:] if section == "tasks" else holder.block:
                if isinstance(item, Block):
                    if run:
                        found.append(run)
                        run = []
                    found.append(item.block + item.rescue + item.always)
                else:
                    run.append(item)
            if run:
                found.append(run)
        return found

    def __repr__(self) -> str:
        return f"PLAY: {self.get_name()}"


def _flatten(items: list[Any]) -> list[Task]:
    out: list[Task] = []
    for item in items:
        if isinstance(item, Block):
            out.extend(_flatten(item.block + item.rescue + item.always))
        else:
            out.append(item)
    return out
