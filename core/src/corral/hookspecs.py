"""The hook specifications: the contract between the kernel and every plugin.

A plugin is any object (usually a module) with functions marked ``@hookimpl`` whose
names are the hooks below.  A distribution makes it installable by declaring an entry
point in the group of its kind (``corral.inventory``, ``corral.connection``,
``corral.become``, ``corral.vars``, ``corral.strategy``, ``corral.executor``,
``corral.callback``, ``corral.module``, ``corral.cache``, ``corral.template``,
``corral.content``, ``corral.cli``); the entry point's name is the plugin's name and its value the
object that carries the hook implementations.

Kinds that are chosen by name (a connection, the strategy, the executor, a callback,
the fact cache, a become method, a vars plugin)
answer a ``firstresult`` hook with the class for that name, or ``None``.  Kinds that
contribute to a shared pool (inventory parsers, modules, actions, template filters,
tests and lookups, CLI commands) return what they add; the kernel merges the lists.
Two plugins that provide the same name (an entry point name, a module, filter or
parser name, a connection type) are reported with a warning, and
:data:`corral.plugins.precedence.RULE` decides which one is used.

Callback events keep Ansible's ``v2_*`` method names so that a ``CallbackBase``
subclass written for Ansible's API registers as it is: every ``v2_*`` method of a
callback object is an implementation of the hook of the same name.  The kernel calls
the enabled callbacks in their configured order, the stdout callback first, and turns
an exception raised by a callback into a warning.  Every ``TaskResult`` an event
carries is censored first (:func:`corral.results.censor_result`): the
result of a ``no_log`` task is ``{"censored": ...}`` and its outcome keys only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import pluggy

if TYPE_CHECKING:
    import argparse

    from corral.results import TaskResult
    from corral.stats import AggregateStats
    from corral.inventory.host import Host
    from corral.playbook.play import Play
    from corral.playbook.playbook import Playbook
    from corral.playbook.task import Task
    from corral.plugins.action import ActionBase
    from corral.plugins.become import BecomeBase
    from corral.plugins.cache import CacheBase
    from corral.plugins.callback import CallbackBase
    from corral.plugins.connection import ConnectionBase
    from corral.plugins.content import ContentContext
    from corral.plugins.executor import Executor
    from corral.plugins.inventory import InventoryCheck, InventoryPlugin
    from corral.plugins.lookup import LookupBase
    from corral.plugins.module import ModuleSpec
    from corral.plugins.strategy import Strategy
    from corral.plugins.vars import VarsBase

PROJECT = "corral"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: the hooks called in the processes that run tasks (an executor's workers), not
#: only in the controller: a plugin registered in code that implements one of them
#: must reach those processes (:mod:`corral.plugins.portable`)
TASK_PROCESS_HOOKS: frozenset[str] = frozenset({"corral_connection"})

# ---------------------------------------------------------------------------
# inventory sources


@hookspec
def corral_inventory_plugins() -> Iterable[InventoryPlugin]:
    """Return the inventory parsers this plugin provides.

    Called once per run, when the inventory is loaded.  The kernel tries the
    parsers of every enabled inventory plugin, in the configured order
    (``[inventory] enable_plugins``), on each source (``-i`` argument): the first
    whose ``verify_source`` accepts the source and whose ``parse`` succeeds fills the
    inventory.  A source that names a parser (a YAML file with ``plugin: NAME``) goes
    to the parser whose ``NAME`` matches.  Returns an iterable of
    :class:`corral.plugins.inventory.InventoryPlugin` instances.

    :returns: the parser instances; an empty iterable adds none.
    """


@hookspec(firstresult=True)
def corral_inventory_check(source: str) -> InventoryCheck | None:
    """Check the inventory source ``source`` and describe its problems, or return ``None``.

    Called by ``corral-inventory --check-script SOURCE`` (through
    ``PluginManager.inventory_check``), once, after every inventory plugin is loaded;
    no inventory is built.  An inventory plugin whose parser reads sources of this
    kind runs or reads ``source`` as its parser would; a plugin that does not read
    such sources returns ``None``.  firstresult: the first answer wins; the
    ``script`` plugin's checker is ``trylast`` and takes every source no other
    checker claimed, so a plugin for a format of its own claims its sources by
    returning a check for them.

    :param source: the absolute path named on the command line (it may not exist).
    :returns: a :class:`~corral.plugins.inventory.InventoryCheck`: ``checker`` (the
        parser's ``NAME``), ``problems`` (what breaks the format: loading would fail or
        misread the source; the command then exits 1), ``notes`` (forms that work but
        are deprecated) and ``passed`` (the line shown when there is no problem); or
        ``None`` when ``source`` is not of this plugin's kind.
    """


# ---------------------------------------------------------------------------
# connections


@hookspec(firstresult=True)
def corral_connection(name: str) -> type[ConnectionBase] | None:
    """Return the connection class for the connection type ``name``, or ``None``.

    ``name`` is the host's ``ansible_connection`` (``local``, ``ssh``, ...).  Called
    on the controller, which resolves the class's declared options for each task, and
    in whichever process runs tasks (the executor's workers), once per run and name in
    each.  The class implements :class:`corral.plugins.connection.ConnectionBase`.
    firstresult: the first non-``None`` answer wins.

    :param name: the connection type a host asks for (``ansible_connection``).
    :returns: a :class:`~corral.plugins.connection.ConnectionBase` subclass, or ``None`` when
        ``name`` is not this plugin's.
    """


@hookspec(firstresult=True)
def corral_become(name: str) -> type[BecomeBase] | None:
    """Return the become plugin class for the escalation method ``name``, or ``None``.

    ``name`` is the task's ``become_method`` (from ``ansible_become_method``, the
    ``become_method`` keyword, ``--become-method`` or ``[privilege_escalation]
    become_method``; ``sudo`` by default), without a standard prefix such as
    ``ansible.builtin.``.  Called on the controller for each task
    that has ``become`` on, before it runs, so that an unknown method fails the
    task there (naming the distribution to install when the method is a standard
    one).  The class subclasses :class:`corral.plugins.become.BecomeBase`: the
    kernel resolves the options it declares (``become_user``, ``become_pass``,
    ``become_flags``, ``become_exe``, its own) from the host's variables, the
    keywords, the command line, the environment and the configuration, and hands
    them, with the class's importable reference, to the connection in a
    :class:`corral.plugins.connection.Become`; the connection (in whichever
    process runs the task) creates the class from that reference to wrap its
    command.  firstresult: the first non-``None`` answer wins.

    :param name: the escalation method a task asks for (``become_method``).
    :returns: a :class:`~corral.plugins.become.BecomeBase` subclass importable by its module
        and name, or ``None`` when ``name`` is not this plugin's.
    """


# ---------------------------------------------------------------------------
# vars plugins


@hookspec(firstresult=True)
def corral_vars(name: str) -> type[VarsBase] | None:
    """Return the vars plugin class named ``name``, or ``None``.

    Called on the controller when an inventory first needs variables: for each
    installed vars plugin (to read its class's ``REQUIRES_ENABLED``) and for each
    name in ``[defaults] vars_plugins_enabled`` (``ANSIBLE_VARS_PLUGINS_ENABLED``;
    ``host_group_vars`` by default).  The plugins that run are those with
    ``REQUIRES_ENABLED = False`` (by name), then the enabled ones in their order.
    The class subclasses :class:`corral.plugins.vars.VarsBase`; the kernel creates
    one instance per inventory with its resolved options and calls
    ``get_vars(loader, path, entities)`` for each inventory source's directory,
    then the playbook's, with the hosts or groups (``corral.inventory.host.Host``,
    ``corral.inventory.group.Group``) whose variables it needs; each returned
    dict is merged over what the plugins and directories before it returned.  A
    plugin's ``stage`` option (``all``, ``task``, ``inventory``), or else
    ``[defaults] run_vars_plugins``, says at which stage it runs.  firstresult:
    the first non-``None`` answer wins.

    :param name: a vars plugin's name (an entry point of ``corral.vars``, or a name in
        ``vars_plugins_enabled``).
    :returns: a :class:`~corral.plugins.vars.VarsBase` subclass, or ``None`` when ``name``
        is not this plugin's.
    """


# ---------------------------------------------------------------------------
# strategies and executors


@hookspec(firstresult=True)
def corral_strategy(name: str) -> type[Strategy] | None:
    """Return the strategy class named ``name`` (``linear``, ``free``...), or ``None``.

    Called once per play with the play's ``strategy`` keyword or the configured
    default.  The class implements :class:`corral.plugins.strategy.Strategy`: it
    decides in which order (host, task) pairs run.  firstresult.

    :param name: the strategy a play asks for.
    :returns: a class implementing :class:`~corral.plugins.strategy.Strategy`, or ``None``.
    """


@hookspec(firstresult=True)
def corral_executor(name: str) -> type[Executor] | None:
    """Return the executor class named ``name`` (``forking``, ``inline``...), or ``None``.

    Called once per run with the configured executor.  The class implements
    :class:`corral.plugins.executor.Executor`: it runs connection requests for
    hosts (executing module payloads, transferring files), at most ``forks`` at
    once, keeping each host's connection open for the whole run.  firstresult.

    :param name: the configured executor (``[defaults] executor``, ``CORRAL_EXECUTOR``).
    :returns: a class implementing :class:`~corral.plugins.executor.Executor`, built with an
        :class:`~corral.plugins.executor.ExecutorSettings`, or ``None``.
    """


@hookspec(firstresult=True)
def corral_cache(name: str) -> type[CacheBase] | None:
    """Return the fact cache class named ``name`` (``memory``, ``jsonfile``...), or ``None``.

    Called once per run with the ``fact_caching`` setting.  The class implements
    :class:`corral.plugins.cache.CacheBase` and is built with the
    ``fact_caching_connection``, ``fact_caching_timeout`` and ``fact_caching_prefix``
    settings.  firstresult.

    :param name: the configured fact cache (``fact_caching``).
    :returns: a :class:`~corral.plugins.cache.CacheBase` subclass, or ``None``.
    """


# ---------------------------------------------------------------------------
# callbacks


@hookspec(firstresult=True)
def corral_callback(name: str) -> type[CallbackBase] | None:
    """Return the callback class named ``name``, or ``None``.

    Called for the stdout callback (``stdout_callback``) and for each enabled
    callback (``callbacks_enabled``).  The class subclasses
    :class:`corral.plugins.callback.CallbackBase`; the kernel instantiates it once
    per run and registers the instance, whose ``v2_*`` methods then receive the
    run's events.  firstresult.

    :param name: a callback's name (``stdout_callback`` or one of ``callbacks_enabled``).
    :returns: a :class:`~corral.plugins.callback.CallbackBase` subclass, or ``None``.
    """


@hookspec
def v2_playbook_on_start(playbook: Playbook) -> None:
    """A playbook run starts.  ``playbook`` has ``_file_name`` and ``get_plays()``.

    :param playbook: the playbook being run.
    """


@hookspec
def v2_playbook_on_play_start(play: Play) -> None:
    """A play starts (after its hosts are known).  ``play.get_name()`` is its title.

    :param play: the play starting.
    """


@hookspec
def v2_playbook_on_task_start(task: Task, is_conditional: bool) -> None:
    """A task starts on the play's current hosts.  ``task.get_name()`` is its title.

    :param task: the task starting.
    :param is_conditional: ``True`` for a handler (as Ansible passes it), else ``False``.
    """


@hookspec
def v2_playbook_on_handler_task_start(task: Task) -> None:
    """A notified handler starts running.

    :param task: the handler.
    """


@hookspec
def v2_playbook_on_cleanup_task_start(task: Task) -> None:
    """A cleanup task starts (reserved; corral emits it for ``always`` sections).

    :param task: the cleanup task.
    """


@hookspec
def v2_playbook_on_notify(handler: Task, host: Host) -> None:
    """A task's result on ``host`` notified ``handler``.

    :param handler: the notified handler (a Task).
    :param host: the host whose result notified it.
    """


@hookspec
def v2_playbook_on_no_hosts_matched() -> None:
    """The play's host pattern matched no host; the play is skipped."""


@hookspec
def v2_playbook_on_no_hosts_remaining() -> None:
    """Every host of the play failed or became unreachable; the play ends."""


@hookspec
def v2_playbook_on_include(included_file: Any) -> None:
    """A dynamic include (``include_tasks``, ``include_role``) was loaded for hosts.

    ``included_file`` has ``_filename`` and ``_hosts``.

    :param included_file: the included file and the hosts that included it.
    """


@hookspec
def v2_playbook_on_stats(stats: AggregateStats) -> None:
    """The run ends; ``stats`` holds the per-host counters of the PLAY RECAP.

    :param stats: the run's counters: ``stats.processed`` (host names), ``stats.summarize(host)``.
    """


@hookspec
def v2_runner_on_start(host: Host, task: Task) -> None:
    """A task starts on one host.

    :param host: the host.
    :param task: the task.
    """


@hookspec
def v2_runner_on_ok(result: TaskResult) -> None:
    """A task succeeded on a host (changed or not: see ``result._result['changed']``).

    :param result: the task's result on one host: ``result._host`` (the Host), ``result._task``
        (the Task), ``result._result`` (the result dict, censored for ``no_log``),
        ``result.task_name``.
    """


@hookspec
def v2_runner_on_failed(result: TaskResult, ignore_errors: bool) -> None:
    """A task failed on a host; ``ignore_errors`` says whether the play goes on for it.

    :param result: the task's result on one host: ``result._host`` (the Host), ``result._task``
        (the Task), ``result._result`` (the result dict, censored for ``no_log``),
        ``result.task_name``.
    :param ignore_errors: the task's ``ignore_errors``.
    """


@hookspec
def v2_runner_on_skipped(result: TaskResult) -> None:
    """A task was skipped on a host (its ``when`` was false, or its loop was empty).

    :param result: the task's result on one host: ``result._host`` (the Host), ``result._task``
        (the Task), ``result._result`` (the result dict, censored for ``no_log``),
        ``result.task_name``.
    """


@hookspec
def v2_runner_on_unreachable(result: TaskResult) -> None:
    """A host could not be reached for a task.

    :param result: the task's result on one host: ``result._host`` (the Host), ``result._task``
        (the Task), ``result._result`` (the result dict, censored for ``no_log``),
        ``result.task_name``. ``result._result['msg']`` says why.
    """


@hookspec
def v2_runner_item_on_ok(result: TaskResult) -> None:
    """One item of a looped task succeeded; ``result._result`` has the item's result.

    :param result: the item's result; ``result._result['item']`` is the item.
    """


@hookspec
def v2_runner_item_on_failed(result: TaskResult) -> None:
    """One item of a looped task failed.

    :param result: the item's result; ``result._result['item']`` is the item.
    """


@hookspec
def v2_runner_item_on_skipped(result: TaskResult) -> None:
    """One item of a looped task was skipped.

    :param result: the item's result; ``result._result['item']`` is the item.
    """


@hookspec
def v2_runner_retry(result: TaskResult) -> None:
    """An ``until`` task will be retried; ``result._result`` has ``attempts`` and ``retries``.

    :param result: the attempt's result, with ``attempts`` and ``retries``.
    """


@hookspec
def v2_runner_on_async_poll(result: TaskResult) -> None:
    """A background (``async``) task was polled and is still running.

    :param result: the poll's result (``ansible_job_id``).
    """


@hookspec
def v2_runner_on_async_ok(result: TaskResult) -> None:
    """A background (``async``) task finished successfully.

    :param result: the background task's result.
    """


@hookspec
def v2_runner_on_async_failed(result: TaskResult) -> None:
    """A background (``async``) task failed or timed out.

    :param result: the background task's result.
    """


@hookspec
def v2_playbook_on_vars_prompt(varname: str, private: bool, prompt: str, encrypt: str | None,
                               confirm: bool, salt_size: int | None, salt: str | None,
                               default: Any, unsafe: bool) -> None:
    """A play's ``vars_prompt`` asks for ``varname``.

    :param varname: the variable asked for.
    :param private: whether the answer is hidden.
    :param prompt: the question shown.
    :param encrypt: the hash scheme for the answer, or ``None``.
    :param confirm: whether the answer is asked twice.
    :param salt_size: the salt length for ``encrypt``.
    :param salt: the salt for ``encrypt``.
    :param default: the answer when none is given.
    :param unsafe: whether the answer is marked unsafe (never templated).
    """


@hookspec
def v2_on_file_diff(result: TaskResult) -> None:
    """A task produced a diff (``--diff``): ``result._result['diff']``.

    :param result: the task's result; ``result._result['diff']`` is a diff dict or a list of them.
    """


# ---------------------------------------------------------------------------
# templating


@hookspec
def corral_template_filters() -> Mapping[str, Callable[..., Any]]:
    """Return Jinja2 filters to add, by name (``{'to_json': fn, ...}``).

    Called once per run when the templating environment is built.  When two
    plugins provide the same name, :data:`corral.plugins.precedence.RULE` decides
    which one is used (a plugin registered in code first) and the run warns.

    :returns: ``{name: function}``; the function receives the filtered value first.
    """


@hookspec
def corral_template_tests() -> Mapping[str, Callable[..., Any]]:
    """Return Jinja2 tests to add, by name (``{'version': fn, ...}``).

    :returns: ``{name: function}``; the function receives the tested value first and returns a bool.
    """


@hookspec
def corral_template_lookups() -> Mapping[str, type[LookupBase]]:
    """Return lookup plugin classes by name (``{'file': FileLookup}``).

    Each class subclasses :class:`corral.plugins.lookup.LookupBase`; the kernel
    instantiates it with the loader and templar when ``lookup()``/``query()``/
    ``with_<name>`` use it.

    :returns: ``{name: LookupBase subclass}``.
    """


# ---------------------------------------------------------------------------
# modules and actions


@hookspec
def corral_modules() -> Iterable[ModuleSpec]:
    """Return the modules this plugin provides.

    Called once per run, when the first task is loaded or run.  Each
    :class:`corral.plugins.module.ModuleSpec` names a module and the path of its
    Python source, which runs on the target, and declares the traits of a module
    without an action (``free_form_keys``, ``requires_args``, ``gathers_facts``; see
    :mod:`corral.plugins.traits`).  Tasks may name a module as ``X``,
    ``ansible.builtin.X``, ``ansible.legacy.X`` or ``corral.builtin.X``.  A later
    plugin's spec replaces an earlier one of the same name.

    :returns: the :class:`~corral.plugins.module.ModuleSpec` of each module
        (``corral.plugins.module.modules_in(directory)`` lists a directory of them).
    """


@hookspec
def corral_actions() -> Mapping[str, type[ActionBase]]:
    """Return controller-side actions by module name.

    Called once per run, when the first task is loaded or run.  An action runs on
    the controller for a task that names it: alone (``debug``, ``set_fact``) or
    around the module of the same name (``template`` renders locally, then
    transfers and runs ``copy``).  Each class is a subclass of
    :class:`corral.plugins.action.ActionBase` whose upper-case class attributes
    (``FREE_FORM_KEYS``, ``NEEDS_CONNECTION``, ``UNTEMPLATED_ARGS``,
    ``BYPASS_HOST_LOOP``, ``FACTS``, ...) are its traits: the kernel knows no action
    by name (:mod:`corral.plugins.traits`).  A later plugin's action replaces an
    earlier one of the same name.

    :returns: ``{module name: ActionBase subclass}``.
    """


@hookspec
def corral_module_doc_fragments() -> Mapping[str, str | Mapping[str, Any]]:
    """Return the documentation fragments this plugin provides, by name.

    Asked when a module's documentation is read (``corral-doc``), not when tasks run.
    A module's ``DOCUMENTATION`` that lists a name under
    ``extends_documentation_fragment`` gets that fragment's options, its own options
    winning over them (:meth:`corral.plugins.module.ModuleSpec.documentation`).  Names
    are as modules write them: ``url`` is also ``ansible.builtin.url`` (the standard
    prefixes of :data:`corral.plugins.module.MODULE_PREFIXES`).  The kernel provides
    ``files`` (:data:`corral.plugins.module.FILES_FRAGMENT`, the options of
    ``add_file_common_args``); a later plugin's fragment replaces an earlier one of the
    same name.  A collection's fragment (``ns.coll.name``) is found as content
    (:func:`corral_resolve_content`, kind ``doc_fragment``).

    :returns: ``{fragment name: documentation}``, each documentation YAML text or a
        mapping with Ansible's shape (``options:`` at the top, each option as a
        module's ``DOCUMENTATION`` writes it);
        ``corral.plugins.module.doc_fragments_in(directory)`` reads a directory of
        ``NAME.yml`` files.
    """


# ---------------------------------------------------------------------------
# content found per run (plugin folders, collections)


@hookspec(firstresult=True)
def corral_resolve_content(kind: str, name: str, collections: tuple[str, ...],
                           context: ContentContext) -> Any | None:
    """Find ``name`` of ``kind`` in the run's content, beyond the installed plugins.

    The kernel asks this before it looks at the installed plugins, whenever a task,
    template, play or configuration names something: a module or action when a task
    is loaded and run, a filter, test or lookup the first time a template uses it, a
    callback, connection, become, vars, cache or strategy plugin chosen by name, an
    inventory parser named by a source's ``plugin:`` key, a role, an imported
    playbook.  Answers are cached per run until ``context.version`` changes.  A
    plugin that knows the name is not available (a tombstoned or missing
    collection plugin) raises :class:`corral.errors.CorralPluginError` with the
    message the user should see.

    :param kind: one of :data:`corral.plugins.content.CONTENT_KINDS`.
    :param name: the name as written (``ini_file``, ``community.general.ini_file``,
        ``ansible.builtin.copy``).
    :param collections: the ``collections`` keyword in scope, innermost first (a
        block's, then its role's own collection and ``collections``, then the
        play's); empty for names not used by a task.
    :param context: the run's :class:`~corral.plugins.content.ContentContext`
        (configuration, playbook and role directories, a per-run cache).
    :returns: what :data:`corral.plugins.content.CONTENT_KINDS` lists for ``kind``,
        or ``None`` to leave the name to other plugins and the installed ones.
    """


@hookspec
def corral_content_names(kind: str, context: ContentContext) -> list[str] | None:
    """List the names of ``kind`` that the run's content holds and that run without
    being named by configuration.

    Asked for ``vars`` when the inventory's vars plugins are chosen (again when
    ``context.version`` changes): a vars plugin in a plugin folder runs without
    ``vars_plugins_enabled`` naming it, as in Ansible, unless its class sets
    ``REQUIRES_ENABLED = True``.  Each name must resolve through
    :func:`corral_resolve_content`.

    :param kind: one of :data:`corral.plugins.content.CONTENT_KINDS` (``vars``).
    :param context: the run's :class:`~corral.plugins.content.ContentContext`.
    :returns: the names, in the order they run, or ``None`` (nothing of ``kind``).
    """


# ---------------------------------------------------------------------------
# command line


@hookspec
def corral_cli_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add subcommands to the ``corral-plugins`` command line.

    Call ``subparsers.add_parser(name)`` and set ``func`` with
    ``parser.set_defaults(func=callable)``; the callable receives the parsed
    arguments and returns an exit code.

    :param subparsers: the ``argparse`` subparsers of ``corral-plugins``.
    :returns: nothing; the hook adds to ``subparsers``.
    """
