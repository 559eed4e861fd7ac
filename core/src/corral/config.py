"""Configuration: ``corral.cfg`` / ``ansible.cfg`` files and environment variables.

Precedence, highest first: the command line (applied by the CLIs), ``CORRAL_<NAME>``,
``ANSIBLE_<NAME>``, the corral config file, the Ansible config file, the default.
Config files are searched as Ansible does: ``$CORRAL_CONFIG`` / ``$ANSIBLE_CONFIG``,
then ``./corral.cfg`` / ``./ansible.cfg``, ``~/.corral.cfg`` / ``~/.ansible.cfg``,
``/etc/corral/corral.cfg`` / ``/etc/ansible/ansible.cfg``; the first corral file
and the first Ansible file found are read.  Key names are Ansible's.

A config file can run code (``vault_password_file`` may be a script), so, as in
Ansible, one in the current directory is ignored when that directory is world
writable (any local user could have put it there); ``Config.warnings`` says so.
``$CORRAL_CONFIG`` / ``$ANSIBLE_CONFIG`` naming such a file is an explicit choice
and still honoured.
"""
from __future__ import annotations

import dataclasses
import os
import stat
from typing import TYPE_CHECKING, Any, Callable, Mapping

from corral.errors import CorralOptionsError
from corral.plugins.inventory import DEFAULT_ENABLED_PLUGINS

if TYPE_CHECKING:
    import configparser

__all__ = ["Config", "SETTINGS", "Setting", "boolean"]

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", ""}
_UNSET = object()


def boolean(value: Any, strict: bool = False) -> bool:
    """Ansible's boolean conversion ("yes", "on", "1", True... are true)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE or not strict:
        return False
    raise CorralOptionsError(f"The value '{value}' is not a valid boolean")


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]


def _pathlist(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    parts: list[str] = []
    for chunk in str(value).split(","):
        parts += [p for p in chunk.split(os.pathsep) if p] if os.pathsep != "," else [chunk]
    return [os.path.expanduser(p.strip()) for p in parts if p.strip()]


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "str": lambda v: None if v is None else str(v),
    "int": int,
    "float": float,
    "bool": boolean,
    "list": _list,
    "pathlist": _pathlist,
    "path": lambda v: None if v in (None, "") else os.path.expanduser(str(v)),
}


@dataclasses.dataclass(frozen=True)
class Setting:
    """One configuration key: where it lives in the INI file, its environment
    variable suffix (``CORRAL_``/``ANSIBLE_`` + ``env``), type and default."""

    section: str
    key: str
    env: str
    type: str
    default: Any
    aliases: tuple[str, ...] = ()
    #: other environment variable suffixes read after ``env`` (Ansible's own name, when corral's differs)
    env_aliases: tuple[str, ...] = ()


SETTINGS: dict[str, Setting] = {
    "forks": Setting("defaults", "forks", "FORKS", "int", 5),
    "inventory": Setting("defaults", "inventory", "INVENTORY", "pathlist", ["/etc/ansible/hosts"],
                         ("hostfile",)),
    "stdout_callback": Setting("defaults", "stdout_callback", "STDOUT_CALLBACK", "str", "default"),
    "callbacks_enabled": Setting("defaults", "callbacks_enabled", "CALLBACKS_ENABLED", "list", [],
                                 ("callback_whitelist", "callbacks_whitelist")),
    "load_callback_plugins": Setting("defaults", "bin_ansible_callbacks", "LOAD_CALLBACK_PLUGINS", "bool", False),
    "host_key_checking": Setting("defaults", "host_key_checking", "HOST_KEY_CHECKING", "bool", True),
    "remote_user": Setting("defaults", "remote_user", "REMOTE_USER", "str", None),
    "remote_port": Setting("defaults", "remote_port", "REMOTE_PORT", "int", None),
    "private_key_file": Setting("defaults", "private_key_file", "PRIVATE_KEY_FILE", "path", None),
    "timeout": Setting("defaults", "timeout", "TIMEOUT", "int", 10),
    "duplicate_dict_key": Setting("defaults", "duplicate_dict_key", "DUPLICATE_YAML_DICT_KEY", "str", "warn"),
    "transport": Setting("defaults", "transport", "TRANSPORT", "str", "ssh"),
    "strategy": Setting("defaults", "strategy", "STRATEGY", "str", "linear"),
    "executor": Setting("defaults", "executor", "EXECUTOR", "str", "forking"),
    "connection_cache_size": Setting("defaults", "connection_cache_size", "CONNECTION_CACHE_SIZE", "int", 0),
    "gathering": Setting("defaults", "gathering", "GATHERING", "str", "implicit"),
    "gather_subset": Setting("defaults", "gather_subset", "GATHER_SUBSET", "list", ["all"]),
    "nocolor": Setting("defaults", "nocolor", "NOCOLOR", "bool", False),
    "force_color": Setting("defaults", "force_color", "FORCE_COLOR", "bool", False),
    "roles_path": Setting("defaults", "roles_path", "ROLES_PATH", "pathlist",
                          ["~/.ansible/roles", "/usr/share/ansible/roles", "/etc/ansible/roles"]),
    "interpreter_python": Setting("defaults", "interpreter_python", "PYTHON_INTERPRETER", "str", "auto"),
    "hash_behaviour": Setting("defaults", "hash_behaviour", "HASH_BEHAVIOUR", "str", "replace"),
    "inject_invocation": Setting("defaults", "inject_invocation", "INJECT_INVOCATION", "bool", False),
    "any_errors_fatal": Setting("defaults", "any_errors_fatal", "ANY_ERRORS_FATAL", "bool", False),
    "force_handlers": Setting("defaults", "force_handlers", "FORCE_HANDLERS", "bool", False),
    "error_on_undefined_vars": Setting("defaults", "error_on_undefined_vars", "ERROR_ON_UNDEFINED_VARS",
                                       "bool", True),
    "vault_password_file": Setting("defaults", "vault_password_file", "VAULT_PASSWORD_FILE", "path", None),
    "vault_identity_list": Setting("defaults", "vault_identity_list", "VAULT_IDENTITY_LIST", "list", []),
    "fact_caching": Setting("defaults", "fact_caching", "CACHE_PLUGIN", "str", "memory"),
    "fact_caching_connection": Setting("defaults", "fact_caching_connection", "CACHE_PLUGIN_CONNECTION",
                                       "path", None),
    "fact_caching_timeout": Setting("defaults", "fact_caching_timeout", "CACHE_PLUGIN_TIMEOUT", "int", 86400),
    "fact_caching_prefix": Setting("defaults", "fact_caching_prefix", "CACHE_PLUGIN_PREFIX", "str", ""),
    # ANSIBLE_REMOTE_TMP wins over ANSIBLE_REMOTE_TEMP, as in ansible-core
    "remote_tmp": Setting("defaults", "remote_tmp", "REMOTE_TMP", "str", "~/.ansible/tmp",
                          env_aliases=("REMOTE_TEMP",)),
    # the soft RLIMIT_NOFILE Python modules run with (0: unchanged); var ansible_python_module_rlimit_nofile
    "python_module_rlimit_nofile": Setting("defaults", "python_module_rlimit_nofile",
                                           "PYTHON_MODULE_RLIMIT_NOFILE", "int", 0),
    "local_tmp": Setting("defaults", "local_tmp", "LOCAL_TEMP", "path", "~/.ansible/tmp"),
    "allow_world_readable_tmpfiles": Setting("defaults", "allow_world_readable_tmpfiles",
                                             "SHELL_ALLOW_WORLD_READABLE_TEMP", "bool", False),
    "common_remote_group": Setting("defaults", "common_remote_group", "COMMON_REMOTE_GROUP", "str", None),
    "log_path": Setting("defaults", "log_path", "LOG_PATH", "path", None),
    "no_log": Setting("defaults", "no_log", "NO_LOG", "bool", False),
    "become": Setting("privilege_escalation", "become", "BECOME", "bool", False),
    "become_method": Setting("privilege_escalation", "become_method", "BECOME_METHOD", "str", "sudo"),
    "become_user": Setting("privilege_escalation", "become_user", "BECOME_USER", "str", "root"),
    "become_ask_pass": Setting("privilege_escalation", "become_ask_pass", "BECOME_ASK_PASS", "bool", False),
    "vars_plugins_enabled": Setting("defaults", "vars_plugins_enabled", "VARS_PLUGINS_ENABLED", "list",
                                    ["host_group_vars"], env_aliases=("VARS_ENABLED",)),
    "run_vars_plugins": Setting("defaults", "run_vars_plugins", "RUN_VARS_PLUGINS", "str", "demand"),
    "inventory_enable_plugins": Setting("inventory", "enable_plugins", "INVENTORY_ENABLED", "list",
                                        list(DEFAULT_ENABLED_PLUGINS)),
    "inventory_unparsed_failed": Setting("inventory", "unparsed_is_failed", "INVENTORY_UNPARSED_FAILED", "bool",
                                         False),
    "inventory_any_unparsed_failed": Setting("inventory", "any_unparsed_is_failed",
                                             "INVENTORY_ANY_UNPARSED_IS_FAILED", "bool", False),
    "pipelining": Setting("connection", "pipelining", "PIPELINING", "bool", True),
    "localhost_warning": Setting("defaults", "localhost_warning", "LOCALHOST_WARNING", "bool", True),
    # what inventories do with group names that are not variable names (corral.inventory.group_names)
    "transform_invalid_group_chars": Setting("defaults", "force_valid_group_names", "TRANSFORM_INVALID_GROUP_CHARS",
                                             "str", "never"),
}


def _world_writable(directory: str) -> bool:
    try:
        return bool(os.stat(directory).st_mode & stat.S_IWOTH)
    except OSError:
        return False


def _candidate_files(prefix: str, env: Mapping[str, str], cwd: str, warnings: list[str]) -> list[str]:
    """The files to try for ``prefix`` (``corral``/``ansible``), in order.  A file in
    a world-writable ``cwd`` is left out, with a warning appended to ``warnings``."""
    upper = prefix.upper()
    names = []
    if env.get(f"{upper}_CONFIG"):
        explicit = os.path.expanduser(env[f"{upper}_CONFIG"])
        names.append(os.path.join(explicit, f"{prefix}.cfg") if os.path.isdir(explicit) else explicit)
    local = os.path.join(cwd, f"{prefix}.cfg")
    explicit_found = bool(names) and os.path.isfile(names[0])  # then the cwd is never consulted
    if not explicit_found and os.path.isfile(local) and _world_writable(cwd):
        warnings.append(f"corral is being run in a world writable directory ({cwd}), ignoring its "
                        f"{prefix}.cfg as a config source: any local user could have written that file. To use it "
                        f"anyway, point {upper}_CONFIG at it (see docs/security.md).")
    else:
        names.append(local)
    names += [os.path.expanduser(f"~/.{prefix}.cfg"), f"/etc/{prefix}/{prefix}.cfg"]
    return names


def _read_first(candidates: list[str]) -> tuple[str | None, configparser.ConfigParser | None]:
    for path in candidates:
        if os.path.isfile(path):
            import configparser     # here: a run without a configuration file never needs it
            parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";", "#"))
            try:
                parser.read(path, encoding="utf-8")
            except configparser.Error as exc:
                raise CorralOptionsError(f"Error reading config file ({path}): {exc}") from exc
            return path, parser
    return None, None


class Config:
    """The settings of one run, read once.  ``get(name)`` returns a typed value;
    ``origin(name)`` says where it came from.  ``overrides`` (from the command line)
    win over everything.  ``warnings`` lists what the caller should show the user
    (a config file that was ignored, and why)."""

    def __init__(self, env: Mapping[str, str] | None = None, cwd: str | None = None,
                 overrides: Mapping[str, Any] | None = None) -> None:
        self._env = dict(os.environ if env is None else env)
        cwd = cwd or os.getcwd()
        self.warnings: list[str] = []
        self.corral_file, self._corral = _read_first(_candidate_files("corral", self._env, cwd, self.warnings))
        self.ansible_file, self._ansible = _read_first(_candidate_files("ansible", self._env, cwd, self.warnings))
        self._overrides = dict(overrides or {})
        self._cache: dict[str, tuple[Any, str]] = {}
        self._sections_cache: dict[str, Any] = {}

    @property
    def env(self) -> Mapping[str, str]:
        """The environment variables this configuration reads (taken when it was created);
        plugin options read theirs from it too."""
        return self._env

    @property
    def config_file(self) -> str | None:
        """The config file that was read first (corral's, else Ansible's)."""
        return self.corral_file or self.ansible_file

    def _raw(self, name: str, setting: Setting) -> tuple[Any, str]:
        if name in self._overrides and self._overrides[name] is not None:
            return self._overrides[name], "command line"
        for suffix in (setting.env, *setting.env_aliases):
            for prefix in ("CORRAL_", "ANSIBLE_"):
                var = prefix + suffix
                if var in self._env:
                    return self._env[var], f"env: {var}"
        for parser, path in ((self._corral, self.corral_file), (self._ansible, self.ansible_file)):
            if parser is None or not parser.has_section(setting.section):
                continue
            for key in (setting.key, *setting.aliases):
                if parser.has_option(setting.section, key):
                    return parser.get(setting.section, key), f"{path}"
        return setting.default, "default"

    def get(self, name: str) -> Any:
        """The typed value of setting ``name``."""
        if name not in self._cache:
            setting = SETTINGS.get(name)
            if setting is None:
                raise KeyError(f"unknown setting {name!r}")
            raw, origin = self._raw(name, setting)
            try:
                value = _CONVERTERS[setting.type](raw) if raw is not None else None
            except (TypeError, ValueError) as exc:
                raise CorralOptionsError(f"Invalid value '{raw}' for setting '{name}' ({origin}): "
                                         f"expected {setting.type}") from exc
            self._cache[name] = (value, origin)
        return self._cache[name][0]

    def origin(self, name: str) -> str:
        """Where the value of ``name`` came from."""
        self.get(name)
        return self._cache[name][1]

    def set(self, name: str, value: Any) -> None:
        """Override a setting (as the command line does)."""
        self._overrides[name] = value
        self._cache.pop(name, None)

    def section_value(self, section: str, key: str, default: Any = None) -> Any:
        """A raw value from the config files for keys without a declared setting
        (plugin options), corral's file first; looked up once per key (plugin options
        are resolved for every task)."""
        cache_key = f"[{section}] {key}"
        if cache_key not in self._sections_cache:
            self._sections_cache[cache_key] = next(
                (parser.get(section, key) for parser in (self._corral, self._ansible)
                 if parser is not None and parser.has_option(section, key)), _UNSET)
        value = self._sections_cache[cache_key]
        return default if value is _UNSET else value
