"""Ansible-compatible import path for the text converters."""
from corral.module_utils._text import to_bytes, to_native, to_text

__all__ = ["to_bytes", "to_native", "to_text"]
