"""Plugin options: how any plugin declares its settings, and how the kernel resolves them.

Every kind of plugin declares its options the same way, in the spirit of Ansible's
``DOCUMENTATION``: a class attribute ``OPTIONS`` (name -> :class:`Option`), or an
Ansible-style ``DOCUMENTATION`` YAML string in the plugin's module whose ``options:``
entries list where a value may come from::

    options:
      container:
        description: The directory to run commands in.
        type: path
        required: true
        vars: [{name: ansible_host}, {name: ansible_chroot_dir}]
        env: [{name: ANSIBLE_CHROOT_DIR}]
        ini: [{section: chroot_connection, key: dir}]
        cli: [{name: chroot_dir}]
        keyword: [{name: chroot_dir}]

:func:`declared_options` collects a class's options (its bases' first, so a subclass
adds to or overrides what it inherits).  :func:`resolve_options` finds each option's
value with Ansible's precedence, highest first:

1. ``direct``: values the caller sets explicitly (``set_options(direct=...)``);
2. ``vars``: the host's variables (templated with ``template`` when given);
3. ``keyword``: task or play keywords (``remote_user``, ``port``, ...);
4. ``cli``: the run's command line (``--private-key`` is ``private_key_file``);
5. ``env``: environment variables; for each ``ANSIBLE_X`` entry ``CORRAL_X`` is
   read too and wins over it;
6. ``ini``: ``(section, key)`` in the configuration file (corral's, then Ansible's);
7. the declared ``default``.

Within one source, as in Ansible, when several listed names are set the *last*
listed one wins (so a plugin lists deprecated aliases first).  A value that is
``None`` counts as not set.  Values are converted to the option's ``type``; a value
that does not convert, is not among ``choices``, or a ``required`` option without a
value raises :class:`corral.errors.CorralOptionsError` naming the plugin, the option
and where the value came from.
"""
from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import yaml

from corral.errors import CorralOptionsError

__all__ = ["Option", "ResolvedOptions", "IniSource", "InvalidOptionValue", "declared_options",
           "options_from_documentation", "resolve_options", "convert_value"]

_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f", ""})
_MISSING = object()


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a valid boolean")


def _to_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)


def _to_path(value: Any) -> str:
    return os.path.abspath(os.path.expanduser(os.path.expandvars(str(value))))


def _to_pathlist(value: Any) -> list[str]:
    parts = value if isinstance(value, list) else \
        [p for chunk in str(value).split(",") for p in chunk.split(os.pathsep)]
    return [_to_path(p.strip()) for p in parts if str(p).strip()]


def _to_dict(value: Any) -> dict[Any, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        loaded = yaml.safe_load(value)
        if isinstance(loaded, dict):
            return loaded
    raise ValueError(f"{value!r} is not a dictionary")


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "bool": _to_bool, "boolean": _to_bool,
    "int": int, "integer": int,
    "float": float,
    "list": _to_list,
    "path": _to_path, "tmppath": _to_path, "tmp": _to_path, "temppath": _to_path,
    "pathlist": _to_pathlist, "pathspec": _to_pathlist,
    "dict": _to_dict, "dictionary": _to_dict,
    "str": str, "string": str,
}


def convert_value(value: Any, type_name: str) -> Any:
    """``value`` converted to the option type ``type_name`` (Ansible's type names:
    ``str``, ``bool``, ``int``, ``float``, ``list``, ``path``, ``pathlist``, ``dict``,
    ``raw``...).  ``None`` stays ``None``; an unknown type keeps the value as it is.
    Raises ``ValueError``/``TypeError`` when the value does not convert."""
    if value is None:
        return None
    converter = _CONVERTERS.get(type_name)
    return value if converter is None else converter(value)


@dataclasses.dataclass(frozen=True)
class Option:
    """One declared option of a plugin.

    ``env`` lists environment variable names (Ansible's: ``ANSIBLE_REMOTE_PORT``; the
    ``CORRAL_`` form of each is read too), ``ini`` ``(section, key)`` pairs of the
    configuration file, ``vars`` host variable names, ``cli`` names of command line
    settings, ``keywords`` task/play keyword names.  ``secret`` options (passwords)
    are never shown by ``corral-doc``/``repr``.
    """

    name: str
    default: Any = None
    type: str = "str"
    env: tuple[str, ...] = ()
    ini: tuple[tuple[str, str], ...] = ()
    vars: tuple[str, ...] = ()
    choices: tuple[Any, ...] = ()
    description: str = ""
    cli: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    required: bool = False
    secret: bool = False

    def convert(self, value: Any) -> Any:
        """``value`` converted to this option's type (strings from files and variables)."""
        try:
            return convert_value(value, self.type)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"option {self.name}: {exc}") from None


class IniSource(Protocol):
    """What :func:`resolve_options` reads configuration file values from
    (:class:`corral.config.Config` is one)."""

    def section_value(self, section: str, key: str, default: Any = None) -> Any: ...


class InvalidOptionValue(CorralOptionsError):
    """A value that does not convert to its option's type or is not among its
    ``choices``; ``option``, ``value`` and ``origin`` say which, what and from where."""

    def __init__(self, message: str, *, option: Option, value: Any, origin: str) -> None:
        super().__init__(message)
        self.option = option
        self.value = value
        self.origin = origin


def _names(entries: Any, field: str = "name") -> tuple[str, ...]:
    return tuple(str(e[field]) for e in entries or () if isinstance(e, dict) and field in e)


def _description(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(part) for part in value)
    return str(value or "")


def options_from_documentation(doc: str | Mapping[str, Any],
                               fragments: Mapping[str, Mapping[str, Option]] | None = None) -> dict[str, Option]:
    """The options an Ansible-style ``DOCUMENTATION`` (YAML text or parsed) declares.

    ``fragments`` maps documentation fragment names to the options they add (for
    ``extends_documentation_fragment``); the document's own options win over them,
    key by key (an entry with only ``version_added`` keeps the fragment's definition).
    Unreadable YAML declares nothing.
    """
    if isinstance(doc, str):
        try:
            data = yaml.safe_load(doc) or {}
        except yaml.YAMLError:
            return {}
    else:
        data = doc
    if not isinstance(data, Mapping):
        return {}
    found: dict[str, Option] = {}
    wanted = data.get("extends_documentation_fragment") or []
    for fragment in [wanted] if isinstance(wanted, str) else wanted:
        found.update((fragments or {}).get(fragment, {}))
    for name, spec in (data.get("options") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        ini = tuple((str(i.get("section", "defaults")), str(i["key"])) for i in spec.get("ini") or ()
                    if isinstance(i, dict) and "key" in i)
        choices = spec.get("choices") or ()
        option = Option(
            str(name), spec.get("default"), str(spec.get("type", "str")), _names(spec.get("env")), ini,
            _names(spec.get("vars")), tuple(choices), _description(spec.get("description")),
            _names(spec.get("cli")), _names(spec.get("keyword")), bool(spec.get("required", False)),
            bool(spec.get("secret", False)) or str(name) in ("password", "become_pass"))
        inherited = found.get(str(name))
        if inherited is not None:   # an entry naming a fragment's option changes only what it gives
            option = dataclasses.replace(inherited, **{field: getattr(option, field)
                                                       for key, field in _DOC_FIELDS.items() if key in spec})
        found[str(name)] = option
    return found


#: ``DOCUMENTATION`` option keys -> the :class:`Option` fields they set
_DOC_FIELDS = {"default": "default", "type": "type", "env": "env", "ini": "ini", "vars": "vars",
               "choices": "choices", "description": "description", "cli": "cli", "keyword": "keywords",
               "required": "required", "secret": "secret"}


def declared_options(cls: type) -> dict[str, Option]:
    """The options ``cls`` declares, with its bases' (a subclass adds or overrides).

    Each class in the MRO contributes its own ``OPTIONS`` mapping or, failing that,
    the ``options:`` of its module's ``DOCUMENTATION`` string.
    """
    import sys
    found: dict[str, Option] = {}
    for klass in reversed(cls.__mro__):
        own = klass.__dict__.get("OPTIONS")
        if own:
            found.update(own)
            continue
        if "OPTIONS" in klass.__dict__ or klass is object:
            continue
        doc = getattr(sys.modules.get(klass.__module__), "DOCUMENTATION", None)
        if isinstance(doc, str) and klass.__module__ != declared_options.__module__:
            found.update(options_from_documentation(doc, getattr(klass, "DOC_FRAGMENTS", None)))
    return found


class ResolvedOptions(dict[str, Any]):
    """A plugin's resolved options (name -> value); ``origin(name)`` says where each
    value came from (``default``, ``var: ansible_port``, ``env: CORRAL_TIMEOUT``,
    ``ini: [defaults] timeout``, ``cli: timeout``, ``keyword: port``, ``direct``)."""

    def __init__(self) -> None:
        super().__init__()
        self.origins: dict[str, str] = {}

    def origin(self, name: str) -> str:
        return self.origins[name]


def _last_set(container: Mapping[str, Any], names: tuple[str, ...]) -> tuple[Any, str | None]:
    value, origin = _MISSING, None
    for name in names:
        found = container.get(name)
        if found is not None:
            value, origin = found, name
    return value, origin


@functools.lru_cache(maxsize=1024)
def _env_names(names: tuple[str, ...]) -> tuple[str, ...]:
    expanded: list[str] = []
    for name in names:
        expanded.append(name)
        if name.startswith("ANSIBLE_"):
            expanded.append("CORRAL_" + name[len("ANSIBLE_"):])
    return tuple(expanded)


def _ini_value(ini: IniSource | Mapping[Any, Any] | None, section: str, key: str) -> Any:
    if ini is None:
        return _MISSING
    if hasattr(ini, "section_value"):
        return ini.section_value(section, key, _MISSING)
    if (section, key) in ini:
        return ini[(section, key)]
    if section == "defaults" and key in ini:
        return ini[key]
    return _MISSING


def _find(spec: Option, *, direct: Mapping[str, Any], variables: Mapping[str, Any],
          keywords: Mapping[str, Any], cli: Mapping[str, Any], env: Mapping[str, str],
          ini: IniSource | Mapping[Any, Any] | None,
          template: Callable[[Any], Any] | None) -> tuple[Any, str]:
    # a source is consulted only when the option lists names for it and it holds
    # anything: options are resolved for every task, most sources are empty
    if spec.name in direct:
        return direct[spec.name], "direct"
    if spec.vars and variables:
        value, name = _last_set(variables, spec.vars)
        if name is not None:
            return (template(value) if template is not None else value), f"var: {name}"
    if spec.keywords and keywords:
        value, name = _last_set(keywords, spec.keywords)
        if name is not None:
            return value, f"keyword: {name}"
    if spec.cli and cli:
        value, name = _last_set(cli, spec.cli)
        if name is not None:
            return value, f"cli: {name}"
    if spec.env:
        value, name = _last_set(env, _env_names(spec.env))
        if name is not None:
            return value, f"env: {name}"
    found: tuple[Any, str] | None = None
    if ini is not None:
        for section, key in spec.ini:
            raw = _ini_value(ini, section, key)
            if raw is not _MISSING and raw is not None:
                found = (raw, f"ini: [{section}] {key}")
    if found is not None:
        return found
    return spec.default, "default"


def resolve_options(specs: Mapping[str, Option], *, plugin: str = "plugin",
                    direct: Mapping[str, Any] | None = None,
                    variables: Mapping[str, Any] | None = None,
                    keywords: Mapping[str, Any] | None = None,
                    cli: Mapping[str, Any] | None = None,
                    env: Mapping[str, str] | None = None,
                    ini: IniSource | Mapping[Any, Any] | None = None,
                    template: Callable[[Any], Any] | None = None) -> ResolvedOptions:
    """Resolve every option in ``specs`` (see the module docstring for the precedence).

    ``plugin`` names the plugin in error messages (``"connection plugin 'ssh'"``);
    ``env`` defaults to ``os.environ``; ``template`` renders values taken from
    ``variables`` (the only source that may hold templates).  ``direct`` values
    for names that are not declared are kept as they are.
    """
    direct = direct or {}
    variables, keywords, cli = variables or {}, keywords or {}, cli or {}
    env = os.environ if env is None else env
    resolved = ResolvedOptions()
    for name, spec in specs.items():
        value, origin = _find(spec, direct=direct, variables=variables, keywords=keywords, cli=cli, env=env,
                              ini=ini, template=template)
        try:
            value = convert_value(value, spec.type)
        except (TypeError, ValueError):
            raise InvalidOptionValue(f"Invalid value {value!r} for option '{name}' of {plugin} "
                                     f"({origin}): expected {spec.type}", option=spec, value=value,
                                     origin=origin) from None
        if value is None and spec.required:
            sources = [f"variable {v}" for v in spec.vars] + [f"environment {e}" for e in spec.env] + \
                [f"[{s}] {k}" for s, k in spec.ini]
            raise CorralOptionsError(f"The required option '{name}' of {plugin} is not set"
                                     + (f" (set {', '.join(sources)})" if sources else ""))
        if spec.choices and value is not None and value not in spec.choices:
            raise InvalidOptionValue(f"Invalid value {value!r} for option '{name}' of {plugin} ({origin}): "
                                     f"expected one of {', '.join(map(str, spec.choices))}", option=spec,
                                     value=value, origin=origin)
        resolved[name] = value
        resolved.origins[name] = origin
    for name, value in direct.items():
        if name not in resolved:
            resolved[name] = value
            resolved.origins[name] = "direct"
    return resolved
