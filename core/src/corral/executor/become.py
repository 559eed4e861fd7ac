"""A task's privilege escalation, resolved on the controller from its become plugin.

The plugin named by the task's ``become_method`` declares its options
(:func:`corral.plugins.become.become_options` and its own); they are resolved here
with Ansible's precedence and carried, with the plugin class's importable
reference, in the :class:`corral.plugins.connection.Become` every connection
request of the task takes along.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from corral.errors import CorralOptionsError, CorralPluginError
from corral.plugins.become import plugin_reference
from corral.plugins.connection import Become
from corral.plugins.module import normalize_module_name
from corral.plugins.options import IniSource, declared_options, resolve_options

__all__ = ["resolve_become"]

#: options that are fields of ``Become``; the others go to ``Become.extra``
_FIELDS = {"become_user": "user", "become_pass": "password", "become_flags": "flags", "become_exe": "exe"}


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def resolve_become(plugins: Any, method: str, *, variables: Mapping[str, Any], keywords: Mapping[str, Any],
                   cli: Mapping[str, Any], ini: IniSource | None,
                   template: Callable[[Any], Any] | None = None) -> Become:
    """The ``Become`` of a task whose ``become_method`` is ``method`` (``sudo``, or
    ``ansible.builtin.sudo``: the standard prefixes are dropped).

    ``plugins`` is the run's plugin manager; ``variables`` the host's variables
    (values found there are rendered with ``template``); ``keywords`` the task's
    rendered ``become_user``/``become_exe``/``become_flags``; ``cli`` the run's
    ``become_user``/``become_pass``; ``ini`` the configuration.  Raises
    :class:`CorralOptionsError` when no become plugin provides ``method`` (naming
    the distribution that does, for a standard method) or an option is invalid.
    """
    method = normalize_module_name(method)
    try:
        cls = plugins.become_class(method)
    except CorralPluginError as exc:
        if method in plugins.names("become"):
            raise
        raise CorralOptionsError(f"Invalid become method specified, could not find matching plugin: "
                                 f"'{method}'. {exc.message}") from None
    resolved = resolve_options(declared_options(cls), plugin=f"become plugin '{method}'", variables=variables,
                               keywords={k: v for k, v in keywords.items() if v is not None},
                               cli={k: v for k, v in cli.items() if v is not None}, ini=ini, template=template)
    fields = {field: resolved.get(option) for option, field in _FIELDS.items()}
    extra = tuple(sorted((name, _hashable(value)) for name, value in resolved.items() if name not in _FIELDS))
    return Become(method=method, user=str(fields["user"] or "root"), password=fields["password"],
                  flags=fields["flags"], exe=fields["exe"], plugin=plugin_reference(cls), extra=extra)
