"""``ansible.module_utils.compat.typing``: the names of :mod:`typing`."""
from __future__ import annotations

from typing import *  # noqa: F401,F403 - the module is an alias of typing
