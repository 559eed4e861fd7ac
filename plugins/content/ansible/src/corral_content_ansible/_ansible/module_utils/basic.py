"""``ansible.module_utils.basic``: ``AnsibleModule`` and the helpers modules import beside it.

``AnsibleModule`` is corral's (:class:`corral.module_utils.basic.AnsibleModule`): the
same class whichever name a module imports it by, reading the arguments the payload
gave to :mod:`corral.module_utils.basic`.  The platform helpers
(``get_platform_subclass``, ``get_distribution``...) and the log sanitizers are
here.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils import basic as _basic
from corral.module_utils.basic import (FILE_COMMON_ARGUMENTS, AnsibleFallbackNotFound, AnsibleModule,
                                       env_fallback, human_to_bytes, missing_required_lib, remove_values)

from ansible.module_utils.common.file import is_executable
from ansible.module_utils.common.parameters import sanitize_keys
from ansible.module_utils.common.sys_info import (get_distribution, get_distribution_version,
                                                  get_platform_subclass)
from ansible.module_utils.common.text.converters import (container_to_bytes, container_to_text, jsonify,
                                                         to_bytes, to_native, to_text)
from ansible.module_utils.common.text.formatters import bytes_to_human, lenient_lowercase
from ansible.module_utils.common.validation import check_type_bool
from ansible.module_utils.parsing.convert_bool import BOOLEANS, BOOLEANS_FALSE, BOOLEANS_TRUE, boolean

__all__ = ["AnsibleModule", "AnsibleFallbackNotFound", "FILE_COMMON_ARGUMENTS", "env_fallback",
           "missing_required_lib", "remove_values", "heuristic_log_sanitize", "sanitize_keys",
           "get_distribution", "get_distribution_version", "get_platform", "get_platform_subclass",
           "load_platform_subclass", "get_all_subclasses", "get_module_path", "is_executable",
           "json_dict_bytes_to_unicode", "json_dict_unicode_to_bytes", "jsonify", "human_to_bytes",
           "bytes_to_human", "lenient_lowercase", "to_bytes", "to_native", "to_text", "boolean",
           "BOOLEANS", "BOOLEANS_TRUE", "BOOLEANS_FALSE", "SEQUENCETYPE", "PASSWD_ARG_RE", "json",
           "check_type_bool", "AVAILABLE_HASH_ALGORITHMS"]

# a module written for Ansible gets Ansible's results: file facts for a result's path
AnsibleModule.report_path_info = True

#: the digest algorithms of this Python, by name (``digest_from_file`` takes them)
AVAILABLE_HASH_ALGORITHMS = {name: getattr(hashlib, name) for name in hashlib.algorithms_guaranteed
                             if hasattr(hashlib, name)}

#: the sequence types modules test against (``isinstance(x, SEQUENCETYPE)``)
SEQUENCETYPE = frozenset, list, set, tuple

#: matches option names that look like passwords in free-form command lines
PASSWD_ARG_RE = r"^[-]{0,2}pass[-]?(word|wd)?"

json_dict_bytes_to_unicode = container_to_text
json_dict_unicode_to_bytes = container_to_bytes


def _load_params() -> dict[str, Any]:
    """The module's arguments as the payload gave them (``ANSIBLE_MODULE_ARGS``)."""
    return _basic._load_params()


def get_platform() -> str:
    """The target's system name (``Linux``, ``Darwin``...)."""
    return platform.system()


def get_all_subclasses(cls: type) -> list[type]:
    """Every subclass of ``cls``, recursively."""
    found: list[type] = []
    pending: list[type] = list(cls.__subclasses__())
    while pending:
        sub = pending.pop()
        if sub not in found:
            found.append(sub)
            pending.extend(sub.__subclasses__())
    return found


def load_platform_subclass(cls: Any, *args: Any, **kwargs: Any) -> Any:
    """An instance of the subclass of ``cls`` for this platform (see ``get_platform_subclass``)."""
    new_cls = get_platform_subclass(cls)
    return super(cls, new_cls).__new__(new_cls)


def get_module_path() -> str:
    """The directory of this file."""
    return os.path.dirname(os.path.realpath(__file__))


_URL_PASSWORD = re.compile(r"(?P<user>(?:\w+://)?[^\s:/@]+):(?P<password>[^\s@]+)@")


def heuristic_log_sanitize(data: str, no_log_values: Any = None) -> str:
    """``data`` with what looks like a password hidden: the password of a
    ``user:password@host`` in a URL becomes ``********``, and every value of
    ``no_log_values`` is hidden as :func:`remove_values` does."""
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('user')}:{'*' * 8}@", to_text(data))
    if no_log_values:
        text = remove_values(text, set(no_log_values))
    return text
