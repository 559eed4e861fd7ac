"""``ansible.module_utils.parsing.convert_bool``: Ansible's booleans (``yes``, ``on``, ``1``...)."""
from __future__ import annotations

from corral.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE, boolean

__all__ = ["boolean", "BOOLEANS", "BOOLEANS_TRUE", "BOOLEANS_FALSE"]

#: every value :func:`boolean` accepts
BOOLEANS = BOOLEANS_TRUE.union(BOOLEANS_FALSE)
