"""``corral-config``: every setting the kernel and the installed plugins declare.

``corral-config list`` prints each declared setting with its type, default,
description and sources (host variables, environment variables, config file keys,
command line values, keywords); ``corral-config dump`` prints the value each has here
and where it came from (``--only-changed``: the ones not at their default);
``corral-config view`` prints the configuration files in use; ``corral-config init``
prints a configuration file with every setting described (``--disabled``: each
commented out; ``--format env``: as environment variables), as Ansible's
``ansible-config`` does; ``corral-config validate`` reports the entries of the
configuration file (``--format env``: the environment variables) that no setting
reads (:mod:`corral.cli.config_validate`).  ``--kind``/``--type`` narrows them to
``kernel`` (``base``) or one plugin kind (``all``: everything), ``--format json|yaml``
(``--json``) prints ``list`` and ``dump`` as data; ``-v`` names the config file
first, as every corral CLI.  Plugin settings are read from the same declarations the
kernel resolves at run time (``OPTIONS``/``DOCUMENTATION``, see
:mod:`corral.plugins.options`); host variables and keywords only exist in a run, so
``dump`` shows what the environment and the config files give.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Iterator

from corral.cli.completion import parse
from corral.cli.config_validate import VALID, unknown_environment_variables, unknown_ini_entries
from corral.cli.options import run_cli, show_config_file
from corral.cli.version import add_version_option
from corral.config import SETTINGS, Config
from corral.config_docs import DESCRIPTIONS
from corral.display import Display
from corral.errors import CorralError
from corral.plugins.manager import PluginManager
from corral.plugins.options import Option, declared_options, resolve_options

__all__ = ["main", "PLUGIN_KINDS", "kernel_options", "option_sources"]

#: the plugin kinds whose classes are looked up by name (and so declare options per class)
PLUGIN_KINDS = ("connection", "callback", "strategy", "executor", "cache")
_HIDDEN = "<hidden>"


def kernel_options() -> dict[str, Option]:
    """The kernel's settings (:data:`corral.config.SETTINGS`) as declared options."""
    return {name: Option(name, setting.default, setting.type,
                         env=tuple(f"ANSIBLE_{suffix}" for suffix in (setting.env, *setting.env_aliases)),
                         ini=tuple((setting.section, key) for key in (setting.key, *setting.aliases)),
                         description=DESCRIPTIONS.get(name, ""))
            for name, setting in SETTINGS.items()}


def _declarations(plugins: PluginManager, kinds: list[str],
                  display: Display) -> Iterator[tuple[str, str, dict[str, Option]]]:
    """``(kind, plugin names, options)`` for the kernel and each installed plugin class of
    ``kinds`` (the names that give the same class, such as ``ssh`` and ``paramiko``, are
    listed together); a plugin that fails to load is warned about and left out."""
    if "kernel" in kinds:
        yield "kernel", "", kernel_options()
    for kind in kinds:
        if kind == "kernel":
            continue
        names: dict[type, list[str]] = {}
        for name in plugins.names(kind):
            try:
                names.setdefault(getattr(plugins, f"{kind}_class")(name), []).append(name)
            except CorralError as exc:
                display.warning(f"{kind} plugin '{name}': {exc}")
        for cls, aliases in names.items():
            yield kind, ", ".join(aliases), dict(declared_options(cls))


def option_sources(option: Option) -> str:
    """Where ``option``'s value may come from, on one line (``vars: ...; env: ...; ini: ...``)."""
    parts = [(label, ", ".join(names)) for label, names in (
        ("vars", option.vars), ("keyword", option.keywords), ("cli", option.cli),
        ("env", [n for e in option.env
                 for n in ((e, "CORRAL_" + e[len("ANSIBLE_"):]) if e.startswith("ANSIBLE_") else (e,))]),
        ("ini", [f"[{section}] {key}" for section, key in option.ini])) if names]
    return "; ".join(f"{label}: {names}" for label, names in parts)


def _title(kind: str, name: str) -> str:
    return "kernel" if kind == "kernel" else f"{kind}: {name}"


def _print_data(data: Any, output_format: str) -> None:
    """``data`` as JSON (indented) or YAML, as ``--format`` asks."""
    if output_format == "yaml":
        import yaml
        print(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False,
                             default_flow_style=False), end="")
    else:
        print(json.dumps(data, indent=2, default=str))


def _list(declared: list[tuple[str, str, dict[str, Option]]], output_format: str) -> None:
    if output_format != "display":
        _print_data([{"kind": kind, "plugin": name, "name": option.name, "type": option.type,
                           "default": option.default, "required": option.required, "secret": option.secret,
                           "description": option.description, "vars": list(option.vars),
                           "keywords": list(option.keywords), "cli": list(option.cli), "env": list(option.env),
                           "ini": [list(pair) for pair in option.ini]}
                     for kind, name, options in declared for option in options.values()], output_format)
        return
    for kind, name, options in declared:
        print(f"{_title(kind, name)}:" + ("" if options else " (no options)"))
        for option in options.values():
            default = "required" if option.required else f"default {option.default!r}"
            print(f"  {option.name} ({option.type}, {default})")
            if option.description:
                print(f"      {option.description}")
            if option_sources(option):
                print(f"      {option_sources(option)}")


def _values(declared: list[tuple[str, str, dict[str, Option]]],
            config: Config) -> Iterator[tuple[str, str, Option, Any, str]]:
    """``(kind, plugin, option, value, origin)`` for every declared setting, here and now."""
    for kind, name, options in declared:
        if kind == "kernel":
            for option in options.values():
                yield kind, name, option, config.get(option.name), config.origin(option.name)
            continue
        resolved = resolve_options(options, plugin=f"{kind} plugin '{name}'", env=config.env, ini=config)
        for option in options.values():
            yield kind, name, option, resolved[option.name], resolved.origin(option.name)


def _dump(declared: list[tuple[str, str, dict[str, Option]]], config: Config, only_changed: bool,
          output_format: str) -> None:
    rows = [(kind, name, option, _HIDDEN if option.secret and value is not None else value, origin)
            for kind, name, option, value, origin in _values(declared, config)
            if not (only_changed and origin == "default")]
    if output_format != "display":
        _print_data([{"kind": kind, "plugin": name, "name": option.name, "value": value, "origin": origin}
                     for kind, name, option, value, origin in rows], output_format)
        return
    title = None
    for kind, name, option, value, origin in rows:
        if _title(kind, name) != title:
            title = _title(kind, name)
            print(f"[{title}]")
        print(f"{option.name}({origin}) = {value}")


def _files_in_use(config: Config) -> list[str]:
    """The configuration files ``config`` reads: corral.cfg, then ansible.cfg (one,
    when ``-c`` names the same file for both)."""
    return list(dict.fromkeys(path for path in (config.corral_file, config.ansible_file) if path))


def _view(config: Config) -> int:
    """Print each configuration file in use (corral.cfg, then ansible.cfg); 1 when none."""
    files = _files_in_use(config)
    if not files:
        print("[ERROR]: No config file found (corral.cfg or ansible.cfg: CORRAL_CONFIG/ANSIBLE_CONFIG, the current "
              "directory, ~/.corral.cfg, ~/.ansible.cfg, /etc/corral/corral.cfg, /etc/ansible/ansible.cfg)")
        return 1
    for path in files:
        if len(files) > 1:
            print(f"# {path}")
        with open(path, encoding="utf-8", errors="replace") as handle:
            print(handle.read(), end="")
    return 0


def _ini_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def _init(declared: list[tuple[str, str, dict[str, Option]]], file_format: str, disabled: bool) -> None:
    """Print a configuration file (``ini``) or environment (``env``) with every
    declared setting, its type and description, set to its default (commented out
    when ``disabled``, and always when the default is "unset")."""
    if file_format == "env":
        seen: set[str] = set()
        for _kind, _name, options in declared:
            for option in options.values():
                if option.env and not option.secret and option.env[0] not in seen:
                    seen.add(option.env[0])
                    print(f"# ({option.type}) {option.description}".rstrip())
                    off = disabled or option.default is None
                    print(f"{'#' if off else ''}{option.env[0]}={_ini_value(option.default)}\n")
        return
    sections: dict[str, list[tuple[str, Option]]] = {}
    for _kind, _name, options in declared:
        for option in options.values():
            if option.ini and not option.secret:
                section, key = option.ini[0]
                entries = sections.setdefault(section, [])
                if all(key != known for known, _ in entries):
                    entries.append((key, option))
    for section, entries in sections.items():
        print(f"[{section}]")
        for key, option in entries:
            print(f"# ({option.type}) {option.description}".rstrip())
            print(f"{';' if disabled or option.default is None else ''}{key}={_ini_value(option.default)}\n")


#: the ``--type`` values: ``all`` (everything), ``base`` (ansible-core's word for the
#: kernel's settings), ``kernel`` and each plugin kind
TYPES = ("all", "base", "kernel", *PLUGIN_KINDS)


def _verbose(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("-v", "--verbose", dest="verbosity", action="count", default=0, help=help_text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corral-config",
                                     description="Show the settings of corral and its installed plugins.")
    add_version_option(parser)
    # as ansible-config: accepted before the subcommand, where it changes nothing
    _verbose(parser, "more output; give it after the subcommand (as ansible-config, it counts there)")
    sub = parser.add_subparsers(dest="command", required=True)
    for command, text in (("list", "every declared setting and where its value may come from"),
                          ("dump", "the value of every setting here, and where it came from"),
                          ("view", "the configuration files in use"),
                          ("init", "a configuration file with every setting described, at its default"),
                          ("validate", "report the entries of the configuration file (or environment) that "
                                       "no setting reads")):
        action = sub.add_parser(command, help=text)
        _verbose(action, "name the config file read (-v), and show the version text first (-vv)")
        action.add_argument("-c", "--config", metavar="CONFIG_FILE",
                            help="the configuration file to read (else the first one found, as corral-playbook)")
        action.add_argument("--kind", "-t", "--type", choices=TYPES,
                            help="only the kernel ('base') or one plugin kind ('all': everything)"
                            + ("; view shows the whole file whatever the type, as ansible-config"
                               if command == "view" else ""))
        if command == "view":
            continue
        if command in ("init", "validate"):
            action.add_argument("--format", "-f", choices=("ini", "env"), default="ini",
                                help="a corral.cfg (ini) or environment variables (env)" if command == "init"
                                else "check the configuration file (ini) or the environment variables (env)")
            if command == "init":
                action.add_argument("--disabled", action="store_true",
                                    help="comment out every entry, so that the file documents without "
                                         "changing anything")
            continue
        formats = ("display", "json", "yaml")
        action.add_argument("--format", "-f", choices=formats, default="display", dest="output_format",
                            help="print corral's text (display), or the same data as JSON or YAML")
        action.add_argument("--json", action="store_const", const="json", dest="output_format",
                            help="print JSON (--format json)")
        if command == "dump":
            action.add_argument("--only-changed", "--changed-only", action="store_true", dest="only_changed",
                                help="only the settings that are not at their default")
    return parser


def _kinds(kind: str | None) -> list[str]:
    if kind in (None, "all"):
        return ["kernel", *PLUGIN_KINDS]
    return ["kernel"] if kind == "base" else [str(kind)]


def _content_options(plugins: PluginManager) -> Iterator[Option]:
    """The settings the installed content plugins declare (their ``OPTIONS``)."""
    for name in plugins.names("content"):
        try:
            declared = getattr(plugins.load("content", name), "OPTIONS", None)
        except CorralError:
            continue
        if isinstance(declared, dict):
            yield from declared.values()


def _validate(declared: list[tuple[str, str, dict[str, Option]]], config: Config, file_format: str,
              extra: list[Option]) -> int:
    options = [option for _kind, _name, found in declared for option in found.values()] + extra
    if file_format == "env":
        errors = unknown_environment_variables(config.env, options)
    else:
        errors = [message for path in _files_in_use(config) for message in unknown_ini_entries(path, options)]
    for message in errors:
        print(f"[ERROR]: {message}", file=sys.stderr)
    if errors:
        return 1
    print(VALID)
    return 0


def main(argv: list[str] | None = None) -> int:
    def body(argv: list[str] | None) -> int:
        args = parse(_parser(), argv)
        display = Display()
        # -c: that file alone (as corral.cfg and as ansible.cfg), none found elsewhere
        env = dict(os.environ, CORRAL_CONFIG=args.config, ANSIBLE_CONFIG=args.config) if args.config else None
        if args.config and not os.path.isfile(args.config):
            raise CorralError(f"The configuration file {args.config!r} does not exist.")
        config = Config(env=env)
        show_config_file(display, config, args.verbosity, prog="corral-config")
        if args.command == "view":
            return _view(config)
        plugins = PluginManager()
        declared = list(_declarations(plugins, _kinds(args.kind), display))
        if args.command == "list":
            _list(declared, args.output_format)
        elif args.command == "init":
            _init(declared, args.format, args.disabled)
        elif args.command == "validate":
            extra = list(_content_options(plugins)) if args.kind in (None, "all") else []
            return _validate(declared, config, args.format, extra)
        else:
            _dump(declared, config, args.only_changed, args.output_format)
        return 0
    return run_cli(body, argv)
