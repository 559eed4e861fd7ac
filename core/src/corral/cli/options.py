"""Command line options shared by ``corral`` and ``corral-playbook`` (Ansible's flags),
and the error handling every CLI uses (Ansible's exit codes)."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any, Callable, Sequence

from corral.cli.signals import Terminated, die_by_sigterm, interrupt_handlers
from corral.cli.version import add_version_option, version_text
from corral.errors import CorralError, CorralOptionsError, CorralParserError
from corral.inventory.slicing import HostSlice

if TYPE_CHECKING:
    from corral.assembly import RunObjects

__all__ = ["base_parser", "run_cli", "build_run", "require_hosts", "show_config_file",
           "warn_empty_inventory", "prepend_module_path"]


def base_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The options every run-type CLI accepts."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_version_option(parser)
    parser.add_argument("-i", "--inventory", "--inventory-file", action="append", dest="inventory",
                        help="inventory host path or comma separated host list (repeatable)")
    parser.add_argument("-e", "--extra-vars", action="append", dest="extra_vars", default=[],
                        help="set additional variables as key=value, YAML/JSON, or @file (repeatable)")
    parser.add_argument("-l", "--limit", dest="subset", help="further limit selected hosts to a pattern")
    parser.add_argument("--slice", dest="host_slice", type=_slice_option, metavar="M/N",
                        help="run only the M-th of N disjoint slices of the hosts left by --limit (hosts sorted "
                             "by name, every N-th from the M-th, as AWX job slicing)")
    parser.add_argument("-f", "--forks", type=int, help="number of parallel processes")
    parser.add_argument("-C", "--check", action="store_true", help="don't make any changes")
    parser.add_argument("-D", "--diff", action="store_true", help="show differences in changed files")
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="verbosity",
                        help="more output (repeatable: -vvv shows the connection, -vvvv more)")
    parser.add_argument("-c", "--connection", help="connection type to use (default: from inventory)")
    parser.add_argument("-u", "--user", dest="remote_user", help="connect as this user")
    parser.add_argument("-T", "--timeout", type=int, help="connection timeout in seconds")
    parser.add_argument("--private-key", "--key-file", dest="private_key_file", help="private key file")
    parser.add_argument("-k", "--ask-pass", action="store_true", help="ask for connection password")
    parser.add_argument("--connection-password-file", "--conn-pass-file", dest="connection_password_file",
                        help="connection password file")
    parser.add_argument("--ssh-common-args", dest="ssh_common_args",
                        help="arguments for ssh, sftp and scp (e.g. ProxyCommand)")
    parser.add_argument("--ssh-extra-args", dest="ssh_extra_args", help="arguments for ssh only (e.g. -R)")
    parser.add_argument("--sftp-extra-args", dest="sftp_extra_args", help="arguments for sftp only")
    parser.add_argument("--scp-extra-args", dest="scp_extra_args", help="arguments for scp only")
    parser.add_argument("-b", "--become", action="store_true", default=None, help="run operations with become")
    parser.add_argument("--become-method", help="privilege escalation method: a become plugin (sudo, su, runuser...)")
    parser.add_argument("--become-user", help="run operations as this user")
    parser.add_argument("-K", "--ask-become-pass", action="store_true", help="ask for privilege escalation password")
    parser.add_argument("--become-password-file", "--become-pass-file", dest="become_password_file",
                        help="become password file")
    parser.add_argument("--vault-id", action="append", dest="vault_ids", default=[],
                        help="a vault identity to use, label@source (repeatable)")
    parser.add_argument("--vault-password-file", "--vault-pass-file", action="append",
                        dest="vault_password_files", default=[], help="a vault password file (repeatable)")
    parser.add_argument("-J", "--ask-vault-password", "--ask-vault-pass", action="store_true",
                        dest="ask_vault_pass", help="ask for the vault password")
    parser.add_argument("-M", "--module-path", dest="module_path", action="append", default=[],
                        help="prepend colon-separated path(s) to the module library (repeatable)")
    parser.add_argument("--playbook-dir", dest="basedir",
                        help="the directory relative paths, roles and plugin folders are found from, as a "
                             "playbook's would be")
    return parser


def _slice_option(text: str) -> HostSlice:
    """``--slice``'s value; a bad one is a usage error (exit code 2, like Ansible's bad options)."""
    try:
        return HostSlice.parse(text)
    except CorralOptionsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_run(args: argparse.Namespace, *, basedir: str | None = None, tags: Sequence[str] = (),
              skip_tags: Sequence[str] = (), force_handlers: bool = False, start_at_task: str | None = None,
              step: bool = False, flush_cache: bool = False) -> RunObjects:
    """The run's settings from parsed options (:meth:`RunSettings.from_args`; the
    playbook CLI's own options as keywords) and its objects built from them
    (:func:`corral.assembly.assemble`)."""
    from corral.assembly import assemble
    from corral.config import Config
    from corral.settings import RunSettings
    prepend_module_path(getattr(args, "module_path", None) or [])
    config = Config()
    settings = RunSettings.from_args(args, config, basedir=basedir, tags=tags, skip_tags=skip_tags,
                                     force_handlers=force_handlers, start_at_task=start_at_task, step=step,
                                     flush_cache=flush_cache)
    return assemble(settings, config)


def prepend_module_path(paths: Sequence[str]) -> None:
    """``-M``: put ``paths`` (each may be colon-separated) before the configured module
    library of this process (``ANSIBLE_LIBRARY``, which the content layer searches for
    modules as Ansible's ``library`` setting)."""
    if not paths:
        return
    configured = os.environ.get("ANSIBLE_LIBRARY")
    os.environ["ANSIBLE_LIBRARY"] = os.pathsep.join([*paths, *([configured] if configured else [])])


def require_hosts(run: RunObjects, pattern: str = "all") -> None:
    """Fail as Ansible does when ``--limit`` (or ``--slice``) leaves ``pattern`` no
    hosts of a non-empty inventory; without either, an empty match is the caller's
    warning, not an error."""
    settings = run.settings
    if not (settings.limit or settings.host_slice) or not run.inventory.hosts or run.inventory.get_hosts(pattern):
        return
    if settings.host_slice is None:
        raise CorralError("Specified inventory, host pattern and/or --limit leaves us with no hosts to target.")
    raise CorralError(f"Specified inventory, host pattern and/or --limit leave no hosts in slice "
                      f"{settings.host_slice} (slice M is empty when fewer than M hosts are left to slice).")


def show_config_file(display: Any, config: Any, verbosity: int, prog: str | None = None) -> None:
    """At ``-v`` and above, say which config file the run reads, or that it reads none
    (ansible-playbook's and ansible's first line of verbose output); from ``-vv``,
    the ``--version`` text of ``prog`` (default: the running program's name) first,
    as every ansible-core CLI prints it."""
    if not verbosity:
        return
    if verbosity >= 2:
        display.display(version_text(prog or os.path.basename(sys.argv[0])))
    if config.config_file:
        display.display(f"Using {config.config_file} as config file")
    else:
        display.display("No config file found; using defaults")


#: host patterns that name the implicit localhost (no warning when the inventory is empty)
_LOCALHOST_NAMES = ("localhost", "127.0.0.1", "::1")


def warn_empty_inventory(display: Any, run: RunObjects, pattern: str | None = None) -> None:
    """Ansible's warning that an inventory without hosts leaves only the implicit
    localhost (unless ``localhost_warning`` is off, or ``pattern`` names localhost)."""
    if run.inventory.hosts or pattern in _LOCALHOST_NAMES or not run.config.get("localhost_warning"):
        return
    display.warning("provided hosts list is empty, only localhost is available. Note that the implicit "
                    "localhost does not match 'all'")


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
