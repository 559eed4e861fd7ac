"""``ansible.module_utils.facts.packages``: the base classes of package manager probes."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from ansible.module_utils.common.process import get_bin_path

__all__ = ["PkgMgr", "LibMgr", "CLIMgr", "get_all_pkg_managers"]


class PkgMgr(metaclass=ABCMeta):
    """A package manager: whether it is here (``is_available``) and its packages
    (``get_packages``: name -> list of package dicts)."""

    @abstractmethod
    def is_available(self, handle_exceptions: bool = True) -> bool: ...

    @abstractmethod
    def list_installed(self) -> list[Any]: ...

    @abstractmethod
    def get_package_details(self, package: Any) -> dict[str, Any]: ...

    def get_packages(self) -> dict[str, list[dict[str, Any]]]:
        installed: dict[str, list[dict[str, Any]]] = {}
        for package in self.list_installed():
            details = self.get_package_details(package)
            details.setdefault("source", type(self).__name__.lower())
            installed.setdefault(details["name"], []).append(details)
        return installed


class LibMgr(PkgMgr):
    """A package manager reached through a Python library (``LIB``)."""

    LIB: str | None = None

    def __init__(self) -> None:
        self._lib: Any = None
        super().__init__()

    def is_available(self, handle_exceptions: bool = True) -> bool:
        try:
            self._lib = __import__(self.LIB or "")
        except ImportError:
            if not handle_exceptions:
                raise
            return False
        return True


class CLIMgr(PkgMgr):
    """A package manager reached through a command (``CLI``)."""

    CLI: str | None = None

    def __init__(self) -> None:
        self._cli: str | None = None
        super().__init__()

    def is_available(self, handle_exceptions: bool = True) -> bool:
        try:
            self._cli = get_bin_path(self.CLI or "")
        except ValueError:
            if not handle_exceptions:
                raise
            return False
        return True


def get_all_pkg_managers() -> dict[str, type]:
    """Every concrete subclass of :class:`PkgMgr`, by lower-case class name."""
    found: dict[str, type] = {}
    pending = list(PkgMgr.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls not in (CLIMgr, LibMgr, PkgMgr):
            found[cls.__name__.lower()] = cls
    return found
