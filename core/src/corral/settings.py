"""``RunSettings``: everything one run is configured with, built in one place.

A run has three front doors, and each turns what it is given into the same
:class:`RunSettings`, resolved against the run's :class:`corral.config.Config`:

- the command line (``corral``, ``corral-playbook``): :meth:`RunSettings.from_args`;
- the typed API's keyword arguments (:func:`corral.api.run_playbook`, the old
  :class:`corral.runner.Runner`): :meth:`RunSettings.from_keywords`;
- Ansible's seed API, ``TaskQueueManager(options=, passwords=)`` with an ``Options``
  namedtuple, any object with such attributes, or a mapping (Ansible's
  ``context.CLIARGS``): :meth:`RunSettings.from_ansible_options`.

Equal inputs give equal settings, whichever the door.  :func:`corral.assembly.assemble`
builds the run's objects (loader, inventory, variables) from them, and the
:class:`corral.executor.task_queue_manager.TaskQueueManager` runs with them.

Values the configuration resolves for the whole run (``forks``, the inventory
sources, the executor and strategy names, vault sources, ``force_handlers``) are
resolved here.  Connection and become values stay ``None`` unless the caller gave
them: plugins resolve those with their own precedence, where the command line
(:meth:`RunSettings.cli_options`) is one source among host variables, keywords,
environment and configuration.  Passwords are held but never shown in ``repr``.
"""
from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from corral.config import Config, boolean
from corral.inventory.slicing import HostSlice
from corral.parsing.vault_secrets import DEFAULT_VAULT_ID, with_configured_sources

__all__ = ["RunSettings", "ExtraVars", "VaultPassword"]

#: one ``-e`` value (text: ``key=value``, YAML/JSON, ``@file``) or a mapping from the API
ExtraVars = str | Mapping[str, Any]
#: a vault password given as a value: ``(vault id, password)``
VaultPassword = tuple[str, str | bytes]


@dataclasses.dataclass(frozen=True)
class RunSettings:
    """The settings of one run (see the module's docstring for the three doors)."""

    #: inventory sources (paths, ``"a,b,"`` host lists, plugin configs); the configured ones by default
    inventory: tuple[str, ...] = ()
    #: ``--limit``: a host pattern further restricting the run
    limit: str | None = None
    #: ``--slice M/N``: run only the M-th of N disjoint slices of the hosts left by ``limit``
    host_slice: HostSlice | None = None
    #: extra variables in order (a later one wins): ``-e`` texts or mappings
    extra_vars: tuple[ExtraVars, ...] = ()
    #: the directory relative paths resolve against (the playbook's, or ``--playbook-dir``)
    basedir: str | None = None
    forks: int = 5
    check: bool = False
    diff: bool = False
    verbosity: int = 0
    #: ``--tags`` / ``--skip-tags``; no tags means every task
    tags: tuple[str, ...] = ()
    skip_tags: tuple[str, ...] = ()
    force_handlers: bool = False
    #: ``--start-at-task``: skip the tasks before the first one whose name matches (exact or glob)
    start_at_task: str | None = None
    #: ``--step``: ask on the terminal before each task
    step: bool = False
    #: ``--flush-cache``: clear the fact cache of the inventory's hosts before the first play
    flush_cache: bool = False
    #: the connection settings given for the whole run (``-c``, ``-u``, ``--private-key``, ``-T``...)
    connection: str | None = None
    remote_user: str | None = None
    private_key_file: str | None = None
    timeout: int | None = None
    ssh_common_args: str | None = None
    ssh_extra_args: str | None = None
    sftp_extra_args: str | None = None
    scp_extra_args: str | None = None
    conn_pass: str | None = dataclasses.field(default=None, repr=False)
    #: ``None``: as the play, task or host says
    become: bool | None = None
    become_method: str | None = None
    become_user: str | None = None
    become_pass: str | None = dataclasses.field(default=None, repr=False)
    #: vault secret sources (``label@source``, configured ``vault_identity_list`` first)
    vault_ids: tuple[str, ...] = ()
    vault_password_files: tuple[str, ...] = ()
    ask_vault_pass: bool = False
    #: vault passwords given as values (the API's, the seed's ``passwords['vault_pass']``)
    vault_passwords: tuple[VaultPassword, ...] = dataclasses.field(default=(), repr=False)
    #: the executor and the default strategy (a play's ``strategy`` keyword wins)
    executor: str = "forking"
    strategy: str = "linear"
    #: the command line as callbacks see it (Ansible's ``context.CLIARGS``, in its order:
    #: see :mod:`corral.cli.cli_arguments`); empty outside ``corral-playbook``
    cli_arguments: tuple[tuple[str, Any], ...] = ()

    # -- the three front doors ------------------------------------------------------------

    @classmethod
    def from_args(cls, args: argparse.Namespace, config: Config, *, basedir: str | None = None,
                  tags: Sequence[str] = (), skip_tags: Sequence[str] = (), force_handlers: bool = False,
                  start_at_task: str | None = None, step: bool = False, flush_cache: bool = False,
                  prompt: Callable[[str], str] = getpass.getpass) -> RunSettings:
        """Settings from the options of :func:`corral.cli.options.base_parser`; the
        playbook CLI's own options come as keywords.  ``-k``/``-K`` prompt with
        ``prompt``; password files are read here."""
        return cls.from_keywords(
            config, inventory=args.inventory, limit=args.subset, extra_vars=args.extra_vars, basedir=basedir,
            host_slice=args.host_slice,
            forks=args.forks, check=args.check, diff=args.diff, verbosity=args.verbosity, tags=tags,
            skip_tags=skip_tags, force_handlers=force_handlers, start_at_task=start_at_task, step=step,
            flush_cache=flush_cache, connection=args.connection,
            remote_user=args.remote_user, private_key_file=args.private_key_file, timeout=args.timeout,
            ssh_common_args=args.ssh_common_args, ssh_extra_args=args.ssh_extra_args,
            sftp_extra_args=args.sftp_extra_args, scp_extra_args=args.scp_extra_args,
            conn_pass=_password(args.ask_pass, args.connection_password_file, "SSH password: ", prompt),
            become=args.become, become_method=args.become_method, become_user=args.become_user,
            become_pass=_password(args.ask_become_pass, args.become_password_file, "BECOME password: ", prompt),
            vault_ids=args.vault_ids, vault_password_files=args.vault_password_files,
            ask_vault_pass=args.ask_vault_pass)

    @classmethod
    def from_keywords(cls, config: Config, *, inventory: str | Sequence[str] | None = None,
                      limit: str | None = None, extra_vars: ExtraVars | Iterable[ExtraVars] | None = None,
                      host_slice: HostSlice | str | tuple[int, int] | None = None,
                      basedir: str | None = None, forks: int | None = None, check: bool = False,
                      diff: bool = False, verbosity: int = 0, tags: Iterable[str] | None = None,
                      skip_tags: Iterable[str] | None = None, force_handlers: bool = False,
                      start_at_task: str | None = None, step: bool = False, flush_cache: bool = False,
                      connection: str | None = None, remote_user: str | None = None,
                      private_key_file: str | None = None, timeout: int | None = None,
                      ssh_common_args: str | None = None, ssh_extra_args: str | None = None,
                      sftp_extra_args: str | None = None, scp_extra_args: str | None = None,
                      conn_pass: str | None = None, become: bool | None = None, become_method: str | None = None,
                      become_user: str | None = None, become_pass: str | None = None,
                      vault_ids: Iterable[str] = (), vault_password_files: Iterable[str] = (),
                      ask_vault_pass: bool = False, vault_password: str | bytes | None = None,
                      vault_passwords: Iterable[VaultPassword] = (), executor: str | None = None,
                      strategy: str | None = None) -> RunSettings:
        """Settings from keyword arguments (the API's names and shapes): ``inventory``
        is one source or several, ``extra_vars`` one mapping (or ``-e`` text) or
        several, ``tags`` may hold comma separated lists, ``vault_password`` is the
        default vault id's password and ``vault_passwords`` ``(label, password)``
        pairs, ``host_slice`` ``"M/N"``, ``(M, N)`` or a :class:`HostSlice`.  What
        is not given comes from ``config``."""
        sources = [inventory] if isinstance(inventory, str) else list(inventory or config.get("inventory") or [])
        ids, files = with_configured_sources(config, vault_ids, vault_password_files)
        passwords = [(DEFAULT_VAULT_ID, vault_password)] if vault_password is not None else []
        return cls(
            inventory=tuple(str(source) for source in sources), limit=limit or None,
            host_slice=HostSlice.coerce(host_slice) if host_slice is not None else None,
            extra_vars=_extra_vars(extra_vars), basedir=basedir,
            forks=int(forks or config.get("forks")), check=bool(check), diff=bool(diff),
            verbosity=int(verbosity or 0), tags=_split_tags(tags), skip_tags=_split_tags(skip_tags),
            force_handlers=bool(force_handlers or config.get("force_handlers")),
            start_at_task=start_at_task, step=bool(step), flush_cache=bool(flush_cache),
            connection=connection, remote_user=remote_user, private_key_file=private_key_file,
            timeout=int(timeout) if timeout is not None else None, ssh_common_args=ssh_common_args,
            ssh_extra_args=ssh_extra_args, sftp_extra_args=sftp_extra_args, scp_extra_args=scp_extra_args,
            conn_pass=conn_pass,
            become=bool(become) if become is not None else None, become_method=become_method,
            become_user=become_user, become_pass=become_pass,
            vault_ids=tuple(ids), vault_password_files=tuple(files),
            ask_vault_pass=bool(ask_vault_pass), vault_passwords=tuple(passwords + list(vault_passwords)),
            executor=str(executor or config.get("executor")), strategy=str(strategy or config.get("strategy")))

    @classmethod
    def from_ansible_options(cls, options: object, passwords: Mapping[str, Any] | None,
                             config: Config) -> RunSettings:
        """Settings from Ansible's API: ``options`` is the seed's ``Options``
        namedtuple (``connection``, ``module_path``, ``forks``, ``become``,
        ``become_method``, ``become_user``, ``check``), any object with such
        attributes, a mapping such as Ansible's ``context.CLIARGS``, or ``None``;
        ``passwords`` holds ``conn_pass``, ``become_pass`` and ``vault_pass``.  Names
        that Ansible's options may carry and a run uses are read (``diff``,
        ``verbosity``, ``remote_user``, ``private_key_file``, ``timeout``,
        ``ssh_common_args``, ``ssh_extra_args``, ``tags``, ``skip_tags``,
        ``force_handlers``, ``start_at_task``, ``step``, ``flush_cache``, and
        corral's ``executor`` and ``strategy``); the others
        (``module_path``, listing flags...) are accepted and ignored.  The
        inventory, variables and loader are the caller's objects, so sources,
        ``subset`` and ``extra_vars`` are not read."""
        value = _ansible_option_reader(options)
        words = dict(passwords or {})
        become = value("become")
        return cls.from_keywords(
            config, forks=_int_or_none(value("forks")), check=boolean(value("check") or False),
            diff=boolean(value("diff") or False), verbosity=int(value("verbosity") or 0),
            tags=_tag_values(value("tags")), skip_tags=_tag_values(value("skip_tags")), force_handlers=boolean(value("force_handlers") or False),
            start_at_task=_str_or_none(value("start_at_task")), step=boolean(value("step") or False),
            flush_cache=boolean(value("flush_cache") or False),
            connection=_str_or_none(value("connection")), remote_user=_str_or_none(value("remote_user")),
            private_key_file=_str_or_none(value("private_key_file")), timeout=_int_or_none(value("timeout")),
            ssh_common_args=_str_or_none(value("ssh_common_args")),
            ssh_extra_args=_str_or_none(value("ssh_extra_args")),
            sftp_extra_args=_str_or_none(value("sftp_extra_args")),
            scp_extra_args=_str_or_none(value("scp_extra_args")), conn_pass=_str_or_none(words.get("conn_pass")),
            become=boolean(become) if become is not None else None,
            become_method=_str_or_none(value("become_method")), become_user=_str_or_none(value("become_user")),
            become_pass=_str_or_none(words.get("become_pass")), vault_password=words.get("vault_pass") or None,
            executor=_str_or_none(value("executor")), strategy=_str_or_none(value("strategy")))

    # -- views for the run's parts ---------------------------------------------------------

    @property
    def only_tags(self) -> frozenset[str]:
        """The tags a task must match (``{"all"}`` when none were given)."""
        return frozenset(self.tags) or frozenset({"all"})

    def cli_options(self) -> dict[str, Any]:
        """The command line's values by Ansible's option names (``connection``,
        ``remote_user``, ``private_key_file``, ``timeout``, ``ssh_common_args``,
        ``ssh_extra_args``, ``sftp_extra_args``, ``scp_extra_args``, ``conn_pass``,
        ``become``, ``become_method``, ``become_user``, ``become_pass``, ``check``,
        ``diff``, ``verbosity``, ``forks``): the ``cli`` source of
        :func:`corral.plugins.options.resolve_options` (Ansible's
        ``context.CLIARGS``).  Values that were not given are left out (``None``), so
        a plugin's other sources apply."""
        values: dict[str, Any] = {
            "connection": self.connection, "remote_user": self.remote_user,
            "private_key_file": self.private_key_file, "timeout": self.timeout,
            "ssh_common_args": self.ssh_common_args, "ssh_extra_args": self.ssh_extra_args,
            "sftp_extra_args": self.sftp_extra_args, "scp_extra_args": self.scp_extra_args,
            "conn_pass": self.conn_pass, "become": self.become, "become_method": self.become_method,
            "become_user": self.become_user, "become_pass": self.become_pass, "check": self.check,
            "diff": self.diff, "verbosity": self.verbosity, "forks": self.forks}
        return {name: value for name, value in values.items() if value is not None}

    def callback_cli_args(self) -> dict[str, Any]:
        """What callbacks receive through ``set_cli_args`` (Ansible's ``context.CLIARGS``):
        the command line's options in Ansible's order when the CLI gave them
        (:attr:`cli_arguments`), ``check``, ``diff`` and ``verbosity`` always."""
        arguments = dict(self.cli_arguments)
        arguments.update(check=self.check, diff=self.diff, verbosity=self.verbosity)
        return arguments


def _password(ask: bool, path: str | None, question: str, prompt: Callable[[str], str]) -> str | None:
    if ask:
        return prompt(question)
    if path:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            return handle.read().strip()
    return None


def _extra_vars(value: ExtraVars | Iterable[ExtraVars] | None) -> tuple[ExtraVars, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, Mapping)):
        return (value,) if value else ()
    return tuple(item for item in value if item)


def _split_tags(values: Iterable[str] | None) -> tuple[str, ...]:
    """``["a,b", "c"]`` -> ``("a", "b", "c")``."""
    return tuple(tag.strip() for value in values or () for tag in str(value).split(",") if tag.strip())


def _tag_values(value: object) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(item) for item in value]
    return [str(value)]


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _int_or_none(value: object) -> int | None:
    if value is None or value == "":
        return None
    return int(str(value))


def _ansible_option_reader(options: object) -> Callable[[str], Any]:
    """``name -> value or None`` over Ansible's option bags: a mapping, an object
    with attributes (the seed's namedtuple), or ``None``."""
    if options is None:
        return lambda name: None
    if isinstance(options, Mapping):
        return options.get
    return lambda name: getattr(options, name, None)
