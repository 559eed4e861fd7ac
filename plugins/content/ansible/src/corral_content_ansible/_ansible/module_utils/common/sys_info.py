"""``ansible.module_utils.common.sys_info``: which system and distribution the target runs.

The distribution comes from ``/etc/os-release`` (see :mod:`ansible.module_utils.distro`):
``get_distribution()`` is its ``NAME``'s first word capitalized as Ansible reports it
(``Ubuntu``, ``Debian``, ``Centos``, ``Redhat`` for RHEL, ``Amazon``...), ``None`` off Linux.
"""
from __future__ import annotations

import platform
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ansible.module_utils import distro

__all__ = ["get_distribution", "get_distribution_version", "get_distribution_codename",
           "get_platform_subclass"]

#: os-release ids whose Ansible name is not the id capitalized
_NAMES = {"rhel": "Redhat", "amzn": "Amazon", "opensuse-leap": "Opensuse-leap", "sles": "Sles",
          "ol": "Oracle", "archarch": "Archlinux", "arch": "Archlinux"}


def get_distribution() -> str | None:
    """The Linux distribution's name (``Ubuntu``, ``Redhat``...); ``OtherLinux`` when
    it cannot be told; ``None`` on other systems."""
    if platform.system() != "Linux":
        return None
    ident = distro.id()
    if not ident:
        return "OtherLinux"
    return _NAMES.get(ident, ident.capitalize())


def get_distribution_version() -> str | None:
    """The distribution's version (``22.04``, ``9.3``...); ``''`` when unknown; ``None`` off Linux."""
    if platform.system() != "Linux":
        return None
    return distro.version(best=True) if distro.id() else ""


def get_distribution_codename() -> str | None:
    """The distribution's code name (``jammy``, ``bookworm``...) or ``None``."""
    if platform.system() != "Linux":
        return None
    return distro.codename() or None


def get_platform_subclass(cls: type) -> type:
    """The subclass of ``cls`` made for this target: the one whose ``platform`` is
    this system (``Linux``...) and whose ``distribution`` is this distribution,
    else the one for this system without a distribution, else ``cls`` itself."""
    this_platform = platform.system()
    distribution = get_distribution()
    for_platform: type | None = None
    pending: list[Any] = list(cls.__subclasses__())
    seen: list[Any] = []
    while pending:
        sub = pending.pop(0)
        if sub in seen:
            continue
        seen.append(sub)
        pending.extend(sub.__subclasses__())
        if getattr(sub, "platform", None) != this_platform:
            continue
        sub_distribution = getattr(sub, "distribution", None)
        if distribution is not None and sub_distribution == distribution:
            return sub
        if sub_distribution is None and for_platform is None:
            for_platform = sub
    return for_platform or cls
