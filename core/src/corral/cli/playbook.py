"""``corral-playbook``: run playbooks (Ansible's ``ansible-playbook`` flags and exit codes)."""
from __future__ import annotations

import dataclasses
import os
from typing import Any

from corral.cli.cli_arguments import playbook_cli_arguments
from corral.cli.completion import parse
from corral.cli.options import (base_parser, build_run, require_hosts, run_cli, show_config_file,
                                warn_empty_inventory)
from corral.display import Display
from corral.errors import CorralError
from corral.executor.play_iterator import tags_allow
from corral.executor.playbook_executor import PlaybookExecutor
from corral.template import Templar

__all__ = ["main"]


def _parser() -> Any:
    parser = base_parser("corral-playbook", "Runs corral playbooks, executing the defined tasks on the targeted hosts.")
    parser.add_argument("playbooks", nargs="+", metavar="playbook")
    parser.add_argument("-t", "--tags", action="append", help="only run plays and tasks tagged with these values")
    parser.add_argument("--skip-tags", action="append", dest="skip_tags",
                        help="only run plays and tasks whose tags do not match these values")
    parser.add_argument("--list-hosts", action="store_true", dest="listhosts",
                        help="outputs a list of matching hosts; does not execute anything else")
    parser.add_argument("--list-tasks", action="store_true", dest="listtasks", help="list all tasks that would be executed")
    parser.add_argument("--list-tags", action="store_true", dest="listtags", help="list all available tags")
    parser.add_argument("--syntax-check", action="store_true", dest="syntax",
                        help="perform a syntax check on the playbook, but do not execute it")
    parser.add_argument("--start-at-task", dest="start_at_task", metavar="START_AT_TASK",
                        help="start the playbook at the task matching this name (exact or glob)")
    parser.add_argument("--force-handlers", action="store_true", dest="force_handlers",
                        help="run handlers even if a task fails")
    parser.add_argument("--flush-cache", action="store_true", dest="flush_cache",
                        help="clear the fact cache for every host in inventory")
    parser.add_argument("--step", action="store_true", help="one-step-at-a-time: confirm each task before running")
    return parser


def _body(argv: list[str] | None) -> int:
    args = parse(_parser(), argv)
    for path in args.playbooks:
        # ansible-core's general error (exit code 1), not an options error
        if not os.path.exists(path):
            raise CorralError(f"the playbook: {path} could not be found")
        if not os.path.isfile(path):
            raise CorralError(f"the playbook: {path} does not appear to be a file")
    playbook_dir = os.path.dirname(os.path.abspath(args.playbooks[0]))
    run = build_run(args, basedir=playbook_dir, tags=args.tags or (), skip_tags=args.skip_tags or (),
                    force_handlers=args.force_handlers, start_at_task=args.start_at_task, step=args.step,
                    flush_cache=args.flush_cache)
    display = Display(verbosity=args.verbosity)
    for warning in run.config.warnings:
        display.warning(warning)
    run.loader.set_warning_handler(display.warning)
    show_config_file(display, run.config, args.verbosity, prog="corral-playbook")
    settings = dataclasses.replace(run.settings, cli_arguments=playbook_cli_arguments(args, run.config,
                                                                                    run.settings.inventory))
    executor = PlaybookExecutor(args.playbooks, run.inventory, run.variable_manager, run.loader,
                                settings=settings, config=run.config, plugins=run.plugins, display=display)
    for kind, text in run.inventory.messages:
        if kind == "detail":
            display.vvvv(text)
        elif kind == "trace":
            display.vvv(text)
        else:
            display.warning(text)
    warn_empty_inventory(display, run)
    run.inventory.set_warning_handler(display.warning)
    require_hosts(run)
    if args.syntax or args.listhosts or args.listtasks or args.listtags:
        loaded = executor.load()
        if args.syntax:
            for path, _ in loaded:
                display.display(f"\nplaybook: {path}")
            return 0
        _list(display, run, loaded, args)
        return 0
    return executor.run()


def _list(display: Display, run: Any, loaded: list[tuple[str, Any]], args: Any) -> None:
    """``--list-hosts``/``--list-tasks``/``--list-tags``: each play with its keywords
    templated as when it starts (``hosts: "{{ target }}"``)."""
    inventory, settings = run.inventory, run.settings
    only = set(settings.only_tags)
    skip = set(settings.skip_tags)
    for path, playbook in loaded:
        display.display(f"\nplaybook: {path}")
        for index, play in enumerate(playbook.get_plays(), start=1):
            play.post_validate(Templar(run.loader, run.variable_manager.get_vars(play=play), plugins=run.plugins))
            play_tags = sorted(play.all_tags())
            display.display(f"\n  play #{index} ({play.host_pattern}): {play.get_name()}\tTAGS: [{','.join(play_tags)}]")
            if args.listhosts:
                hosts = inventory.get_hosts(play.host_pattern)
                display.display(f"    pattern: {play.hosts!r}")
                display.display(f"    hosts ({len(hosts)}):")
                for host in hosts:
                    display.display(f"      {host.name}")
            if args.listtasks or args.listtags:
                all_tags: set[str] = set()
                if args.listtasks:
                    display.display("    tasks:")
                for task in play.static_tasks():
                    tags = task.all_tags()
                    if not tags_allow(tags, only, skip) or task.action == "meta":
                        continue
                    all_tags |= tags
                    if args.listtasks:
                        display.display(f"      {task.get_name()}\tTAGS: [{', '.join(sorted(tags))}]")
                if args.listtags:
                    display.display(f"      TASK TAGS: [{', '.join(sorted(all_tags))}]")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``corral-playbook``; returns the exit code."""
    return run_cli(_body, argv)
