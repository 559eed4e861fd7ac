"""``ansible.parsing.utils.addresses``: host names with ports and ranges, as
inventory plugins parse them (corral's :mod:`corral.inventory.addresses`)."""
from __future__ import annotations

from corral.errors import CorralError
from corral.inventory.addresses import parse_address as _parse_address

from ansible.errors import AnsibleError, AnsibleParserError

__all__ = ["parse_address"]


def parse_address(address: str, allow_ranges: bool = False) -> tuple[str, int | None]:
    """``(host, port)`` of ``address`` (``port`` ``None`` when it has none);
    :class:`AnsibleError` when it is not a host name or IP address,
    :class:`AnsibleParserError` when it holds a range and ``allow_ranges`` is false."""
    try:
        return _parse_address(address, allow_ranges)
    except CorralError as exc:
        error = AnsibleParserError if "range" in str(exc.message) else AnsibleError
        raise error(str(exc.message)) from exc
