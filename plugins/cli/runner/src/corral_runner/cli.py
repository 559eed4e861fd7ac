"""``corral-runner``: ansible-runner's command line over corral.

::

    corral-runner run PRIVATE_DATA_DIR -p site.yml            run in the foreground
    corral-runner run PRIVATE_DATA_DIR -m ping --hosts all    an ad-hoc module
    corral-runner run PRIVATE_DATA_DIR -r ROLE --hosts web    a role (from <private_data_dir>/roles)
    corral-runner start PRIVATE_DATA_DIR -p site.yml          run in the background (pid file ``pid``,
                                                              errors in ``daemon.log``)
    corral-runner stop PRIVATE_DATA_DIR                       kill the background run
    corral-runner is-alive PRIVATE_DATA_DIR                   rc 0 while it runs, 1 otherwise

``run`` exits with the run's rc; ``start``, ``stop`` and ``is-alive`` as ansible-runner.
"""
from __future__ import annotations

import argparse
import ast
import json
import logging
import os
import signal
import sys
import traceback
import uuid
from pathlib import Path
from typing import Any, Sequence

from corral_runner.interface import role_play, run
from corral_runner.runner import Runner

__all__ = ["main", "build_parser"]


def _runner_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("Ansible Runner Options")
    group.add_argument("--debug", action="store_true", help="show corral-runner's debug messages on stderr")
    group.add_argument("--logfile", help="also write corral-runner's messages to this file")
    group.add_argument("-b", "--binary", help="the full path of the program to run instead of corral-playbook")
    group.add_argument("-i", "--ident", default=None,
                       help="an identifier naming the artifacts directory of this run (default: a new UUID)")
    group.add_argument("--rotate-artifacts", type=int, default=0,
                       help="keep at most this many artifact directories (default=0, disabled)")
    group.add_argument("--artifact-dir", help="the artifact root (default=<private_data_dir>/artifacts)")
    group.add_argument("--project-dir", help="the playbook directory (default=<private_data_dir>/project)")
    group.add_argument("--inventory", help="the inventory (default=<private_data_dir>/inventory)")
    group.add_argument("-j", "--json", action="store_true",
                       help="print the JSON job events instead of the run's output")
    group.add_argument("--omit-event-data", action="store_true", help="events without event_data")
    group.add_argument("--only-failed-event-data", action="store_true",
                       help="event_data only for failed events")
    group.add_argument("--omit-env-files", dest="suppress_env_files", action="store_true",
                       help="do not write the env directory")
    group.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    group.add_argument("-v", action="count", dest="verbosity", default=None,
                       help="more verbose output of the run (up to -vvvvv)")
    what = parent.add_mutually_exclusive_group()
    what.add_argument("-p", "--playbook", help="a playbook of the project directory")
    what.add_argument("-m", "--module", help="a module to run ad-hoc (with --hosts and -a)")
    what.add_argument("-r", "--role", help="a role to run (with --hosts, --roles-path, --role-vars)")
    ansible = parent.add_argument_group("Ansible Options")
    ansible.add_argument("--limit", help="as --limit: further limit the hosts")
    ansible.add_argument("--cmdline", help="more command line options for corral-playbook / corral")
    ansible.add_argument("--hosts", help="the host pattern of an ad-hoc module (-m)")
    ansible.add_argument("--forks", type=int, help="as --forks")
    ansible.add_argument("-a", "--args", dest="module_args", help="the arguments of the module (-m)")
    roles = parent.add_argument_group("Ansible Role Options")
    roles.add_argument("--roles-path", help="where the role is (default=<private_data_dir>/roles)")
    roles.add_argument("--role-vars", help="variables of the role: 'key1=value1 key2=value2'")
    roles.add_argument("--role-skip-facts", action="store_true", help="do not gather facts before the role")
    parent.add_argument("private_data_dir", help="the private data directory (project, inventory, env, ...)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corral-runner",
                                     description="Run playbooks from an ansible-runner private data directory "
                                                 "with corral.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parent = _runner_options()
    commands.add_parser("run", parents=[parent], help="run in the foreground")
    commands.add_parser("start", parents=[parent], help="run in the background")
    control = argparse.ArgumentParser(add_help=False)
    control.add_argument("private_data_dir")
    commands.add_parser("stop", parents=[control], help="stop the run started in the background")
    commands.add_parser("is-alive", parents=[control], help="rc 0 while the background run goes on")
    return parser


def _inventory(private_data_dir: str, value: str) -> str | None:
    """``--inventory``: an existing path, or one under ``<private_data_dir>/inventory``."""
    given = Path(value)
    if given.exists():
        return str(given.absolute())
    beside = Path(private_data_dir, "inventory", value)
    if not given.is_absolute() and beside.exists():
        return str(beside.absolute())
    return None


def _run_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"private_data_dir": args.private_data_dir, "ident": args.ident or str(uuid.uuid4()),
            "binary": args.binary, "playbook": args.playbook, "module": args.module,
            "module_args": args.module_args, "host_pattern": args.hosts, "verbosity": args.verbosity,
            "quiet": args.quiet, "rotate_artifacts": args.rotate_artifacts, "json_mode": args.json,
            "omit_event_data": args.omit_event_data, "only_failed_event_data": args.only_failed_event_data,
            "inventory": args.inventory, "forks": args.forks, "project_dir": args.project_dir,
            "artifact_dir": args.artifact_dir, "cmdline": args.cmdline, "limit": args.limit,
            "suppress_env_files": args.suppress_env_files}


def _log_to(debug: bool, logfile: str | None) -> None:
    """``--debug``: corral-runner's debug messages on stderr; ``--logfile``: in that file too."""
    log = logging.getLogger("corral-runner")
    if debug:
        log.addHandler(logging.StreamHandler(sys.stderr))
    if logfile:
        log.addHandler(logging.FileHandler(logfile))
    if debug or logfile:
        log.setLevel(logging.DEBUG)


def _role_vars(text: str) -> dict[str, Any]:
    """``--role-vars 'a=1 b=x'``: each value a Python literal where it reads as one."""
    values: dict[str, Any] = {}
    for item in text.split():
        key, _, value = item.partition("=")
        try:
            values[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            values[key] = value
    return values


def _role_playbook(args: argparse.Namespace, options: dict[str, Any]) -> str:
    """``-r ROLE``: a one-play playbook running the role on ``--hosts`` (default all),
    written to the project directory for this run (removed after it), as ansible-runner does."""
    play = [role_play(args.role, _role_vars(args.role_vars or ""), args.hosts, args.role_skip_facts)]
    project = args.project_dir or os.path.join(args.private_data_dir, "project")
    os.makedirs(project, mode=0o700, exist_ok=True)
    path = os.path.join(project, uuid.uuid4().hex)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(play, handle)
    options.update(playbook=path, host_pattern=None,
                   roles_path=os.path.abspath(args.roles_path or os.path.join(args.private_data_dir, "roles")))
    return path


def _daemonize(pidfile: str, log_path: str) -> bool:
    """Detach (double fork, new session); True in the daemon, False in the caller."""
    if os.fork() > 0:
        return False
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    null = os.open(os.devnull, os.O_RDWR)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(log, 2)
    descriptor = os.open(pidfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    os.close(descriptor)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:    # a shell asks for completions (argcomplete's protocol)
        import argcomplete
        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    if args.command in ("run", "start"):
        if not args.playbook and not args.module and not args.role and not args.binary \
                and not os.path.isfile(os.path.join(args.private_data_dir, "args")):
            sys.stderr.write("The -p option must be specified when not using -m or -r\n")
            return 1
        if args.hosts and not (args.module or args.role):
            sys.stderr.write("The --hosts option can only be used with -m or -r\n")
            return 1
        if args.inventory:
            found = _inventory(args.private_data_dir, args.inventory)
            if found is None:
                sys.stderr.write("Value for --inventory does not appear to be a valid path.\n")
                return 1
            args.inventory = found
    private_data_dir = os.path.abspath(args.private_data_dir)
    args.private_data_dir = private_data_dir
    pidfile = os.path.join(private_data_dir, "pid")
    os.makedirs(private_data_dir, mode=0o700, exist_ok=True)
    log_path = os.path.join(private_data_dir, "daemon.log")
    if args.command != "run" and not os.path.exists(log_path):
        os.close(os.open(log_path, os.O_CREAT, 0o600))
    if args.command in ("run", "start"):
        if args.command == "start" and not _daemonize(pidfile, log_path):
            return 0
        _log_to(args.debug, args.logfile)
        options = _run_options(args)
        generated = _role_playbook(args, options) if args.role else None
        try:
            result = run(**options)
        except Exception:  # noqa: BLE001 - written where ansible-runner writes it
            if args.command == "start":
                with open(log_path, "a", encoding="utf-8") as handle:
                    handle.write(traceback.format_exc())
            else:
                sys.stderr.write(traceback.format_exc())
            return 1
        finally:
            if generated is not None:
                os.remove(generated)
            if args.command == "start":
                try:
                    os.remove(pidfile)
                except OSError:
                    pass
        return result.rc if isinstance(result.rc, int) else 1
    try:
        with open(pidfile, encoding="utf-8") as handle:
            pid = int(handle.readline())
    except (OSError, ValueError):
        return 1
    if args.command == "stop":
        Runner.handle_termination(pid, pidfile=pidfile)
        return 0
    try:
        os.kill(pid, 0)
    except OSError:
        return 1
    return 0


def entry() -> None:
    """The console script: ``sys.exit(main())``."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
