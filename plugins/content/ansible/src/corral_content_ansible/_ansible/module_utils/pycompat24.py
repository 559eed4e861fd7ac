"""``ansible.module_utils.pycompat24``: what modules of the Python 2.4 era imported from here."""
from __future__ import annotations

import sys
from ast import literal_eval

__all__ = ["get_exception", "literal_eval"]


def get_exception() -> BaseException | None:
    """The exception being handled (``sys.exc_info()[1]``)."""
    return sys.exc_info()[1]
