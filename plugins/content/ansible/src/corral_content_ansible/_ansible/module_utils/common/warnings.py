"""``ansible.module_utils.common.warnings``: warnings and deprecations for the module's result.

The store is corral's (:mod:`corral.module_utils.warnings`), the one
``AnsibleModule.warn``/``deprecate`` add to, so everything reaches the result.
"""
from __future__ import annotations

from corral.module_utils.warnings import deprecate, get_deprecation_messages, get_warning_messages, warn

__all__ = ["warn", "deprecate", "get_warning_messages", "get_deprecation_messages"]
