"""Tests on resource identifiers: ``uri``, ``url``, ``urn``.

A string is a URI when it parses as one (Python's ``urllib.parse``; nearly any
text does, a scheme and a path may be implied); ``schemes`` (a list) limits the
schemes accepted.  A URL is a URI with a scheme and a network location
(``http://host``), a URN a URI whose scheme is ``urn``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import ParseResult, urlparse

from corral_template_tests._checks import strict

__all__ = ["is_uri", "is_url", "is_urn", "TESTS"]


def _parsed(value: Any, schemes: Iterable[str] | None) -> ParseResult | None:
    try:
        parsed = urlparse(str(value))
    except ValueError:  # an unbalanced '[' in the host, for one
        return None
    if schemes is not None and parsed.scheme not in schemes:
        return None
    return parsed


@strict
def is_uri(value: Any, schemes: Iterable[str] | None = None) -> bool:
    """``value`` parses as a URI (of one of ``schemes`` when given)."""
    return _parsed(value, schemes) is not None


@strict
def is_url(value: Any, schemes: Iterable[str] | None = None) -> bool:
    """``value`` is a URI with a scheme and a network location."""
    parsed = _parsed(value, schemes)
    return parsed is not None and bool(parsed.scheme) and bool(parsed.netloc)


@strict
def is_urn(value: Any) -> bool:
    """``value`` is a URI of scheme ``urn`` (``urn:isbn:9780307476463``)."""
    return _parsed(value, ["urn"]) is not None


TESTS = {"uri": is_uri, "url": is_url, "urn": is_urn}
