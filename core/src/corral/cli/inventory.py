"""``corral-inventory``: show the inventory as corral (and Ansible) sees it.

``--list`` prints the JSON of ``ansible-inventory --list`` (groups with ``hosts``
and ``children``, ``_meta.hostvars``); ``--host H`` one host's variables;
``--graph [GROUP] [--vars]`` a tree; ``--yaml`` YAML instead of JSON;
``--toml`` TOML (with the ``tomli-w`` library, as Ansible); ``--export`` keeps group
variables on groups instead of flattening them into hosts.  ``-e`` adds extra
variables to every host's (not with ``--export``, as Ansible); ``--vault-id``,
``--vault-password-file`` and ``--ask-vault-pass`` give vault secrets: ``--graph
--vars`` shows vaulted values decrypted (without a secret, an error), ``--list`` and
``--host`` show them encrypted (``{"__ansible_vault": ...}``, YAML's ``!vault``), as
ansible-inventory 2.21 does.  ``--check-script PATH`` has the inventory plugin that checks such sources
(``corral_inventory_check``; for scripts, the ``script`` plugin) run or read it and
report every problem it finds.  Sources: ``-i`` (many), else ``CORRAL_INVENTORY`` /
``ANSIBLE_INVENTORY``, else ``[defaults] inventory`` of corral.cfg/ansible.cfg.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Sequence

from corral.cli.completion import parse
from corral.cli.inventory_json import inventory_json, json_key, vault_text
from corral.cli.options import show_config_file
from corral.cli.signals import Terminated, die_by_sigterm, interrupt_handlers
from corral.assembly import parse_extra_vars
from corral.cli.version import add_version_option
from corral.display import Display, env_value
from corral.errors import CorralError, CorralOptionsError, CorralParserError, CorralPluginError
from corral.parsing.vault import EncryptedValue
from corral.parsing.vault_secrets import secrets_from_options, with_configured_sources

__all__ = ["main", "INTERNAL_VARS"]

#: variables Ansible never shows in inventory output (magic or run-time ones)
INTERNAL_VARS = frozenset({
    "ansible_async_path", "ansible_collection_name", "ansible_config_file", "ansible_dependent_role_names",
    "ansible_diff_mode", "ansible_facts", "ansible_forks", "ansible_inventory_sources", "ansible_limit",
    "ansible_play_batch", "ansible_play_hosts", "ansible_play_hosts_all", "ansible_play_role_names",
    "ansible_playbook_python", "ansible_role_name", "ansible_role_names", "ansible_run_tags",
    "ansible_skip_tags", "ansible_verbosity", "ansible_version", "inventory_dir", "inventory_file",
    "inventory_hostname", "inventory_hostname_short", "groups", "group_names", "hostvars", "playbook_dir",
    "play_hosts", "role_name", "role_names", "role_path", "role_uuid",
})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corral-inventory",
        description="Show the inventory (hosts, groups, variables) as corral sees it.")
    add_version_option(parser)
    parser.add_argument("-i", "--inventory", "--inventory-file", dest="inventory", action="append",
                        help="inventory source: a path, a directory, 'host1,host2,' or a plugin config "
                             "(may be given many times)")
    parser.add_argument("-l", "--limit", help="further limit the hosts to this pattern (@file reads a file)")
    parser.add_argument("--playbook-dir", dest="basedir", default=env_value("PLAYBOOK_DIR"),
                        help="read group_vars/host_vars and plugin folders (cache_plugins/...) beside this "
                             "directory too (default: CORRAL_PLAYBOOK_DIR or ANSIBLE_PLAYBOOK_DIR; else none "
                             "for --export and the current directory otherwise, as Ansible does)")
    parser.add_argument("--vars", dest="show_vars", action="store_true", help="add variables to --graph")
    parser.add_argument("-y", "--yaml", action="store_true", help="YAML instead of JSON (--list)")
    parser.add_argument("--toml", action="store_true", help="TOML instead of JSON (--list, --host; needs tomli-w)")
    parser.add_argument("-e", "--extra-vars", action="append", dest="extra_vars", default=[],
                        help="add variables to every host's as key=value, YAML/JSON, or @file (repeatable; "
                             "not with --export)")
    parser.add_argument("--vault-id", action="append", dest="vault_ids", default=[],
                        help="a vault identity to decrypt with, label@source (repeatable)")
    parser.add_argument("--vault-password-file", "--vault-pass-file", action="append",
                        dest="vault_password_files", default=[], help="a vault password file (repeatable)")
    parser.add_argument("-J", "--ask-vault-password", "--ask-vault-pass", action="store_true",
                        dest="ask_vault_pass", help="ask for the vault password")
    parser.add_argument("--flush-cache", action="store_true", dest="flush_cache",
                        help="clear the fact cache for every host in inventory")
    parser.add_argument("--export", action="store_true",
                        help="keep group variables on groups instead of merging them into hosts")
    parser.add_argument("--output", help="write the --list/--host result to this file")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more output (-vvvv: how each inventory source was parsed)")
    actions = parser.add_argument_group("actions (exactly one)")
    actions.add_argument("--list", action="store_true", help="the whole inventory")
    actions.add_argument("--host", help="the variables of one host")
    actions.add_argument("--graph", action="store_true", help="a tree of groups and hosts")
    actions.add_argument("--check-script", metavar="PATH",
                         help="run a dynamic inventory script and report protocol problems")
    parser.add_argument("group", nargs="?", default=None, help="the group --graph starts at (default all)")
    return parser


def _config() -> Any:
    """The run's configuration, or ``None`` when it cannot be read (it is optional
    for this command)."""
    try:
        from corral.config import Config
        return Config()
    except Exception:  # noqa: BLE001 - configuration is optional for this command
        return None


def _sources(args: argparse.Namespace, config: Any) -> list[str]:
    if args.inventory:
        return [s for s in args.inventory if s]
    if config is not None:
        return list(config.get("inventory") or [])
    value = os.environ.get("CORRAL_INVENTORY") or os.environ.get("ANSIBLE_INVENTORY")
    return [p for p in value.split(",") if p] if value else ["/etc/ansible/hosts"]


def _enabled(config: Any) -> list[str] | None:
    try:
        return list(config.get("inventory_enable_plugins")) if config is not None else None
    except Exception:  # noqa: BLE001
        return None


def _unparsed_policy(config: Any) -> dict[str, bool]:
    """``[inventory] unparsed_is_failed`` / ``any_unparsed_is_failed``, as InventoryManager takes them."""
    if config is None:
        return {}
    return {"unparsed_failed": bool(config.get("inventory_unparsed_failed")),
            "any_unparsed_failed": bool(config.get("inventory_any_unparsed_failed"))}


class _Views:
    """Renders one inventory the way ``ansible-inventory`` does."""

    def __init__(self, manager: Any, args: argparse.Namespace, extra_vars: dict[str, Any] | None = None) -> None:
        self.manager = manager
        self.extra_vars = extra_vars or {}
        self.export = args.export
        self.basedir = os.path.abspath(args.basedir) if args.basedir else None
        self.playbook_dir = self.basedir or os.getcwd()

    @staticmethod
    def _public(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k not in INTERNAL_VARS}

    def host_vars(self, host: Any) -> dict[str, Any]:
        if self.export:
            values = dict(host.vars)
            values.update(self.manager.get_host_plugin_vars(host, self.basedir))
        else:
            values = self.manager.get_inventory_vars(host, self.playbook_dir, stage="all")
            values.update(self.extra_vars)
        return self._public(values)

    def group_vars(self, group: Any) -> dict[str, Any]:
        values = group.get_vars()
        values.update(self.manager.get_group_plugin_vars(group, self.basedir))
        if group.priority != 1:
            values["ansible_group_priority"] = group.priority
        return self._public(values)

    def _add_exported_vars(self, entry: dict[str, Any], group: Any) -> None:
        """With ``--export``, set ``entry["vars"]`` to ``group``'s variables when it has any."""
        if self.export:
            group_vars = self.group_vars(group)
            if group_vars:
                entry["vars"] = group_vars

    def as_list(self, top: Any) -> dict[str, Any]:
        hosts = self.manager.get_hosts(top.name)
        available = frozenset(h.name for h in hosts)
        result: dict[str, Any] = {}
        seen: set[str] = set()
        stack = [top]
        while stack:
            group = stack.pop()
            entry: dict[str, Any] = {}
            if group.name != "all":
                members = [h.name for h in group.hosts if h.name in available]
                if members:
                    entry["hosts"] = members
            children = [child.name for child in group.child_groups]
            if children:
                entry["children"] = children
            self._add_exported_vars(entry, group)
            if entry:
                result[group.name] = entry
            for child in reversed(group.child_groups):
                if child.name not in seen:
                    seen.add(child.name)
                    stack.append(child)
        hostvars = {}
        for host in hosts:
            values = self.host_vars(host)
            if values:
                hostvars[host.name] = values
        # the profile names the format of the values (ansible-inventory 2.21 writes it too)
        result["_meta"] = {"hostvars": hostvars, "profile": "inventory_legacy"}
        return result

    def as_yaml_tree(self, top: Any) -> dict[str, Any]:
        available = frozenset(h.name for h in self.manager.get_hosts(top.name))
        seen_hosts: set[str] = set()
        seen_groups: set[str] = set()

        def render(group: Any) -> dict[str, Any]:
            entry: dict[str, Any] = {}
            children: dict[str, Any] = {}
            for child in group.child_groups:
                if child.name in seen_groups:
                    children[child.name] = {}
                else:
                    seen_groups.add(child.name)
                    children.update(render(child))
            if children:
                entry["children"] = children
            if group.name != "all":
                hosts = {}
                for host in group.hosts:
                    if host.name in available:
                        values: dict[str, Any] = {}
                        if host.name not in seen_hosts:
                            seen_hosts.add(host.name)
                            values = self.host_vars(host)
                        hosts[host.name] = values
                if hosts:
                    entry["hosts"] = hosts
            self._add_exported_vars(entry, group)
            return {group.name: entry} if entry else {}

        return render(top)

    def as_toml_tables(self, top: Any) -> dict[str, Any]:
        """``--list --toml``'s shape: every group a top-level table (a group before its
        children), with ``children`` (not for ``all``), ``hosts`` (each host's variables
        the first time it is shown, empty after) and, with ``--export``, ``vars``;
        empty groups left out (``ungrouped`` when it has no host)."""
        available = frozenset(h.name for h in self.manager.get_hosts(top.name))
        shown: set[str] = set()
        tables: dict[str, Any] = {}

        def visit(group: Any) -> None:
            entry: dict[str, Any] = {}
            tables[group.name] = entry
            children = []
            for child in group.child_groups:
                if child.name == "ungrouped" and not child.hosts:
                    continue
                children.append(child.name)
                visit(child)
            if children and group.name != "all":
                entry["children"] = children
            if group.name != "all":
                hosts: dict[str, Any] = {}
                for host in sorted(group.hosts, key=lambda h: h.name):
                    if host.name in available:
                        hosts[host.name] = self.host_vars(host) if host.name not in shown else {}
                        shown.add(host.name)
                if hosts:
                    entry["hosts"] = hosts
            self._add_exported_vars(entry, group)
            if not entry:
                del tables[group.name]

        visit(top)
        return tables

    def graph(self, group: Any, show_vars: bool, depth: int = 0) -> list[str]:
        lines = [_graph_line(f"@{group.name}:", depth)]
        for child in group.child_groups:
            lines.extend(self.graph(child, show_vars, depth + 1))
        if group.name != "all":
            for host in group.hosts:
                lines.append(_graph_line(host.name, depth + 1))
                if show_vars:
                    lines.extend(_graph_vars(self.host_vars(host), depth + 2))
        if show_vars:
            lines.extend(_graph_vars(self.group_vars(group), depth + 1))
        return lines


def _graph_line(text: str, depth: int) -> str:
    return "  |" * depth + "--" + text if depth else text


def _graph_vars(values: dict[str, Any], depth: int) -> list[str]:
    """Variables as ``--graph --vars`` shows them: vaulted values decrypted."""
    return [_graph_line(f"{{{name} = {_plain(value)}}}", depth)
            for name, value in sorted(values.items(), key=lambda item: str(item[0]))]


def _plain(value: Any) -> Any:
    """A vaulted value's plaintext (decrypting it: an error without its secret)."""
    return value.data if isinstance(value, EncryptedValue) else value


def _yaml(data: Any) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    Dumper.add_multi_representer(str, lambda d, v: d.represent_str(str(v)))
    Dumper.add_representer(EncryptedValue, lambda d, v: d.represent_scalar("!vault", vault_text(v), style="|"))
    Dumper.add_multi_representer(dict, lambda d, v: d.represent_dict({json_key(k): i for k, i in v.items()}))
    Dumper.add_multi_representer(list, lambda d, v: d.represent_list(list(v)))
    return yaml.dump(data, Dumper=Dumper, default_flow_style=False, allow_unicode=True).rstrip("\n")


def _toml(data: Any) -> str:
    """TOML with the ``tomli-w`` library (an error without it, as ansible-inventory)."""
    try:
        import tomli_w
    except ImportError:
        raise CorralError('The Python library "tomli-w" is required when using the TOML output format.') from None

    def plain(value: Any) -> Any:
        if isinstance(value, EncryptedValue):
            raise CorralError("Object of type 'EncryptedString' is not TOML serializable")
        if isinstance(value, dict):
            return {str(json_key(k)): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple, set)):
            return [plain(item) for item in value]
        return str(value) if isinstance(value, str) else value

    return tomli_w.dumps(plain(data)).rstrip("\n")


def _check_source(plugins: Any, path: str) -> int:
    """Print what the inventory plugin that checks ``path`` found (the
    ``corral_inventory_check`` hook); 1 when it found problems."""
    check = plugins.inventory_check(os.path.abspath(path))
    if check is None:
        raise CorralPluginError(f"No installed inventory plugin checks the source {path} (none answers the "
                                f"corral_inventory_check hook for it).")
    if check.problems:
        count = len(check.problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''} found:")
        for problem in check.problems:
            print(f"  - {problem}")
    else:
        print(f"{path}: {check.passed}")
    if check.notes:
        print("Notes:")
        for note in check.notes:
            print(f"  - {note}")
    return 1 if check.problems else 0


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code (warnings and errors go to stderr)."""
    args = parse(_parser(), argv)
    from corral.inventory.manager import InventoryManager
    from corral.parsing.dataloader import DataLoader
    from corral.plugins.manager import PluginManager

    def warn(message: str) -> None:
        print(f"[WARNING]: {message}", file=sys.stderr)

    used = sum(1 for action in (args.list, args.host, args.graph, args.check_script) if action)
    if used == 0:
        raise CorralOptionsError("No action selected, at least one of --host, --graph, --list or "
                                 "--check-script needs to be specified.")
    if used > 1:
        raise CorralOptionsError("Conflicting options used, only one of --host, --graph, --list or "
                                 "--check-script can be used at the same time.")
    config = _config()
    for warning in getattr(config, "warnings", []):
        warn(warning)
    if args.verbose and config is not None:
        show_config_file(Display(), config, args.verbose, prog="corral-inventory")
    plugins = PluginManager(warn=warn)
    plugins.content.configure(config)
    if args.check_script:
        return _check_source(plugins, args.check_script)
    if args.group and not args.graph:
        raise CorralOptionsError("A group name is only accepted with --graph.")
    loader = DataLoader()
    loader.set_warning_handler(warn)
    vault_ids, vault_files = with_configured_sources(config, args.vault_ids, args.vault_password_files) \
        if config is not None else (args.vault_ids, args.vault_password_files)
    secrets = secrets_from_options(vault_ids=vault_ids, vault_password_files=vault_files,
                                   ask_vault_pass=args.ask_vault_pass)
    if secrets:
        loader.set_vault_secrets(secrets)
    if args.basedir:
        loader.set_basedir(args.basedir)
        plugins.content.add_playbook_dir(os.path.abspath(args.basedir))
    manager = InventoryManager(loader, sources=_sources(args, config), plugins=plugins,
                               enable_plugins=_enabled(config), warn=warn, config=config,
                               **_unparsed_policy(config))
    # as ansible-inventory: which plugin parsed each source at -vvv, the details at -vvvv
    for kind, text in manager.messages:
        if (kind == "trace" and args.verbose >= 3) or (kind == "detail" and args.verbose >= 4):
            print(text)
    if args.limit:
        manager.subset(args.limit)
    if args.flush_cache:
        _flush_facts(manager, plugins, config)
    views = _Views(manager, args, parse_extra_vars(tuple(args.extra_vars), loader) if not args.export else None)
    if args.graph:
        top = manager.groups.get(args.group or "all")
        if top is None:
            raise CorralOptionsError("Pattern must be valid group name when using --graph")
        output = "\n".join(views.graph(top, args.show_vars))
    elif args.host:
        hosts = manager.get_hosts(args.host)
        if len(hosts) != 1:
            raise CorralOptionsError("You must pass a single valid host to --host parameter")
        data = views.host_vars(hosts[0])
        output = _yaml(data) if args.yaml else _toml(data) if args.toml else inventory_json(data)
    else:
        top = manager.groups["all"]
        if args.toml:
            output = _toml(views.as_toml_tables(top))
        else:
            data = views.as_yaml_tree(top) if args.yaml else views.as_list(top)
            output = _yaml(data) if args.yaml else inventory_json(data)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(output + "\n")
    else:
        sys.stdout.write(output + "\n")
    return 0


def _flush_facts(manager: Any, plugins: Any, config: Any) -> None:
    """``--flush-cache``: delete every inventory host's facts from the configured
    fact cache (``fact_caching``; nothing to do for the in-memory one)."""
    name = str(config.get("fact_caching") or "memory") if config is not None else "memory"
    if name == "memory":
        return
    cache = plugins.cache_class(name)(connection=config.get("fact_caching_connection"),
                                      timeout=int(config.get("fact_caching_timeout") or 0),
                                      prefix=str(config.get("fact_caching_prefix") or ""))
    for host in manager.get_hosts("all", ignore_restrictions=True):
        cache.delete(host.name)


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point: Ansible's exit codes (5 bad options, 4 parse error, 1 other,
    99 interrupted; SIGTERM kills it after the cleanup, see :mod:`corral.cli.signals`)."""
    with interrupt_handlers():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    try:
        return run(argv)
    except CorralOptionsError as exc:
        print(f"ERROR! {exc}", file=sys.stderr)
        return 5
    except CorralParserError as exc:
        print(f"ERROR! {exc}", file=sys.stderr)
        return 4
    except CorralError as exc:
        print(f"ERROR! {exc}", file=sys.stderr)
        return 1
    except Terminated:
        die_by_sigterm()
        return 143
    except KeyboardInterrupt:
        print("ERROR! User interrupted execution", file=sys.stderr)
        return 99


if __name__ == "__main__":
    raise SystemExit(main())
