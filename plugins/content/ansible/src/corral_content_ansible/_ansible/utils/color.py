"""``ansible.utils.color``: colored text as the run's display shows it."""
from __future__ import annotations

from corral.display import colorize, hostcolor, parsecolor, stringc

__all__ = ["colorize", "hostcolor", "parsecolor", "stringc"]
