"""``ansible.parsing.ajson``: JSON that knows Ansible's values (unsafe strings,
vaulted values, dates, sets)."""
from __future__ import annotations

import json
from typing import Any

from ansible.module_utils.common.json import AnsibleJSONEncoder

__all__ = ["AnsibleJSONEncoder", "AnsibleJSONDecoder"]


class AnsibleJSONDecoder(json.JSONDecoder):
    """Decodes ``{"__ansible_unsafe": text}`` as an unsafe string and
    ``{"__ansible_vault": ciphertext}`` as the ciphertext."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["object_hook"] = self._object_hook
        super().__init__(*args, **kwargs)

    @staticmethod
    def _object_hook(pairs: dict[str, Any]) -> Any:
        from corral.utils.unsafe import UnsafeText
        if len(pairs) == 1 and "__ansible_unsafe" in pairs:
            return UnsafeText(pairs["__ansible_unsafe"])
        if len(pairs) == 1 and "__ansible_vault" in pairs:
            return pairs["__ansible_vault"]
        return pairs
