"""``--version`` of every CLI: corral's own values in ansible-core's layout.

``ansible-playbook --version`` prints its version, then one indented ``name = value``
line per fact a bug report needs; tools read those lines.  corral prints the same
fields, in the same order and words, with its own values:

- ``config file``: the file the run reads (corral.cfg or ansible.cfg), else ``None``;
- ``configured module search path`` and ``ansible collection location``: the
  ``library`` and ``collections_path`` settings of the installed content plugins
  (a content plugin that declares settings exposes them as ``OPTIONS``), as lists
  and a colon-joined path like Ansible's;
- ``ansible python module location``: where ``import ansible`` finds the Ansible API
  corral provides (``None`` when nothing provides it);
- ``executable location``, ``python version`` (with the interpreter's path), ``jinja
  version`` and ``pyyaml version`` (``with libyaml vX`` or ``without libyaml``).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import Any, Sequence

from corral import __version__

__all__ = ["version_text", "add_version_option"]


class _VersionAction(argparse.Action):
    """``--version``: print :func:`version_text` for the parser's program and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_text(parser.prog))
        parser.exit()


def add_version_option(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` Ansible's ``--version`` (help text included)."""
    parser.add_argument("--version", action=_VersionAction,
                        help="show program's version number, config file location, configured module search "
                             "path, module location, executable location and exit")


def version_text(prog: str) -> str:
    """The text ``prog --version`` prints (without the final newline)."""
    from corral.config import Config
    try:
        config: Any = Config()
    except Exception:  # noqa: BLE001 - an unreadable configuration still lets --version answer
        config = None
    module_path, collections = _content_paths(config)
    fields = [
        ("config file", getattr(config, "config_file", None)),
        ("configured module search path", module_path),
        ("ansible python module location", _package_location("ansible")),
        ("ansible collection location", ":".join(collections)),
        ("executable location", os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else prog),
        ("python version", f"{''.join(sys.version.splitlines())} ({sys.executable})"),
        ("jinja version", _jinja_version()),
        ("pyyaml version", _pyyaml_version()),
    ]
    return "\n".join([f"{prog} [corral {__version__}]", *(f"  {name} = {value}" for name, value in fields)])


def _content_paths(config: Any) -> tuple[list[str], list[str]]:
    """The module search path and the collection locations the content plugins are
    configured with (each plugin's ``library`` and ``collections_path`` settings)."""
    from corral.plugins.manager import PluginManager
    from corral.plugins.options import resolve_options
    modules: list[str] = []
    collections: list[str] = []
    plugins = PluginManager(warn=lambda _message: None)
    for name in plugins.names("content"):
        try:
            declared = getattr(plugins.load("content", name), "OPTIONS", None)
        except Exception:  # noqa: BLE001 - a broken plugin has no paths to show
            continue
        if not isinstance(declared, dict):
            continue
        wanted = {key: declared[key] for key in ("library", "collections_path") if key in declared}
        values = resolve_options(wanted, plugin=f"content plugin '{name}'",
                                 env=config.env if config is not None else os.environ, ini=config)
        modules += [p for p in values.get("library") or [] if p not in modules]
        collections += [p for p in values.get("collections_path") or [] if p not in collections]
    return modules, collections


def _package_location(name: str) -> str | None:
    spec = importlib.util.find_spec(name)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return locations[0] if locations else None


def _jinja_version() -> str:
    import jinja2
    return str(jinja2.__version__)


def _pyyaml_version() -> str:
    import yaml
    try:
        from yaml import _yaml
        libyaml = f"with libyaml v{_yaml.get_version_string()}"
    except ImportError:
        libyaml = "without libyaml"
    return f"{yaml.__version__} ({libyaml})"
