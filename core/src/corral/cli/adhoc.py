"""``corral``: run one module on hosts (Ansible's ad-hoc ``ansible`` command)."""
from __future__ import annotations

import os
from typing import Any

from corral.cli.completion import parse
from corral.cli.options import (base_parser, build_run, require_hosts, run_cli, show_config_file,
                                warn_empty_inventory)
from corral.display import Display
from corral.errors import CorralOptionsError
from corral.executor.playbook_executor import validate_actions
from corral.executor.task_queue_manager import TaskQueueManager
from corral.playbook.play import Play
from corral.playbook.playbook import Playbook
from corral.plugins.module import normalize_module_name

__all__ = ["main", "adhoc_play_source"]


def _parser() -> Any:
    parser = base_parser("corral", "Define and run a single task 'playbook' against a set of hosts")
    parser.add_argument("pattern", metavar="pattern", help="host pattern")
    parser.add_argument("-m", "--module-name", dest="module_name", default="command",
                        help="module to execute (default: command)")
    parser.add_argument("-a", "--args", dest="module_args", default="",
                        help="the module's options in key=value form, or a YAML/JSON mapping")
    parser.add_argument("-o", "--one-line", action="store_true", dest="one_line", help="condense output")
    parser.add_argument("-t", "--tree", dest="tree", help="log output to this directory")
    parser.add_argument("-B", "--background", type=int, default=0, dest="seconds",
                        help="run asynchronously, failing after this many seconds")
    parser.add_argument("-P", "--poll", type=int, default=15, dest="poll_interval",
                        help="with -B, poll the job's status every this many seconds (0: do not wait)")
    parser.add_argument("--list-hosts", action="store_true", dest="listhosts",
                        help="outputs a list of matching hosts; does not execute anything else")
    parser.add_argument("--flush-cache", action="store_true", dest="flush_cache",
                        help="clear the fact cache for every host in inventory")
    parser.add_argument("--task-timeout", type=int, default=0, dest="task_timeout",
                        help="the task's time limit in seconds (0: none)")
    return parser


def adhoc_play_source(pattern: str, module: str, module_args: Any, *, async_seconds: int = 0,
                      poll: int = 15, timeout: int = 0) -> dict[str, Any]:
    """The one-task play that ``corral PATTERN -m MODULE -a ARGS`` runs.  A string of
    arguments stays a string: loading the task splits it as the module's traits say
    (free-form or ``key=value``).  A ``timeout`` (``--task-timeout``) becomes the
    task's ``timeout`` keyword."""
    if isinstance(module_args, str):
        text = module_args.strip()
        if text[:1] == "{":
            import json
            args: Any = json.loads(text)
        else:
            args = text
    else:
        args = dict(module_args or {})
    task: dict[str, Any] = {"action": {"module": module, "args": args}}
    if async_seconds:
        task["async"] = async_seconds
        task["poll"] = poll
    if timeout:
        task["timeout"] = timeout
    return {"name": "Ansible Ad-Hoc", "hosts": pattern, "gather_facts": "no", "tasks": [task]}


def _body(argv: list[str] | None) -> int:
    args = parse(_parser(), argv)
    module = normalize_module_name(args.module_name)
    run = build_run(args, basedir=args.basedir or os.getcwd(), flush_cache=args.flush_cache)
    if run.plugins.action_traits(module).requires_args and not args.module_args and not args.listhosts:
        raise CorralOptionsError(f"No argument passed to {module} module")
    display = Display(verbosity=args.verbosity)
    run.loader.set_warning_handler(display.warning)
    for warning in run.config.warnings:
        display.warning(warning)
    show_config_file(display, run.config, args.verbosity, prog="corral")
    for kind, text in run.inventory.messages:
        if kind == "detail":
            display.vvvv(text)
        elif kind == "trace":
            display.vvv(text)
        else:
            display.warning(text)
    warn_empty_inventory(display, run, args.pattern)
    run.inventory.set_warning_handler(display.warning)
    require_hosts(run, args.pattern)
    hosts = run.inventory.list_hosts(args.pattern)
    if not hosts and run.inventory.hosts:
        # as Ansible: an empty inventory had its own warning
        display.warning("No hosts matched, nothing to do")
    if args.listhosts:
        display.display(f"  hosts ({len(hosts)}):")
        for host in hosts:
            display.display(f"    {host.name}")
        return 0
    if not hosts:
        return 0
    play = Play.load(adhoc_play_source(args.pattern, args.module_name, args.module_args,
                                       async_seconds=args.seconds, poll=args.poll_interval,
                                       timeout=args.task_timeout),
                     variable_manager=run.variable_manager, loader=run.loader, plugins=run.plugins)
    stdout = "oneline" if args.one_line else "minimal"
    # as ansible: bin_ansible_callbacks lets the ad-hoc CLI use the configured callbacks
    load_callbacks = bool(run.config.get("load_callback_plugins"))
    configured = run.config.get("stdout_callback")
    if not args.one_line and load_callbacks and configured != "default":
        stdout = configured
    tqm = TaskQueueManager(run.inventory, run.variable_manager, run.loader, settings=run.settings,
                           stdout_callback=stdout, config=run.config, plugins=run.plugins, display=display,
                           callbacks=[_tree_callback(run, display, args.tree)] if args.tree else (),
                           run_additional_callbacks=load_callbacks,
                           # one task: a host runs one module, unless polled (async_status)
                           single_module=not args.seconds)
    validate_actions([play], tqm.plugins)
    playbook = Playbook(run.loader)
    playbook._file_name = "__adhoc_playbook__"
    try:
        tqm.send_callback("v2_playbook_on_start", playbook)
        rc = tqm.run(play)
        tqm.send_stats()
        return rc
    finally:
        tqm.cleanup()


def _tree_callback(run: Any, display: Display, directory: str) -> Any:
    """The ``tree`` callback writing each host's result to ``directory`` (``--tree``)."""
    callback = run.plugins.callback_class("tree")(display=display)
    callback.set_options(ini=run.config)
    callback.set_cli_args({**run.settings.callback_cli_args(), "tree": directory})
    return callback


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``corral``; returns the exit code."""
    return run_cli(_body, argv)
