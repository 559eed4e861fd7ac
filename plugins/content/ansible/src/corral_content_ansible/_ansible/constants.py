"""``ansible.constants``: configuration values plugins read as ``C.NAME``.

A name is looked up, when read, in the configuration of the run using Ansible
content (:func:`corral_content_ansible.run_state.config`; ``C.DEFAULT_TIMEOUT`` is the
``timeout`` setting, ``C.COLOR_OK`` the ``ok`` color...), then among the fixed
values below."""
from __future__ import annotations

from typing import Any

from corral.config import Config
from corral.display import COLOR_CODES, colors, env_flag
from corral.errors import CorralError
from corral_content_ansible import run_state

#: ANSI codes by color name (``C.COLOR_CODES[C.COLOR_OK]``)
COLOR_CODES = dict(COLOR_CODES)
BOOL_TRUE = frozenset(("y", "yes", "on", "1", "true", "t", 1, 1.0, True))
DEFAULT_PASSWORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-_"
MODULE_REQUIRE_ARGS = ("command", "win_command", "ansible.windows.win_command", "shell", "win_shell",
                       "ansible.windows.win_shell", "raw", "script")
MODULE_NO_JSON = ("command", "win_command", "ansible.windows.win_command", "shell", "win_shell",
                  "ansible.windows.win_shell", "raw")
INTERNAL_RESULT_KEYS = ("add_host", "add_group")
RESTRICTED_RESULT_KEYS = ("ansible_rsync_path", "ansible_playbook_python", "ansible_facts")
TREE_DIR = None
VAULT_VERSION_MIN = 1.0
VAULT_VERSION_MAX = 1.0
COLLECTION_PTYPE_COMPAT = {"module": "modules"}
IGNORE_FILES = ("~", ".orig", ".ini", ".cfg", ".retry")
LOCALHOST = ("127.0.0.1", "localhost", "::1")
YAML_FILENAME_EXTENSIONS = [".yml", ".yaml", ".json"]
DEFAULT_REMOTE_PORT = None
#: connection settings -> the variables that set them
MAGIC_VARIABLE_MAPPING = {
    "connection": ("ansible_connection",),
    "remote_addr": ("ansible_ssh_host", "ansible_host"),
    "remote_user": ("ansible_ssh_user", "ansible_user"),
    "password": ("ansible_ssh_pass", "ansible_password"),
    "port": ("ansible_ssh_port", "ansible_port"),
    "pipelining": ("ansible_ssh_pipelining", "ansible_pipelining"),
    "timeout": ("ansible_ssh_timeout", "ansible_timeout"),
    "private_key_file": ("ansible_ssh_private_key_file", "ansible_private_key_file"),
    "shell": ("ansible_shell_type",),
    "executable": ("ansible_shell_executable",),
    "become": ("ansible_become",),
    "become_method": ("ansible_become_method",),
    "become_user": ("ansible_become_user",),
    "become_pass": ("ansible_become_password", "ansible_become_pass"),
    "become_exe": ("ansible_become_exe",),
    "become_flags": ("ansible_become_flags",),
}
DOCUMENTABLE_PLUGINS = ("become", "cache", "callback", "cliconf", "connection", "httpapi", "inventory", "lookup",
                        "netconf", "shell", "vars", "module", "strategy", "test", "filter")

#: ``C.NAME`` -> the configuration setting it reads
_SETTINGS = {
    "DEFAULT_TIMEOUT": "timeout", "DEFAULT_FORKS": "forks", "DEFAULT_REMOTE_USER": "remote_user",
    "DEFAULT_PRIVATE_KEY_FILE": "private_key_file", "DEFAULT_BECOME": "become",
    "DEFAULT_BECOME_METHOD": "become_method", "DEFAULT_BECOME_USER": "become_user",
    "DEFAULT_LOCAL_TMP": "local_tmp", "DEFAULT_REMOTE_TMP": "remote_tmp", "DEFAULT_KEEP_REMOTE_FILES":
    "keep_remote_files", "DEFAULT_MODULE_NAME": "module_name", "DEFAULT_STDOUT_CALLBACK": "stdout_callback",
    "CALLBACKS_ENABLED": "callbacks_enabled", "HOST_KEY_CHECKING": "host_key_checking",
    "DEFAULT_HASH_BEHAVIOUR": "hash_behaviour", "DEFAULT_JINJA2_NATIVE": "jinja2_native",
    "DEFAULT_VAULT_IDENTITY_LIST": "vault_identity_list",
    "INVENTORY_ENABLED": "enable_plugins", "DEFAULT_LOG_PATH": "log_path", "DEFAULT_ROLES_PATH": "roles_path",
    "COLLECTIONS_PATHS": "collections_path", "COLLECTIONS_PATH": "collections_path",
    "DEFAULT_GATHERING": "gathering", "DEFAULT_POLL_INTERVAL": "poll_interval",
    "DEFAULT_TRANSPORT": "transport", "DEFAULT_EXECUTABLE": "executable", "ANSIBLE_NOCOLOR": "nocolor",
    "ANSIBLE_FORCE_COLOR": "force_color", "DEFAULT_NO_LOG": "no_log", "DEPRECATION_WARNINGS":
    "deprecation_warnings", "COMMAND_WARNINGS": "command_warnings", "SYSTEM_WARNINGS": "system_warnings",
}


#: ``C.NAME`` -> (the ``ANSIBLE_``/``CORRAL_`` environment name, default) of flags no
#: configuration setting of corral holds
_FLAGS = {"DISPLAY_ARGS_TO_STDOUT": ("DISPLAY_ARGS_TO_STDOUT", False),
          "SHOW_CUSTOM_STATS": ("SHOW_CUSTOM_STATS", False),
          "DISPLAY_OK_HOSTS": ("DISPLAY_OK_HOSTS", True),
          "DISPLAY_SKIPPED_HOSTS": ("DISPLAY_SKIPPED_HOSTS", True),
          "DISPLAY_FAILED_STDERR": ("DISPLAY_FAILED_STDERR", False)}


def __getattr__(name: str) -> Any:
    if name.startswith("COLOR_"):
        return colors().get(name[len("COLOR_"):].lower())
    if name in _FLAGS:
        env, default = _FLAGS[name]
        return env_flag(env, default)
    setting = _SETTINGS.get(name)
    if setting is None:
        raise AttributeError(f"ansible.constants has no setting {name} under corral")
    config = run_state.config() or Config()
    try:
        return config.get(setting)
    except (KeyError, CorralError):
        return None
