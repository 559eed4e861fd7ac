"""``ansible.parsing.splitter``: ``key=value`` text and shell-like argument splitting."""
from __future__ import annotations

from corral.parsing.splitter import parse_kv, split_args

__all__ = ["parse_kv", "split_args"]
