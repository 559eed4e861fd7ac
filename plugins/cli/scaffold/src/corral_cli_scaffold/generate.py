"""Writing a plugin distribution from the templates of its kind.

``templates/common/`` holds the files every kind gets; ``templates/<kind>/`` holds
that kind's files and ``kind.toml`` (its entry point ``group``, a one-line
``summary`` and the README's ``usage`` section).  A kind's files override common files of the same path.  In every path and
file, ``$name``-style placeholders are filled in (:func:`placeholders`) with
:class:`string.Template`; ``__package__`` in a path is the import package.  A kind is
therefore one small directory: adding one needs no code.
"""
from __future__ import annotations

import re
import string
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["KINDS", "ScaffoldError", "generate", "placeholders"]

_TEMPLATES = resources.files("corral_cli_scaffold") / "templates"
_COMMON = "common"
_SUFFIX = ".tmpl"
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

#: the kinds there are templates for, by name
KINDS: tuple[str, ...] = tuple(sorted(entry.name for entry in _TEMPLATES.iterdir()
                                      if entry.is_dir() and entry.name != _COMMON))


class ScaffoldError(ValueError):
    """The kind, the name or the target directory does not allow generating."""


def placeholders(kind: str, name: str) -> dict[str, str]:
    """The values the templates of ``kind`` are filled with for plugin ``name``."""
    meta = tomllib.loads((_TEMPLATES / kind / "kind.toml").read_text(encoding="utf-8"))
    slug = name.replace("_", "-")
    values = {
        "kind": kind,
        "name": name,
        "distribution": f"corral-{kind}-{slug}",
        "package": f"corral_{kind}_{name}",
        "title": "".join(part.capitalize() for part in name.split("_")),
        "group": meta["group"],
        "group_kind": meta["group"].removeprefix("corral."),
    }
    for key in ("summary", "usage"):
        values[key] = string.Template(meta[key].strip()).substitute(values)
    return values


def _files(root: Traversable, prefix: str = "") -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in root.iterdir():
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.update(_files(entry, relative + "/"))
        elif entry.name.endswith(_SUFFIX):
            found[relative[:-len(_SUFFIX)]] = entry
    return found


def generate(kind: str, name: str, directory: str | Path = ".") -> Path:
    """Write the distribution for plugin ``name`` of ``kind`` below ``directory`` and
    return its root (``directory/corral-<kind>-<name>``), which must not exist yet."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown plugin kind '{kind}' (kinds: {', '.join(KINDS)})")
    if not _NAME.match(name):
        raise ScaffoldError(f"'{name}' is not a plugin name: lower-case letters, digits and _, "
                            f"starting with a letter")
    values = placeholders(kind, name)
    root = Path(directory) / values["distribution"]
    if root.exists():
        raise ScaffoldError(f"{root} exists already")
    files = {**_files(_TEMPLATES / _COMMON), **_files(_TEMPLATES / kind)}
    for relative, template in sorted(files.items()):
        target = root / relative.replace("__package__", values["package"]).replace("__name__", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(string.Template(template.read_text(encoding="utf-8")).substitute(values),
                          encoding="utf-8")
    return root
