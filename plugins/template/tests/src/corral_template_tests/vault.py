"""Vault tests: ``vault_encrypted`` (a value), ``vaulted_file`` (a file)."""
from __future__ import annotations

import os
from typing import Any

from corral.parsing.vault import is_encrypted, is_vault_value
from corral_template_tests._checks import fail, strict, volatile

__all__ = ["vault_encrypted", "vaulted_file", "TESTS"]


@strict
def vault_encrypted(value: Any) -> bool:
    """The value is an inline ``!vault`` value (also once templated or set as a
    fact); a string that merely holds vault text is not one, as in Ansible."""
    return is_vault_value(value)


@strict
def vaulted_file(path: Any) -> bool:
    """The file at ``path`` (on the controller) is a vault."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise fail(f"The 'vaulted_file' test requires a path string, got {type(path).__name__} ({path!r})")
    try:
        with open(path, "rb") as handle:
            return is_encrypted(handle.read(64))
    except OSError as exc:
        raise fail(f"The 'vaulted_file' test cannot read {path!r}: {exc.strerror}") from exc


TESTS = {"vault_encrypted": vault_encrypted, "vaulted_file": volatile(vaulted_file)}
