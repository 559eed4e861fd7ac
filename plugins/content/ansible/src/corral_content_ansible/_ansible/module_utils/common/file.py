"""``ansible.module_utils.common.file``: small file predicates and constants."""
from __future__ import annotations

import os
import stat

from corral.module_utils.file_attrs import ATTRIBUTE_NAMES

__all__ = ["is_executable", "format_attributes", "get_flags_from_attributes", "FILE_ATTRIBUTES",
           "S_IRANY", "S_IWANY", "S_IXANY", "S_IRWU_RWG_RWO", "S_IRWXU_RXG_RXO"]

S_IRANY = 0o0444
S_IWANY = 0o0222
S_IXANY = 0o0111
S_IRWU_RWG_RWO = 0o0666
S_IRWXU_RXG_RXO = 0o0755

#: ``lsattr`` letters and their names
FILE_ATTRIBUTES = ATTRIBUTE_NAMES


def is_executable(path: str) -> bool:
    """Whether ``path`` has an execute bit set (for anyone); the file is not opened."""
    return bool(os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))


def format_attributes(attributes: str) -> list[str]:
    """The names of the ``lsattr`` letters in ``attributes``."""
    return [FILE_ATTRIBUTES[letter] for letter in attributes if letter in FILE_ATTRIBUTES]


def get_flags_from_attributes(attributes: list[str]) -> str:
    """The ``lsattr`` letters of the attribute names in ``attributes``."""
    return "".join(letter for letter, name in FILE_ATTRIBUTES.items() if name in attributes)
