"""The few names of ``six`` that simple Ansible modules use (Python 3 only)."""
from __future__ import annotations

import io

__all__ = ["PY2", "PY3", "string_types", "text_type", "binary_type", "integer_types", "iteritems",
           "itervalues", "iterkeys", "StringIO", "BytesIO"]

PY2, PY3 = False, True
string_types = (str,)
text_type = str
binary_type = bytes
integer_types = (int,)
StringIO = io.StringIO
BytesIO = io.BytesIO


def iteritems(mapping, **kwargs):  # noqa: ANN001, ANN201 - six's signature
    return iter(mapping.items(**kwargs))


def itervalues(mapping, **kwargs):  # noqa: ANN001, ANN201
    return iter(mapping.values(**kwargs))


def iterkeys(mapping, **kwargs):  # noqa: ANN001, ANN201
    return iter(mapping.keys(**kwargs))
