"""Date, time and URL filters."""
from __future__ import annotations

import datetime
import time
from typing import Any
from urllib.parse import urlsplit as _urlsplit

from corral_template_filters._checks import fail, require_text, strict, volatile

__all__ = ["strftime", "to_datetime", "urlsplit", "FILTERS"]

URL_COMPONENTS = ("fragment", "hostname", "netloc", "password", "path", "port", "query", "scheme", "username")


@strict
def strftime(string_format: Any, second: Any = None, utc: bool = False) -> str:
    """Format the epoch time ``second`` (now when None) with ``string_format``
    (:func:`time.strftime` codes), in local time or UTC."""
    if second is None:
        moment = time.time()
    else:
        try:
            moment = float(second)
        except (TypeError, ValueError) as exc:
            raise fail(f"strftime: invalid value for epoch value ({second!r})") from exc
    try:
        return time.strftime(str(string_format), time.gmtime(moment) if utc else time.localtime(moment))
    except (OverflowError, OSError, ValueError) as exc:
        raise fail(f"strftime: cannot format epoch value {second!r}: {exc}") from exc


@strict
def to_datetime(string: Any, format: str = "%Y-%m-%d %H:%M:%S") -> datetime.datetime:  # noqa: A002 - Ansible's name
    """Parse ``string`` with :func:`datetime.datetime.strptime` and ``format``."""
    try:
        return datetime.datetime.strptime(str(string), str(format))
    except ValueError as exc:
        raise fail(f"to_datetime: {exc}") from exc


@strict
def urlsplit(value: Any, query: str = "") -> Any:
    """The parts of a URL as a dict (``scheme``, ``netloc``, ``hostname``,
    ``port``, ``username``, ``password``, ``path``, ``query``, ``fragment``), or
    the one part named by ``query``."""
    parts = _urlsplit(require_text("urlsplit", value))
    try:
        found = {name: getattr(parts, name) for name in URL_COMPONENTS}
    except ValueError as exc:
        raise fail(f"urlsplit: invalid URL {value!r}: {exc}") from exc
    if not query:
        return found
    if query not in found:
        raise fail(f"urlsplit: unknown URL component: {query}")
    return found[query]


FILTERS = {
    "strftime": volatile(strftime),
    "to_datetime": to_datetime,
    "urlsplit": urlsplit,
}
