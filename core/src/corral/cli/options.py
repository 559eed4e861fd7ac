"""Command line options shared by ``corral`` and ``corral-playbook`` (Ansible's flags),
and the error handling every CLI uses (Ansible's exit codes)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
import traceback
from typing import Any, Callable

from corral import __version__
from corral.cli.signals import Terminated, die_by_sigterm, interrupt_handlers
from corral.errors import CorralError, CorralOptionsError, CorralParserError

__all__ = ["base_parser", "parse_extra_vars", "run_cli", "RunOptions", "build_run"]


def base_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The options every run-type CLI accepts."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--version", action="version", version=f"{prog} [corral {__version__}]")
    parser.add_argument("-i", "--inventory", "--inventory-file", action="append", dest="inventory",
                        help="inventory host path or comma separated host list (repeatable)")
    parser.add_argument("-e", "--extra-vars", action="append", dest="extra_vars", default=[],
                        help="set additional variables as key=value, YAML/JSON, or @file (repeatable)")
    parser.add_argument("-l", "--limit", dest="subset", help="further limit selected hosts to a pattern")
    parser.add_argument("-f", "--forks", type=int, help="number of parallel processes")
    parser.add_argument("-C", "--check", action="store_true", help="don't make any changes")
    parser.add_argument("-D", "--diff", action="store_true", help="show differences in changed files")
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="verbosity")
    parser.add_argument("-c", "--connection", help="connection type to use (default: from inventory)")
    parser.add_argument("-u", "--user", dest="remote_user", help="connect as this user")
    parser.add_argument("-T", "--timeout", type=int, help="connection timeout in seconds")
    parser.add_argument("--private-key", "--key-file", dest="private_key_file", help="private key file")
    parser.add_argument("-k", "--ask-pass", action="store_true", help="ask for connection password")
    parser.add_argument("--connection-password-file", "--conn-pass-file", dest="connection_password_file")
    parser.add_argument("--ssh-common-args", dest="ssh_common_args",
                        help="arguments for ssh, sftp and scp (e.g. ProxyCommand)")
    parser.add_argument("--ssh-extra-args", dest="ssh_extra_args", help="arguments for ssh only (e.g. -R)")
    parser.add_argument("--sftp-extra-args", dest="sftp_extra_args", help="arguments for sftp only")
    parser.add_argument("--scp-extra-args", dest="scp_extra_args", help="arguments for scp only")
    parser.add_argument("-b", "--become", action="store_true", default=None, help="run operations with become")
    parser.add_argument("--become-method", help="privilege escalation method: a become plugin (sudo, su, runuser...)")
    parser.add_argument("--become-user", help="run operations as this user")
    parser.add_argument("-K", "--ask-become-pass", action="store_true", help="ask for privilege escalation password")
    parser.add_argument("--become-password-file", "--become-pass-file", dest="become_password_file")
    parser.add_argument("--vault-id", action="append", dest="vault_ids", default=[])
    parser.add_argument("--vault-password-file", "--vault-pass-file", action="append",
                        dest="vault_password_files", default=[])
    parser.add_argument("-J", "--ask-vault-password", "--ask-vault-pass", action="store_true",
                        dest="ask_vault_pass")
    parser.add_argument("-M", "--module-path", dest="module_path", help="accepted for compatibility")
    parser.add_argument("--playbook-dir", dest="basedir")
    return parser


def parse_extra_vars(values: list[str], loader: Any) -> dict[str, Any]:
    """``-e`` values: ``@file`` (YAML/JSON), inline YAML/JSON, or ``key=value`` pairs."""
    from corral.parsing.splitter import parse_kv
    result: dict[str, Any] = {}
    for value in values:
        value = value.strip()
        if not value:
            continue
        if value.startswith("@"):
            data = loader.load_from_file(value[1:])
        elif value[0] in "[{":
            data = loader.load(value, file_name="<extra vars>")
        else:
            data = parse_kv(value)
            if "_raw_params" in data:
                raise CorralOptionsError(f"Invalid extra vars data supplied. '{value}' could not be made "
                                         f"into a dictionary")
        if not isinstance(data, dict):
            raise CorralOptionsError(f"Invalid extra vars data supplied. '{value}' could not be made into a "
                                     f"dictionary")
        result.update(data)
    return result


def _read_password_file(path: str) -> str:
    with open(os.path.expanduser(path), encoding="utf-8") as handle:
        return handle.read().strip()


class RunOptions:
    """The parsed options in the shape the API wants (the seed's ``Options`` fields
    and more), and the passwords."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.connection = args.connection
        self.module_path = args.module_path
        self.forks = args.forks
        self.become = args.become
        self.become_method = args.become_method
        self.become_user = args.become_user
        self.check = args.check
        self.diff = args.diff
        self.verbosity = args.verbosity
        self.remote_user = args.remote_user
        self.private_key_file = args.private_key_file
        self.timeout = args.timeout
        # read by connection plugins that declare them (their options' ``cli`` source)
        self.ssh_common_args = args.ssh_common_args
        self.ssh_extra_args = args.ssh_extra_args
        self.sftp_extra_args = args.sftp_extra_args
        self.scp_extra_args = args.scp_extra_args
        self.tags = getattr(args, "tags", None)
        self.skip_tags = getattr(args, "skip_tags", None)
        self.force_handlers = getattr(args, "force_handlers", False)
        self.start_at_task = getattr(args, "start_at_task", None)
        self.passwords: dict[str, Any] = {}
        if args.ask_pass:
            self.passwords["conn_pass"] = getpass.getpass("SSH password: ")
        elif args.connection_password_file:
            self.passwords["conn_pass"] = _read_password_file(args.connection_password_file)
        if args.ask_become_pass:
            self.passwords["become_pass"] = getpass.getpass("BECOME password: ")
        elif args.become_password_file:
            self.passwords["become_pass"] = _read_password_file(args.become_password_file)


def split_tags(values: list[str] | None) -> list[str]:
    """``--tags a,b --tags c`` -> ``['a', 'b', 'c']``."""
    tags: list[str] = []
    for value in values or []:
        tags += [t.strip() for t in value.split(",") if t.strip()]
    return tags


def build_run(args: argparse.Namespace, *, playbook_dir: str | None = None) -> dict[str, Any]:
    """Build the run's objects from parsed options: config, loader (with vault
    secrets), inventory (with ``--limit``), variable manager (with extra vars)."""
    from corral.config import Config
    from corral.inventory.manager import InventoryManager
    from corral.parsing.dataloader import DataLoader
    from corral.parsing.vault import secrets_from_options, with_configured_sources
    from corral.plugins.manager import PluginManager
    from corral.vars.manager import VariableManager

    config = Config()
    loader = DataLoader()
    loader.set_duplicate_key_policy(str(config.get("duplicate_dict_key")).lower())
    if playbook_dir:
        loader.set_basedir(playbook_dir)
    vault_ids, vault_files = with_configured_sources(config, args.vault_ids, args.vault_password_files)
    if vault_ids or vault_files or args.ask_vault_pass:
        loader.set_vault_secrets(secrets_from_options(vault_ids=vault_ids, vault_password_files=vault_files,
                                                      ask_vault_pass=args.ask_vault_pass))
    plugins = PluginManager()
    sources = args.inventory or config.get("inventory")
    inventory = InventoryManager(loader=loader, sources=sources, plugins=plugins,
                                 enable_plugins=config.get("inventory_enable_plugins"),
                                 unparsed_failed=bool(config.get("inventory_unparsed_failed")),
                                 any_unparsed_failed=bool(config.get("inventory_any_unparsed_failed")))
    variable_manager = VariableManager(loader=loader, inventory=inventory)
    variable_manager.extra_vars = parse_extra_vars(args.extra_vars, loader)
    variable_manager.roles_path = config.get("roles_path")
    if args.subset:
        inventory.subset(args.subset)
    return {"config": config, "loader": loader, "plugins": plugins, "inventory": inventory,
            "variable_manager": variable_manager}


def run_cli(main: Callable[[list[str] | None], int], argv: list[str] | None, display: Any = None) -> int:
    """Run a CLI body with Ansible's exit codes: 4 parse errors, 5 bad options,
    1 other errors, 99 interrupted (SIGINT), 250 unexpected; SIGTERM ends the
    process as killed by SIGTERM after the cleanup (see :mod:`corral.cli.signals`)."""
    from corral.display import Display
    display = display or Display()
    with interrupt_handlers():
        try:
            return main(argv)
        except CorralParserError as exc:
            display.error(str(exc))
            return 4
        except CorralOptionsError as exc:
            display.error(str(exc))
            return 5
        except CorralError as exc:
            display.error(str(exc))
            return 1
        except Terminated:
            die_by_sigterm()
            return 143
        except KeyboardInterrupt:
            display.error("User interrupted execution")
            return 99
        except BrokenPipeError:
            return 1
        except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
            display.error(f"Unexpected Exception, this is probably a bug: {exc}")
            if os.environ.get("CORRAL_DEBUG") or os.environ.get("ANSIBLE_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            return 250
