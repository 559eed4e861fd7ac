"""The command line as ``ansible-playbook -vvvv`` shows it: Ansible's ``context.CLIARGS``.

At ``-vvvv`` the default callback prints ``Positional arguments: <playbooks>`` and then
``name: value`` for every option whose value is set, in the order ansible-core 2.21
keeps them (observed from its output).  :func:`playbook_cli_arguments` builds that
ordered view of ``corral-playbook``'s options: defaults that Ansible fills in
(``connection: ssh``, ``become_method: sudo``, ``tags: ('all',)``, the inventory)
are filled in the same way, paths made absolute as Ansible does.  Passwords are never
part of it: only the files that hold them are named.
"""
from __future__ import annotations

import argparse
import os
from typing import Any

__all__ = ["playbook_cli_arguments"]


def _absolute(paths: Any) -> tuple[str, ...]:
    return tuple(os.path.abspath(os.path.expanduser(p)) if p else p for p in (paths or ()))


def _inventory(sources: Any) -> tuple[str, ...]:
    """Inventory sources as Ansible shows them: paths absolute, host lists as given."""
    return tuple(source if "," in source and not os.path.exists(source) else
                 os.path.abspath(os.path.expanduser(source)) for source in (sources or ()))


def playbook_cli_arguments(args: argparse.Namespace, config: Any, inventory: Any) -> tuple[tuple[str, Any], ...]:
    """``(name, value)`` pairs of ``corral-playbook``'s parsed ``args`` in Ansible's
    ``CLIARGS`` order (``config`` gives the defaults Ansible shows; ``inventory`` the
    sources the run reads)."""
    password_file = args.connection_password_file
    become_file = args.become_password_file
    pairs: list[tuple[str, Any]] = [
        ("args", tuple(args.playbooks)),
        ("verbosity", args.verbosity),
        ("private_key_file", os.path.abspath(args.private_key_file) if args.private_key_file else None),
        ("remote_user", args.remote_user),
        ("connection", args.connection or config.get("transport")),
        ("timeout", args.timeout),
        ("ssh_common_args", args.ssh_common_args),
        ("sftp_extra_args", args.sftp_extra_args),
        ("scp_extra_args", args.scp_extra_args),
        ("ssh_extra_args", args.ssh_extra_args),
        ("ask_pass", args.ask_pass),
        ("connection_password_file", os.path.abspath(password_file) if password_file else None),
        ("force_handlers", args.force_handlers),
        ("become", args.become),
        ("become_method", args.become_method or config.get("become_method")),
        ("become_user", args.become_user),
        ("become_ask_pass", args.ask_become_pass),
        ("become_password_file", os.path.abspath(become_file) if become_file else None),
        ("tags", tuple(args.tags or ("all",))),
        ("skip_tags", tuple(args.skip_tags or ())),
        ("check", args.check),
        ("diff", args.diff),
        ("inventory", _inventory(inventory)),
        ("subset", args.subset),
        ("flush_cache", args.flush_cache),
        ("extra_vars", tuple(args.extra_vars or ())),
        ("vault_ids", tuple(args.vault_ids or ())),
        ("ask_vault_pass", args.ask_vault_pass),
        ("vault_password_files", _absolute(args.vault_password_files)),
        ("forks", args.forks or config.get("forks")),
        ("module_path", _absolute(args.module_path)),
        ("start_at_task", args.start_at_task),
        ("step", args.step),
    ]
    return tuple(pairs)
