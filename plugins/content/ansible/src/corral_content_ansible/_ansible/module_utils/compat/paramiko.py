"""``ansible.module_utils.compat.paramiko``: paramiko when the target has it.

``paramiko`` is the module or ``None``; ``PARAMIKO_IMPORT_ERR`` the import's traceback text.
"""
from __future__ import annotations

import traceback
import types

__all__ = ["paramiko", "PARAMIKO_IMPORT_ERR"]

paramiko: types.ModuleType | None
PARAMIKO_IMPORT_ERR: str | None = None
try:
    import paramiko
except ImportError:
    paramiko = None
    PARAMIKO_IMPORT_ERR = traceback.format_exc()
