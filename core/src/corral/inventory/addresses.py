"""Host names in inventory sources: ``host:port``, ``[v6]:port`` and ranges.

``parse_address("web[01:03].example.com:2222", allow_ranges=True)`` gives
``("web[01:03].example.com", 2222)``; ``expand_hostname_range`` expands
``web[01:03]`` to ``web01 web02 web03``, ``db-[a:c]`` to ``db-a db-b db-c`` and
``n[1:9:4]`` to ``n1 n5 n9`` (several ranges in one name multiply).
"""
from __future__ import annotations

import re
import string

from corral.errors import CorralError, CorralParserError

__all__ = ["parse_address", "expand_hostname_range", "expand_hostpattern", "detect_range", "is_ip_address"]

_BRACKETED_PORT = re.compile(r"^\[(.+)\]:(\d+)$")
# name made of plain characters or whole [..] groups, then :port
_NAME_PORT = re.compile(r"^((?:[^:\[\]]|\[[^\]]*\])*):(\d+)$")
_IPV4 = re.compile(r"^(?:(?:\d{1,3}|\[\d+:\d+(?::\d+)?\])\.){3}(?:\d{1,3}|\[\d+:\d+(?::\d+)?\])$")
_IPV6 = re.compile(r"^(?=.*:)(?:[0-9a-fA-F]{0,4}|\[[0-9a-fA-F]+:[0-9a-fA-F]+\])"
                   r"(?::(?:[0-9a-fA-F]{0,4}|\[[0-9a-fA-F]+:[0-9a-fA-F]+\])){2,7}"
                   r"(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?$")
_LABEL = r"(?:[\w\-]|\[[\w\-]*:[\w\-]*(?::\d+)?\])+"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$", re.UNICODE)
_RANGE = re.compile(r"\[([^\]]*)\]")


def is_ip_address(name: str) -> bool:
    return bool(_IPV4.match(name) or (":" in name and _IPV6.match(name)))


def parse_address(address: str, allow_ranges: bool = False) -> tuple[str, int | None]:
    """Split ``address`` into (host, port); raise :class:`CorralError` when it is
    not a host name, IPv4 or IPv6 address (with ranges when ``allow_ranges``)."""
    port: int | None = None
    match = _BRACKETED_PORT.match(address) or _NAME_PORT.match(address)
    if match:
        address, port = match.group(1), int(match.group(2))
    if not (_IPV4.match(address) or _IPV6.match(address) or _HOSTNAME.match(address)):
        raise CorralError(f"Not a valid network hostname: {address}")
    if not allow_ranges and "[" in address:
        raise CorralParserError("Detected range in host but was asked to ignore ranges")
    return address, port


def detect_range(name: str) -> bool:
    return "[" in name


def _sequence(spec: str, name: str) -> list[str]:
    bounds = spec.split(":")
    if len(bounds) not in (2, 3):
        raise CorralError(f"Host range in '{name}' must be begin:end or begin:end:step")
    begin, end = bounds[0] or "0", bounds[1]
    step = bounds[2] if len(bounds) == 3 else "1"
    if not end:
        raise CorralError(f"Host range in '{name}' must specify an end value")
    try:
        stride = int(step)
    except ValueError:
        raise CorralError(f"Host range step in '{name}' must be a number, got '{step}'") from None
    letters = string.ascii_letters
    if begin in letters and end in letters and len(begin) == len(end) == 1:
        first, last = letters.index(begin), letters.index(end)
        if first > last:
            raise CorralError(f"Host range in '{name}' must have begin <= end")
        return list(letters[first:last + 1:stride])
    try:
        low, high = int(begin), int(end)
    except ValueError:
        raise CorralError(f"Host range in '{name}' must be numbers or single letters: [{spec}]") from None
    if begin[0] == "0" and len(begin) > 1:
        if len(begin) != len(end):
            raise CorralError(f"Host range in '{name}' must give begin and end with the same width")
        width = len(begin)
        return [str(n).zfill(width) for n in range(low, high + 1, stride)]
    return [str(n) for n in range(low, high + 1, stride)]


def expand_hostname_range(name: str) -> list[str]:
    """Every host name that the ranges in ``name`` describe, in order."""
    match = _RANGE.search(name)
    if not match:
        return [name]
    head, tail = name[:match.start()], name[match.end():]
    names: list[str] = []
    tails = expand_hostname_range(tail)
    for part in _sequence(match.group(1), name):
        prefix = head + part
        names.extend(prefix + t for t in tails)
    return names


def expand_hostpattern(pattern: str) -> tuple[list[str], int | None]:
    """The host names and port of an inventory host entry (``web[1:3]:2222``).

    An entry that is not a valid address is kept as the host name, as Ansible
    does; ranges are expanded."""
    if ":" not in pattern and "[" not in pattern:
        return [pattern], None      # no port, no range: the name as it is, whether an address or not
    try:
        name, port = parse_address(pattern, allow_ranges=True)
    except CorralError:
        name, port = pattern, None
    if "[" in _RANGE.sub("", name):
        # ansible-core refuses it too; kept as a name, '[db' would hide a broken section header
        raise CorralParserError(f"Invalid host pattern '{pattern}': a '[' opens a range that is not closed")
    names = expand_hostname_range(name) if "[" in name else [name]
    return names, port
