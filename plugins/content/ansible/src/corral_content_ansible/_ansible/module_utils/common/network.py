"""``ansible.module_utils.common.network``: netmasks, prefixes and MAC addresses."""
from __future__ import annotations

import ipaddress
import re
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["is_netmask", "is_masklen", "to_netmask", "to_masklen", "to_subnet", "to_ipv6_subnet",
           "to_ipv6_network", "to_bits", "is_mac", "VALID_MASKS"]

VALID_MASKS = [2 ** 8 - 2 ** i for i in range(0, 9)]


def is_netmask(val: Any) -> bool:
    """Whether ``val`` is a dotted IPv4 netmask (``255.255.255.0``)."""
    parts = str(val).split(".")
    if len(parts) != 4:
        return False
    try:
        octets = [int(part) for part in parts]
    except ValueError:
        return False
    if any(octet not in VALID_MASKS for octet in octets):
        return False
    bits = "".join(f"{octet:08b}" for octet in octets)
    return "01" not in bits


def is_masklen(val: Any) -> bool:
    """Whether ``val`` is an IPv4 prefix length (0-32)."""
    try:
        return 0 <= int(val) <= 32
    except ValueError:
        return False


def to_netmask(val: Any) -> str:
    """Prefix length -> dotted netmask (``24`` -> ``255.255.255.0``)."""
    if not is_masklen(val):
        raise ValueError("invalid value for masklen")
    return str(ipaddress.IPv4Network(f"0.0.0.0/{int(val)}").netmask)


def to_masklen(val: Any) -> int:
    """Dotted netmask -> prefix length."""
    if not is_netmask(val):
        raise ValueError("invalid value for netmask: %s" % val)
    return ipaddress.IPv4Network(f"0.0.0.0/{val}").prefixlen


def to_subnet(addr: str, mask: Any, dotted_notation: bool = False) -> str:
    """The network of ``addr`` with ``mask`` (a prefix length or dotted netmask):
    ``'192.168.1.0/24'`` (``'192.168.1.0 255.255.255.0'`` with ``dotted_notation``)."""
    try:
        prefix = to_masklen(mask) if is_netmask(mask) else int(mask)
    except ValueError:
        raise ValueError("invalid value for mask") from None
    network = ipaddress.IPv4Network(f"{addr}/{prefix}", strict=False)
    if dotted_notation:
        return f"{network.network_address} {network.netmask}"
    return str(network)


def to_ipv6_subnet(addr: str) -> str:
    """The /64 of an IPv6 address, as Ansible writes it (``2001:db8:1:2::``)."""
    groups = addr.split("::")[0].split(":")[:4]
    return ":".join(groups) + "::"


def to_ipv6_network(addr: str) -> str:
    """The /48 network part of an IPv6 address (``2001:db8:1::``)."""
    groups = addr.split("::")[0].split(":")[:3]
    return ":".join(groups) + "::"


def to_bits(val: Any) -> str:
    """A dotted netmask as its 32 bits."""
    return "".join(f"{int(octet):08b}" for octet in str(val).split("."))


def is_mac(mac_address: str) -> bool:
    """Whether ``mac_address`` is six hex pairs separated by ``:`` or ``-``."""
    return re.match(r"^[a-f0-9]{2}(?P<sep>[:-])(?:[a-f0-9]{2}(?P=sep)){4}[a-f0-9]{2}$",
                    mac_address.lower()) is not None
