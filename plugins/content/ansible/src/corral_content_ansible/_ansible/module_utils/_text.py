"""``ansible.module_utils._text``: the old import path of the text converters."""
from __future__ import annotations

from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text

__all__ = ["to_bytes", "to_native", "to_text"]
