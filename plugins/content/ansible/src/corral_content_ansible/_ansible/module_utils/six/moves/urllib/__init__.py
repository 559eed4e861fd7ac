"""``six.moves.urllib``: Python 3's :mod:`urllib` split as six splits it."""
from __future__ import annotations

from ansible.module_utils.six.moves.urllib import error, parse, request, response, robotparser

__all__ = ["error", "parse", "request", "response", "robotparser"]
