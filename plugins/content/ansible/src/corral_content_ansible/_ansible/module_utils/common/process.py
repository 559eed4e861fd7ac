"""``ansible.module_utils.common.process``: finding executables on the target."""
from __future__ import annotations

from corral.module_utils.common.process import get_bin_path

__all__ = ["get_bin_path"]
