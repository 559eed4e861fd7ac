"""``ansible.module_utils.distro``: which Linux distribution this is, from ``/etc/os-release``.

The functions have the names and meanings of the ``distro`` library's (``id()``,
``name()``, ``version()``, ``codename()``, ``like()``, ``info()``...), read from
``/etc/os-release`` (or ``/usr/lib/os-release``); ``version(best=True)`` prefers a
more precise version from ``/etc/debian_version`` or ``/etc/<id>-release``.
"""
from __future__ import annotations

import os
import re
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["id", "name", "version", "version_parts", "major_version", "minor_version", "build_number",
           "codename", "like", "info", "os_release_info", "os_release_attr", "linux_distribution",
           "LinuxDistribution"]

_VERSION = re.compile(r"(\d+(?:\.\d+)*)")


def _parse_os_release(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip().lower()] = value.replace('\\"', '"').replace("\\$", "$")
    return values


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


class LinuxDistribution:
    """The distribution described by an os-release file (``root_dir`` for a chroot)."""

    def __init__(self, include_lsb: bool | None = None, os_release_file: str = "",
                 distro_release_file: str = "", include_uname: bool | None = None,
                 root_dir: str | None = None, include_oslevel: bool | None = None) -> None:
        root = root_dir or "/"
        candidates = [os_release_file] if os_release_file else [
            os.path.join(root, "etc/os-release"), os.path.join(root, "usr/lib/os-release")]
        self._os_release: dict[str, str] = {}
        for path in candidates:
            text = _read(path)
            if text:
                self._os_release = _parse_os_release(text)
                break
        self._root = root
        self._release_file = distro_release_file

    def os_release_info(self) -> dict[str, str]:
        """The os-release keys (lower case) and values."""
        return dict(self._os_release)

    def os_release_attr(self, attribute: str) -> str:
        """One os-release value (``''`` when absent)."""
        return self._os_release.get(attribute, "")

    def id(self) -> str:
        """The distribution's id, lower case (``ubuntu``, ``rhel``, ``debian``...)."""
        return self._os_release.get("id", "").lower().replace(" ", "_")

    def name(self, pretty: bool = False) -> str:
        """The distribution's name (``PRETTY_NAME`` with ``pretty``)."""
        if pretty:
            return self._os_release.get("pretty_name") or self.name()
        return self._os_release.get("name", "")

    def _precise_version(self) -> str:
        """A version from the distribution's own release file, when it has one."""
        paths = [self._release_file] if self._release_file else [
            os.path.join(self._root, "etc/debian_version"), os.path.join(self._root, f"etc/{self.id()}-release"),
            os.path.join(self._root, "etc/redhat-release")]
        for path in paths:
            match = _VERSION.search(_read(path))
            if match:
                return match.group(1)
        return ""

    def version(self, pretty: bool = False, best: bool = False) -> str:
        """The version (``VERSION_ID``); with ``best`` the most precise one known;
        with ``pretty`` followed by the code name in parentheses."""
        found = self._os_release.get("version_id", "")
        if not found:
            match = _VERSION.search(self._os_release.get("version", ""))
            found = match.group(1) if match else ""
        if best or not found:
            precise = self._precise_version()
            if precise and (not found or (precise.startswith(found) and precise.count(".") > found.count("."))):
                found = precise
        if pretty and found and self.codename():
            return f"{found} ({self.codename()})"
        return found

    def version_parts(self, best: bool = False) -> tuple[str, str, str]:
        """``(major, minor, build)`` of :meth:`version` (``''`` for the missing ones)."""
        parts = self.version(best=best).split(".") + ["", "", ""]
        return parts[0], parts[1], parts[2]

    def major_version(self, best: bool = False) -> str:
        return self.version_parts(best)[0]

    def minor_version(self, best: bool = False) -> str:
        return self.version_parts(best)[1]

    def build_number(self, best: bool = False) -> str:
        return self.version_parts(best)[2]

    def codename(self) -> str:
        """The release's code name (``VERSION_CODENAME``, or the word in parentheses of ``VERSION``)."""
        name = self._os_release.get("version_codename") or self._os_release.get("ubuntu_codename")
        if name:
            return name
        match = re.search(r"\(([^)]+)\)", self._os_release.get("version", ""))
        return match.group(1) if match else ""

    def like(self) -> str:
        """The ids of the distributions this one is like (``ID_LIKE``), space-separated."""
        return self._os_release.get("id_like", "")

    def linux_distribution(self, full_distribution_name: bool = True) -> tuple[str, str, str]:
        """``(name, version, codename)``."""
        return (self.name() if full_distribution_name else self.id()), self.version(), self.codename()

    def info(self, pretty: bool = False, best: bool = False) -> dict[str, Any]:
        """Everything at once: ``id``, ``version``, ``version_parts``, ``like``, ``codename``."""
        major, minor, build = self.version_parts(best)
        return {"id": self.id(), "version": self.version(pretty, best),
                "version_parts": {"major": major, "minor": minor, "build_number": build},
                "like": self.like(), "codename": self.codename()}


_this: LinuxDistribution | None = None


def _distribution() -> LinuxDistribution:
    global _this
    if _this is None:
        _this = LinuxDistribution()
    return _this


def id() -> str:  # noqa: A001 - the distro library's name
    return _distribution().id()


def name(pretty: bool = False) -> str:
    return _distribution().name(pretty)


def version(pretty: bool = False, best: bool = False) -> str:
    return _distribution().version(pretty, best)


def version_parts(best: bool = False) -> tuple[str, str, str]:
    return _distribution().version_parts(best)


def major_version(best: bool = False) -> str:
    return _distribution().major_version(best)


def minor_version(best: bool = False) -> str:
    return _distribution().minor_version(best)


def build_number(best: bool = False) -> str:
    return _distribution().build_number(best)


def codename() -> str:
    return _distribution().codename()


def like() -> str:
    return _distribution().like()


def info(pretty: bool = False, best: bool = False) -> dict[str, Any]:
    return _distribution().info(pretty, best)


def os_release_info() -> dict[str, str]:
    return _distribution().os_release_info()


def os_release_attr(attribute: str) -> str:
    return _distribution().os_release_attr(attribute)


def linux_distribution(full_distribution_name: bool = True) -> tuple[str, str, str]:
    return _distribution().linux_distribution(full_distribution_name)
