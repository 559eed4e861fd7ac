"""Running one task on one host: loops, conditions, arguments, the action, retries,
``changed_when``/``failed_when``.

The executor runs on the controller (in one of the run's lane threads); only the
action's connection requests travel to the executor's workers.  Results are plain
dicts in Ansible's shape; facts and registered values are applied by the strategy.
"""
from __future__ import annotations

import dataclasses
import sys
import threading
from collections import ChainMap
from typing import TYPE_CHECKING, Any, Callable, Mapping

from corral.config import boolean
from corral.display import format_source_context
from corral.errors import (CorralActionFailed, CorralConnectionFailure, CorralError, CorralOptionsError,
                           CorralPluginError, CorralTemplateError, CorralUndefinedVariable, position_of)
from corral.executor.become import resolve_become
from corral.executor.fact_gathering import gathering_failed
from corral.results import ERROR_CAUSE, ERROR_SUMMARY, NO_TRACEBACK, TaskResult
from corral.plugins.action import (ActionBase, HostConnection, NormalAction, PlayContext, TaskDeadline,
                                  sleep_unless_cancelled)
from corral.plugins.connection import ConnectionBase, ConnectionOptions
from corral.plugins.interpreter_discovery import DEFAULT_FALLBACK
from corral.plugins.manager import STANDARD_DISTRIBUTIONS
from corral.plugins.module import normalize_module_name
from corral.plugins.traits import FACTS_HOST, LANGUAGE_TRAITS
from corral.template import Templar, is_whole_template, type_name, remove_omitted
from corral.utils.unsafe import UnsafeText, wrap_unsafe

if TYPE_CHECKING:
    from corral.settings import RunSettings

__all__ = ["TaskExecutor", "RunContext", "task_no_log", "INCLUDE", "INCLUDE_ARGS"]

#: where a dynamic include's result names what it includes, and with which arguments: internal
#: keys (as in ansible-core, a registered or shown include result carries neither)
INCLUDE = "_ansible_include"
INCLUDE_ARGS = "_ansible_include_args"

#: the language's dynamic includes: their result names what the play iterator loads next
_DYNAMIC_INCLUDES = frozenset({"include_tasks", "include_role", "include"})
#: task keywords Ansible converts with a strict boolean ("maybe" fails the task, it is never False)
_BOOL_KEYWORDS = ("become", "check_mode", "diff", "no_log", "ignore_errors", "ignore_unreachable",
                  "any_errors_fatal", "run_once", "delegate_facts")


@dataclasses.dataclass
class RunContext:
    """Everything a task execution needs from the run."""

    loader: Any
    inventory: Any
    variable_manager: Any
    plugins: Any
    template_env: Any
    executor: Any
    config: Any
    #: the run's settings (check, diff, verbosity, connection, remote_user, become...)
    settings: RunSettings
    #: the run's command line values by Ansible's names (``remote_user``, ``timeout``,
    #: ``ssh_common_args``, ``conn_pass``...): the ``cli`` source of plugin options
    cli_args: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: set when the run is cancelled: controller-side waits end at once
    cancelled: threading.Event = dataclasses.field(default_factory=threading.Event)
    #: the run's display: the connection trace at ``-vvv`` goes there
    display: Any = None
    #: every host runs one module in the whole run (the ad-hoc CLI's one task): modules
    #: run in a fresh interpreter, not a module server (``ModuleRequest.alone``)
    single_module: bool = False


def _first(variables: Any, names: tuple[str, ...], default: Any = None) -> Any:
    for name in names:
        if name in variables:
            return variables[name]
    return default


def _present(variables: Mapping[str, Any], names: frozenset[str]) -> dict[str, Any]:
    """The variables among ``names`` that ``variables`` holds: a ChainMap's layers are
    intersected with ``names`` (one set operation per layer, not a lookup through
    every layer per name)."""
    if type(variables) is dict:
        return {name: variables[name] for name in names & variables.keys()}
    if isinstance(variables, ChainMap):
        found: dict[str, Any] = {}
        for layer in reversed(variables.maps):
            found.update(_present(layer, names))
        return found
    return {name: variables[name] for name in names if name in variables}


class TaskExecutor:
    """Runs ``task`` on ``host`` with ``variables`` and returns the result dict.

    ``on_item(result_dict, status)`` is called for each loop item as it finishes
    (status ``ok``/``failed``/``skipped``), ``on_retry(result_dict)`` before each
    ``until`` retry, ``on_async(event, result_dict)`` as a polled ``async`` job is
    seen running (``async_poll``) and once it ends (``async_ok``/``async_failed``).
    """

    def __init__(self, host: Any, task: Any, variables: Any, run: RunContext,
                 on_item: Callable[[dict[str, Any], str], None] | None = None,
                 on_retry: Callable[[dict[str, Any]], None] | None = None,
                 on_async: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self._host = host
        self._task = task
        self._vars = variables
        self._run = run
        self._on_item = on_item or (lambda result, status: None)
        self._on_retry = on_retry or (lambda result: None)
        self._on_async = on_async

    @property
    def task(self) -> Any:
        """The task as it runs: the one given, or once its module name (a template) is
        rendered for the host, the task with that action (:meth:`Task.with_action`)."""
        return self._task

    # -- entry point ------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """The task's result on this host (never raises for task-level problems)."""
        try:
            try:
                items = self._loop_items()
            except CorralUndefinedVariable as exc:
                skipped = self._skipped_without_loop()
                if skipped is not None:
                    return skipped
                loop = self._task._attrs.get("loop")
                raise _TaskFailure(f"Task failed: {exc.message}", causes=[
                    ("Task failed", position_of(self._task._ds)),
                    (exc.message, position_of(loop) or self._keyword_value_position(
                        "loop" if self._task.loop_with is None else f"with_{self._task.loop_with}"))]) from exc
            except (CorralConnectionFailure, _TaskFailure):
                raise
            except CorralError as exc:
                # as ansible-core words it: the loop's own error (a lookup's, a template's), unprefixed
                raise _TaskFailure(exc.message) from exc
            if items is None:
                return self._execute(self._vars)
            return self._run_loop(items)
        except CorralConnectionFailure as exc:
            return self._mark({"unreachable": True, "changed": False, "msg": f"Task failed: {exc.message}"})
        except _TaskFailure as exc:
            failure: dict[str, Any] = {"failed": True, "msg": exc.message}
            if exc.changed is not None:
                failure["changed"] = exc.changed
            if exc.summary is not None:
                failure[ERROR_SUMMARY] = exc.summary
            if exc.causes is not None:
                failure[ERROR_CAUSE] = [[text, list(origin) if origin else None] for text, origin in exc.causes]
            if exc.no_log:
                failure["_ansible_no_log"] = True
            return self._mark(failure)
        except CorralError as exc:
            # the engine's own error, not the module's: worded as Ansible's task failures
            msg = str(exc.message)
            return self._mark({"failed": True, "changed": False,
                               "msg": msg if msg.startswith("Task failed") else f"Task failed: {msg}"})

    def _mark(self, result: dict[str, Any]) -> dict[str, Any]:
        """``result`` (a failure outside any one item) marked ``_ansible_no_log`` when
        the task has ``no_log`` for this host."""
        templar = Templar(self._run.loader, self._vars, environment=self._run.template_env)
        if task_no_log(self._task, templar, self._run.config):
            result["_ansible_no_log"] = True
        return result

    # -- loops -------------------------------------------------------------------------------

    def _loop_items(self) -> list[Any] | None:
        task = self._task
        loop = task._attrs.get("loop")
        if loop is None:
            return None
        templar = Templar(self._run.loader, self._vars, environment=self._run.template_env)
        if task.loop_with:
            terms = templar.template(loop)
            if task.loop_with in ("items", "list", "flattened") and not isinstance(terms, list):
                terms = [terms]
            items = templar.run_lookup(task.loop_with, terms, wantlist=True)
        else:
            items = templar.template(loop)
        if not isinstance(items, list):
            if isinstance(items, (tuple, set)):
                items = list(items)
            else:
                message = f"The `loop` value must resolve to a 'list', not '{type_name(items)}'."
                position = position_of(loop) or self._keyword_value_position("loop")
                raise _TaskFailure(message, summary=str(CorralError(
                    message, position=position, help_text="Provide a list of items/templates, or a template "
                                                          "resolving to a list.")) if position else None)
        return items

    def _skipped_without_loop(self) -> dict[str, Any] | None:
        """When the loop's items cannot be rendered (an undefined variable), the task's
        conditions decide without them, as in ansible-core: the skipped result of
        the first that is false, else ``None`` (the loop's error stands)."""
        templar = Templar(self._run.loader, self._vars, environment=self._run.template_env)
        for condition in self._task.all_when():
            try:
                if not templar.evaluate_conditional(condition):
                    return {"changed": False, "skipped": True, "skip_reason": "Conditional result was False",
                            "false_condition": condition}
            except CorralError:
                return None
        return None

    def _run_loop(self, items: list[Any]) -> dict[str, Any]:
        control = self._task._attrs.get("loop_control") or {}
        loop_var = control.get("loop_var", "item")
        index_var = control.get("index_var")
        label = control.get("label")
        pause = _keyword_value("pause", control.get("pause", 0) or 0, float, prefix="")
        extended = boolean(control.get("extended", False))
        results: list[dict[str, Any]] = []
        # facts set by earlier items (set_fact, include_vars) are visible to later ones
        item_facts: dict[str, Any] = {}
        for index, item in enumerate(items):
            if index and pause:
                sleep_unless_cancelled(pause, self._run.cancelled)
            loop_vars: dict[str, Any] = {loop_var: item, "ansible_loop_var": loop_var}
            if index_var:
                loop_vars[index_var] = index
                loop_vars["ansible_index_var"] = index_var
            if extended:
                loop_vars["ansible_loop"] = {
                    "allitems": items, "index": index + 1, "index0": index, "first": index == 0,
                    "last": index == len(items) - 1, "length": len(items),
                    "revindex": len(items) - index, "revindex0": len(items) - index - 1}
                if index:
                    loop_vars["ansible_loop"]["previtem"] = items[index - 1]
                if index + 1 < len(items):
                    loop_vars["ansible_loop"]["nextitem"] = items[index + 1]
            variables = ChainMap(loop_vars, item_facts, self._vars) if item_facts else ChainMap(loop_vars, self._vars)
            try:
                result = self._execute(variables)
            except CorralConnectionFailure:
                raise
            except CorralError as exc:
                # as ansible-core: an item whose templates or conditions fail is a failed
                # item, and the loop goes on with the next one
                result = self._item_failure(exc, variables)
            if self._task.traits.facts != FACTS_HOST and isinstance(result.get("ansible_facts"), dict):
                item_facts.update(result["ansible_facts"])
            result[loop_var] = item
            result["ansible_loop_var"] = loop_var
            if index_var:
                result[index_var] = index
                result["ansible_index_var"] = index_var
            if extended:
                result["ansible_loop"] = loop_vars["ansible_loop"]
            result["_ansible_item_label"] = Templar(self._run.loader, variables, environment=self._run.template_env
                                                    ).template(label) if label is not None else item
            if result.get("unreachable"):
                return _marked_if_any({"unreachable": True, "changed": False, "msg": result.get("msg", ""),
                                       "results": results + [result]})
            status = "skipped" if result.get("skipped") else "failed" if result.get("failed") else "ok"
            self._on_item(result, status)
            results.append(result)
        aggregate: dict[str, Any] = {"results": results, "changed": any(r.get("changed") for r in results),
                                     "msg": "All items completed"}
        if any(r.get("failed") for r in results):
            aggregate["failed"] = True
            aggregate["msg"] = "One or more items failed"
        if not results:
            # as ansible-core 2.21: no message, the reason under both its names
            del aggregate["msg"]
            aggregate.update(skipped=True, skip_reason="No items in the list", skipped_reason="No items in the list")
        elif all(r.get("skipped") for r in results):
            aggregate.update(skipped=True, msg="All items skipped")
        return _marked_if_any(aggregate)

    def _item_failure(self, error: CorralError, variables: Any) -> dict[str, Any]:
        """The result of a loop item that could not run (``error``), worded as
        :meth:`run` words a task's, censored when ``no_log`` is true for the item."""
        msg = str(error.message)
        result: dict[str, Any] = {"changed": False, "failed": True, "exception": NO_TRACEBACK,
                                  "msg": msg if msg.startswith("Task failed") else f"Task failed: {msg}"}
        if isinstance(error, _TaskFailure) and error.changed is not None:
            result["changed"] = error.changed
        templar = Templar(self._run.loader, variables, environment=self._run.template_env)
        if (isinstance(error, _TaskFailure) and error.no_log) or task_no_log(self._task, templar, self._run.config):
            result["_ansible_no_log"] = True
        return result

    # -- one execution ---------------------------------------------------------------------

    def _execute(self, variables: Any) -> dict[str, Any]:
        """One execution (of the task, or of one loop item), its result marked
        ``_ansible_no_log`` (as is each retry result) when ``no_log`` is true here."""
        templar = Templar(self._run.loader, variables, environment=self._run.template_env)
        delegate = None
        if self._task.get("delegate_to"):
            delegate = UnsafeText(templar.template(self._task.get("delegate_to")))
            variables = self._with_delegated_vars(delegate, variables)
            templar = Templar(self._run.loader, variables, environment=self._run.template_env)
        no_log = task_no_log(self._task, templar, self._run.config)
        result = self._execute_once(variables, templar, no_log)
        if delegate is not None:    # callbacks name the host this execution was delegated to
            result.setdefault("_ansible_delegated_vars", {})["ansible_delegated_host"] = delegate
        if "invocation" in result and not self._inject_invocation(templar, variables):
            del result["invocation"]
        if no_log:
            result["_ansible_no_log"] = True
        return result

    def _execute_once(self, variables: Any, templar: Templar, no_log: bool) -> dict[str, Any]:
        task = self._task
        run = self._run
        for condition in task.all_when():
            try:
                ok = templar.evaluate_conditional(condition)
            except CorralError as exc:
                raise _TaskFailure(f"Task failed: A 'when' expression failed: {exc.message}",
                                   causes=[("Task failed", position_of(self._task._ds)),
                                           (f"A 'when' expression failed: {exc.message}",
                                            position_of(condition))]) from exc
            if not ok:
                return {"changed": False, "skipped": True, "skip_reason": "Conditional result was False",
                        "false_condition": condition}
        if task.templated_action:
            task = self._task = self._resolve_action(templar)
        self._check_bool_keywords(templar, variables)
        context = self._play_context(templar, variables, no_log)
        if task.action in _DYNAMIC_INCLUDES:
            return {"changed": False, INCLUDE: templar.template(task.args.get("_raw_params") or task.args.get("file")
                                                                or task.args.get("name")),
                    INCLUDE_ARGS: templar.template({k: v for k, v in task.args.items() if k != "_raw_params"})}
        args = remove_omitted(self._template_args(templar, task.traits.untemplated_args))
        written = getattr(task, "action_as_written", task.action)
        action_class = run.plugins.resolve("action", written, task.collections)
        if action_class is None:
            if run.plugins.resolve("module", written, task.collections) is None:
                known = sorted(set(run.plugins.modules()) | set(run.plugins.actions()))
                why = run.plugins.content.not_found.get(written)
                return {"failed": True, "changed": False,
                        "msg": f"couldn't resolve module/action '{written}'. This often indicates a "
                               f"misspelling, missing collection, or incorrect module path."
                               f"{' ' + why if why else ''} Installed: {', '.join(known) or 'none'}"}
            action_class = NormalAction
        if "_raw_params" in args and task.traits.free_form_keys is None and not action_class.RAW_PARAMS \
                and "_raw_params" not in action_class._VALID_ARGS:
            args = self._splat_args(args)
        poll_kw = task._attrs.get("poll")
        async_val = _keyword_value("async_val", templar.template(task._attrs.get("async") or 0), int)
        poll = _keyword_value("poll", templar.template(poll_kw if poll_kw is not None else 15), int)
        timeout = 0
        if task._attrs.get("timeout") is not None:
            timeout = _keyword_value("timeout", templar.template(task._attrs["timeout"]), int)
        # as ansible-core 2.21: an async task's polling is not bounded by its timeout
        deadline = TaskDeadline(timeout, run.cancelled) if timeout > 0 and not async_val else None
        if deadline is not None:
            context.cancelled = deadline
        connection = None
        if task.traits.needs_connection:
            options = self._connection_options(templar, variables)
            connection = HostConnection(run.executor, self._target_name(templar), options, context.become,
                                        run.display, no_log, deadline,
                                        _secret_options(run.plugins, options)
                                        if getattr(run.display, "verbosity", 0) >= 4 else frozenset(),
                                        alone=run.single_module)
        bound = _BoundTask(task, args, context, async_val=async_val, poll=poll, on_async=self._on_async)
        action: ActionBase = action_class(bound, connection, context, run.loader, templar, run.plugins)
        until = task._attrs.get("until")
        retries_kw = task._attrs.get("retries")
        # as ansible-core 2.21: ``retries`` (default 3 with ``until``) retries after the
        # first attempt; without ``until`` a task with ``retries`` runs until it succeeds
        if retries_kw is not None:
            retries = max(0, _keyword_value("retries", templar.template(retries_kw) or 0, int))
        else:
            retries = 3 if until is not None else 0
        delay_kw = task._attrs.get("delay")
        delay = _keyword_value("delay", templar.template(delay_kw if delay_kw is not None else 5), float)
        attempts = retries + 1
        result: dict[str, Any] = {}
        for attempt in range(1, attempts + 1):
            if deadline is not None:
                deadline.start()
            try:
                result = action.run(task_vars=variables) or {}
            except (CorralConnectionFailure, _TaskFailure):
                if deadline is not None and deadline.expired:
                    return _timed_out(timeout)
                raise
            except CorralActionFailed as exc:
                result = {**exc.result, "failed": True, "msg": exc.message}
            except CorralError as exc:
                if deadline is not None and deadline.expired:
                    return _timed_out(timeout)
                # an action or its connection raised (e.g. a connection plugin that cannot start)
                raise _TaskFailure(f"Task failed: {exc.message}", changed=False) from exc
            finally:
                if connection is not None:
                    connection.deadline = None      # the cleanup runs after a timeout too
                    action.cleanup()
                    connection.deadline = deadline
            if deadline is not None and deadline.expired:
                # it ran past its timeout (where it could not be stopped): ansible-core's
                # timeout ends the task there, with no retry and no changed_when/failed_when
                return _timed_out(timeout)
            if result.get("failed") and getattr(task, "implicit", False) and _module_ran(result):
                result = gathering_failed(result)
            if result.get("unreachable"):
                msg = str(result.get("msg") or "")
                if not msg.startswith("Task failed"):
                    result["msg"] = f"Task failed: {msg}"
                return result
            if attempts > 1:
                # the attempt's number is in the result its changed_when/failed_when see
                result["attempts"] = attempt
            result = self._post_process(result, templar, variables)
            if attempts == 1:
                break
            if self._until_met(until, result, variables):
                break
            if attempt < attempts:
                # ansible-core 2.21 shows a retry with the next attempt's number against the
                # total, so "retries left" counts down to 0 at the last retry
                retry = dict(result, attempts=attempt + 1, retries=attempts, _ansible_retry=True)
                if no_log:
                    retry["_ansible_no_log"] = True
                self._on_retry(retry)
                sleep_unless_cancelled(delay if delay >= 0 else 1, run.cancelled)
            else:
                # and a result that ran out of attempts says one attempt fewer than were made;
                # it is failed (unless its failed_when said otherwise), with no error of its
                # own to show unless its action failed
                result["attempts"] = retries
                if not isinstance(result.get("failed_when_result"), bool):
                    if not result.get("failed"):
                        result[ERROR_SUMMARY] = ""
                    result["failed"] = True
        return result

    def _until_met(self, until: Any, result: dict[str, Any], variables: Any) -> bool:
        """Whether a retried task is done: its ``until`` conditions hold (seeing the
        result under its ``register`` name), or without ``until``, it did not fail."""
        if until is None:
            return not result.get("failed")
        check_vars = ChainMap(self._register_view(result), variables)
        templar = Templar(self._run.loader, check_vars, environment=self._run.template_env)
        conditions = until if isinstance(until, list) else [until]
        try:
            return all(templar.evaluate_conditional(c) for c in conditions)
        except CorralError as exc:
            cause = f"An 'until' expression failed: {exc.message}"
            raise _TaskFailure(f"Task failed: {cause}", changed=False, causes=[
                ("Task failed", position_of(self._task._ds)),
                (cause, _failing_condition(templar, conditions))]) from exc

    def _resolve_action(self, templar: Templar) -> Any:
        """The task with its module name (a template) rendered for this host and
        resolved to an installed action or module."""
        task = self._task
        try:
            name = templar.template(task.action_as_written)
        except CorralError as exc:
            raise _TaskFailure(f"Task failed: {exc.message}") from exc
        name = str(name).strip()
        plugins = self._run.plugins
        try:
            found = plugins.resolve("action", name, task.collections) is not None \
                or plugins.resolve("module", name, task.collections) is not None
            traits = plugins.action_traits(name, task.collections)
        except CorralError as exc:      # a tombstone, a redirect loop
            raise _TaskFailure(f"Task failed: {exc.message}") from exc
        if not found and normalize_module_name(name) not in LANGUAGE_TRAITS:
            raise _TaskFailure(f"Task failed: Cannot resolve '{name}' to an action or module.", changed=False)
        try:
            return task.with_action(name, traits)
        except CorralError as exc:
            raise _TaskFailure(f"Task failed: {exc.message}", changed=False) from exc

    def _splat_args(self, args: dict[str, Any]) -> dict[str, Any]:
        """Arguments of an action that takes no free-form text but got some: text that is
        one template (``add_host: "{{ d }}"``, ``file: path=x {{ more }}``) is a mapping
        of arguments (those written as ``key=value`` win); other text fails the task."""
        written = self._task.args.get("_raw_params")
        action = _fqcn(self._task.action)
        # as ansible-core words it: a module's failure says it changed nothing, an action's does not
        changed = False if self._task.traits.needs_connection else None
        if not (isinstance(written, str) and is_whole_template(written.strip())):
            raise _TaskFailure(f"Task failed: Action '{action}' does not support raw params.", changed=changed)
        self._warn_args_template()
        splat = args.pop("_raw_params")
        if not isinstance(splat, Mapping):
            raise _TaskFailure(f"Task failed: Finalization of task args for '{action}' failed: Task args must "
                               f"resolve to a 'dict' not '{type_name(splat)}'.", changed=changed)
        return {**splat, **args}

    def _warn_args_template(self) -> None:
        """Ansible's warning for arguments given as a template, naming where they are written."""
        ds = self._task._ds if isinstance(self._task._ds, Mapping) else {}
        written = next((ds[key] for key in (getattr(self._task, "action_as_written", None), "action", "local_action")
                        if key in ds), None)
        position = position_of(written)
        where = f"\n{format_source_context(*position)}" if position else ""
        self._run.loader.warning("Using a template for task args is unsafe in some situations (see https://docs."
                                 "ansible.com/ansible/devel/reference_appendices/faq.html#argsplat-unsafe)." + where)

    def _template_args(self, templar: Templar, raw: frozenset[str]) -> dict[str, Any]:
        args: dict[str, Any] = {}
        for key, value in self._task.args.items():
            if key in raw:
                args[key] = value
                continue
            try:
                args[key] = templar.template(value)
            except CorralError as exc:
                finalization = f"Finalization of task args for '{_fqcn(self._task.action)}' failed"
                resolving = f"Error while resolving value for '{key}'"
                raise _TaskFailure(f"Task failed: {finalization}: {resolving}: {exc.message}", changed=False, causes=[
                    ("Task failed", position_of(self._task._ds)), (finalization, self._action_position()),
                    (resolving, position_of(value) or self._raw_args_position()),
                    (exc.message, _failing_leaf(templar, value))]) from exc
        return args

    def _action_key(self) -> Any:
        """The task's action key as loaded (it carries its position), or ``None``."""
        written = getattr(self._task, "action_as_written", self._task.action)
        data = getattr(self._task, "_ds", None)
        if isinstance(data, Mapping):
            for key in data:
                if key == written:
                    return key
        return None

    def _action_position(self) -> tuple[str, int, int] | None:
        """Where the task's action keyword (``debug:``) is written."""
        return position_of(self._action_key())

    def _keyword_value_position(self, keyword: str) -> tuple[str, int, int] | None:
        """Where the value of the task's ``keyword`` starts (for a value that does not
        carry its position: a number, a boolean), read from the keyword's line."""
        data = getattr(self._task, "_ds", None)
        key = next((k for k in data if k == keyword), None) if isinstance(data, Mapping) else None
        position = position_of(key)
        if position is None:
            return None
        path, line, column = position
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read().split("\n")[line - 1]
        except (OSError, IndexError):
            return None
        rest = text[column - 1 + len(keyword):]
        if not rest.startswith(":"):
            return None
        value = rest[1:].lstrip()
        return (path, line, len(text) - len(value) + 1) if value else None

    def _raw_args_position(self) -> tuple[str, int, int] | None:
        """Where the task's ``key=value`` arguments are written (``debug: msg=...``)."""
        key = self._action_key()
        if key is None:
            return None
        value = self._task._ds[key]
        return position_of(value) if isinstance(value, str) else None

    def _register_view(self, result: dict[str, Any]) -> dict[str, Any]:
        """The task's own result under its ``register`` name, for ``until``,
        ``changed_when`` and ``failed_when``: host data, so marked unsafe as the
        registered variable will be (never compiled as an expression)."""
        name = self._task._attrs.get("register")
        return {name: wrap_unsafe(result)} if name else {}

    def _post_process(self, result: dict[str, Any], templar: Templar, variables: Any) -> dict[str, Any]:
        task = self._task
        result.setdefault("changed", False)
        changed_when = task._attrs.get("changed_when")
        failed_when = task._attrs.get("failed_when")
        if changed_when is not None or failed_when is not None:
            check = Templar(templar._loader, ChainMap(self._register_view(result), variables),
                            environment=self._run.template_env)
            # the error shown names the module when the module itself had failed
            kind = "Module" if result.get("failed") and task.traits.needs_connection else "Action"
            if changed_when is not None:
                conditions = changed_when if isinstance(changed_when, list) else [changed_when]
                try:
                    result["changed"] = result["changed_when_result"] = all(
                        check.evaluate_conditional(c) for c in conditions)
                except CorralError as exc:
                    _suppress_exception(result, "changed_when_suppressed_exception", remove=False)
                    return _keyword_failure(result, "changed_when", exc, kind, _failing_condition(check, conditions))
            if failed_when is not None:
                _suppress_exception(result, "failed_when_suppressed_exception", remove=True)
                conditions = failed_when if isinstance(failed_when, list) else [failed_when]
                try:
                    failed = all(check.evaluate_conditional(c) for c in conditions)
                except CorralError as exc:
                    return _keyword_failure(result, "failed_when", exc, kind, _failing_condition(check, conditions))
                result["failed_when_result"] = failed
                result["failed"] = failed
                if failed:
                    # the error shown is the expression's; the result keeps its own message
                    summary = f"Task failed: {kind} failed: A 'failed_when' expression evaluated to 'True'."
                    if result.get("msg"):
                        result[ERROR_SUMMARY] = summary
                    else:
                        result["msg"] = summary
        if result.get("failed") and not result.get("exception"):
            result["exception"] = NO_TRACEBACK
        return result

    # -- settings -----------------------------------------------------------------------------

    def _target_name(self, templar: Templar) -> str:
        """The inventory name of the host the task runs on: data, never a template
        (``ansible_host`` defaults to it, and it may come from a host's output through
        ``add_host`` or ``delegate_to``)."""
        delegate = self._task.get("delegate_to")
        return UnsafeText(templar.template(delegate) if delegate else self._host.name)

    def _target_vars(self, templar: Templar, variables: Any) -> Any:
        delegate = self._task.get("delegate_to")
        if not delegate:
            return variables
        name = str(templar.template(delegate))
        run = self._run
        host = run.inventory.get_host(name)
        if host is None:
            from corral.inventory.host import Host
            host = Host(name)
            if name in ("localhost", "127.0.0.1"):
                host.vars["ansible_connection"] = "local"
        delegated = run.variable_manager.get_vars(None, host)
        if name in ("localhost", "127.0.0.1") and "ansible_connection" not in delegated:
            delegated = ChainMap({"ansible_connection": "local"}, delegated)
        return delegated

    def _inject_invocation(self, templar: Templar, variables: Any) -> bool:
        """Whether results keep the module's ``invocation`` (its arguments): only with
        ``inject_invocation`` (``ansible_inject_invocation``, ``ANSIBLE_INJECT_INVOCATION``
        or ``[defaults] inject_invocation``), as in ansible-core 2.21."""
        if "ansible_inject_invocation" in variables:
            return boolean(templar.template(variables["ansible_inject_invocation"]))
        return bool(self._run.config.get("inject_invocation"))

    def _with_delegated_vars(self, name: str, variables: Any) -> Any:
        """``variables`` with ``ansible_delegated_vars``: ``{name: the delegated host's
        variables}``, seen from this play and task, ``inventory_hostname`` being the
        original host's (as ansible-core gives them)."""
        host = self._run.inventory.get_host(name)
        if host is None:
            return variables
        play = self._task
        while play is not None and getattr(play, "KIND", "") != "play":
            play = play._parent
        delegated = self._run.variable_manager.get_vars(play, host, self._task)
        delegated = ChainMap({"inventory_hostname": variables.get("inventory_hostname", self._host.name)}, delegated)
        return ChainMap({"ansible_delegated_vars": {name: delegated}}, variables)

    def _check_bool_keywords(self, templar: Templar, variables: Any) -> None:
        """Fail the task, as Ansible does, on a boolean keyword that is no boolean: read
        leniently, ``no_log: maybe`` would be false and print what it should hide (its
        failure is censored, as in Ansible).  ``ansible_become`` stands for ``become``."""
        for keyword in _BOOL_KEYWORDS:
            value = self._task.get(keyword)
            if keyword == "become" and "ansible_become" in variables:
                value = variables["ansible_become"]
            if value is None or isinstance(value, bool):
                continue
            value = templar.template(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
                continue
            try:
                boolean(value, strict=True)
            except CorralOptionsError:
                raise _TaskFailure(f"Task failed: Error processing keyword '{keyword}': The value '{value}' "
                                   f"could not be converted to 'bool'.", changed=False,
                                   no_log=keyword == "no_log") from None

    def _connection_class(self, name: str) -> type[ConnectionBase]:
        """The connection class called ``name``; fails the task, as Ansible words it, when
        there is none (checked here so that the executor's worker never meets an unknown name);
        for a standard connection that is not installed, the message names its distribution."""
        try:
            return self._run.plugins.connection_class(name)
        except CorralPluginError as exc:
            detail = f": {exc}" if ("connection", name) in STANDARD_DISTRIBUTIONS else ""
            raise _TaskFailure(f"Task failed: the connection plugin '{name}' was not found{detail}",
                               changed=False) from None

    def _connection_options(self, templar: Templar, variables: Any) -> ConnectionOptions:
        """The chosen connection plugin's options for the target host, resolved from its
        (templated) variables, the task's keywords, the run's command line, the
        environment and the configuration file; a bad value fails the task."""
        run = self._run
        target = self._target_vars(templar, variables)
        t = Templar(run.loader, target, environment=run.template_env) if target is not variables else templar
        name = str(t.template(_first(target, ("ansible_connection",))) or self._task.get("connection")
                   or run.settings.connection or run.config.get("transport"))
        if name == "smart":
            name = "ssh"
        connection_class = self._connection_class(name)
        keywords = {k: templar.template(v) for k in connection_class.option_names("keywords")
                    if (v := self._task.get(k)) is not None}
        try:
            return connection_class.options_for(name, self._target_name(templar),
                                                variables=_present(target, connection_class.option_names("vars")),
                                                keywords=keywords, cli=run.cli_args, env=run.config.env,
                                                ini=run.config, template=t.template)
        except CorralOptionsError as exc:
            raise _TaskFailure(f"Task failed: {exc.message}", changed=False) from None

    def _play_context(self, templar: Templar, variables: Any, no_log: bool) -> PlayContext:
        run, task = self._run, self._task
        become_on = _first(variables, ("ansible_become",))
        if become_on is None:
            become_on = task.get("become")
        if become_on is None:
            become_on = run.settings.become if run.settings.become is not None else run.config.get("become")
        become = None
        if boolean(templar.template(become_on)):
            method = str(templar.template(_first(variables, ("ansible_become_method",)) or task.get("become_method")
                                          or run.settings.become_method or run.config.get("become_method")))
            keywords = {k: templar.template(task.get(k)) for k in ("become_user", "become_exe", "become_flags")}
            become = resolve_become(run.plugins, method, variables=variables, keywords=keywords,
                                    cli=run.cli_args,
                                    ini=run.config, template=templar.template)
        check = task.get("check_mode")
        diff = task.get("diff")
        environment: dict[str, str] = {}
        layers: list[Any] = []
        node = task
        while node is not None:  # play, block and task environments merge, the task's last
            own = node._attrs.get("environment")
            if own:
                layers[:0] = own if isinstance(own, list) else [own]
            node = node._parent
        for layer in layers:
            try:
                rendered = _environment_layer(templar, layer, task.traits.gathers_facts)
            except CorralTemplateError as exc:
                raise type(exc)(f"Error processing keyword 'environment': {exc.message}", obj=exc.obj) from exc
            if not isinstance(rendered, dict):
                raise CorralError(f"environment must be a dictionary, got {rendered!r}")
            environment.update({str(k): str(v) for k, v in rendered.items()})
        interpreter = _first(variables, ("ansible_python_interpreter",))
        delegated = variables.get("ansible_delegated_vars") or {}
        if len(delegated) == 1:     # a delegated task runs with the delegated host's interpreter, as Ansible
            delegated_vars = next(iter(delegated.values()))
            interpreter = _first(delegated_vars, ("ansible_python_interpreter",)) or interpreter
        connection_name = _first(variables, ("ansible_connection",)) or task.get("connection") \
            or run.settings.connection
        # unset: the interpreter_python setting, by default "auto" (discovered on the target)
        interpreter = str(templar.template(interpreter)) if interpreter else \
            str(run.config.get("interpreter_python") or "auto")
        fallback = _first(variables, ("ansible_interpreter_python_fallback",))
        fallback = templar.template(fallback) if fallback else DEFAULT_FALLBACK
        if task.get("delegate_to") and str(templar.template(task.get("delegate_to"))) in ("localhost", "127.0.0.1") \
                and not interpreter.startswith("/"):
            interpreter = sys.executable
        return PlayContext(
            check_mode=boolean(templar.template(check)) if check is not None else run.settings.check,
            diff=boolean(templar.template(diff)) if diff is not None else run.settings.diff,
            verbosity=run.settings.verbosity, become=become,
            remote_user=_first(variables, ("ansible_user",)) or task.get("remote_user") or run.settings.remote_user,
            remote_addr=str(_first(variables, ("ansible_host",), self._host.name)),
            connection=str(connection_name or "ssh"), python_interpreter=interpreter,
            interpreter_fallback=tuple(str(name) for name in (fallback if isinstance(fallback, (list, tuple))
                                                              else [fallback])),
            report_discovered_interpreter=not task.get("delegate_to") or boolean(task.get("delegate_facts") or False),
            remote_tmp=str(_first(variables, ("ansible_remote_tmp",)) or run.config.get("remote_tmp")),
            module_rlimit_nofile=_keyword_value("ansible_python_module_rlimit_nofile", templar.template(_first(
                variables, ("ansible_python_module_rlimit_nofile",), run.config.get("python_module_rlimit_nofile"))),
                int) or 0,
            common_remote_group=templar.template(_first(variables, ("ansible_common_remote_group",))
                                                 or run.config.get("common_remote_group")),
            world_readable_temp=boolean(templar.template(_first(
                variables, ("ansible_shell_allow_world_readable_temp",),
                run.config.get("allow_world_readable_tmpfiles")))),
            environment=environment,
            no_log=no_log, cancelled=run.cancelled)


class _BoundTask:
    """The task as an action sees it: keywords from the task, ``args`` templated."""

    def __init__(self, task: Any, args: dict[str, Any], context: PlayContext, *, async_val: int,
                 poll: int, on_async: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self._task = task
        #: ``on_async(event, result)``: how a polled async job reports its progress
        self.on_async = on_async
        self.args = args
        self.action = task.action
        self.check_mode = context.check_mode
        self.diff = context.diff
        self.no_log = context.no_log
        self.async_val = async_val
        self.poll = poll
        self._role = task._role
        self._uuid = task._uuid

    def __getattr__(self, name: str) -> Any:
        return getattr(self._task, name)


class _TaskFailure(CorralError):
    """A task-level failure whose message is the whole result ``msg``; ``changed``, when
    given, is reported too (Ansible reports ``changed: false`` for bad keyword values);
    ``no_log`` censors the result; ``summary``: the error shown, when not the message.
    ``causes``: the message's parts with where each
    comes from (``None``: no place of its own), outermost first, when the failure comes
    from a place of its own (a ``when:`` expression, a ``msg:`` value): shown as
    ansible-core's ``<<< caused by >>>`` chain (:data:`ERROR_CAUSE`)."""

    def __init__(self, message: str, *, changed: bool | None = None, no_log: bool = False,
                 causes: list[tuple[str, tuple[str, int, int] | None]] | None = None,
                 summary: str | None = None) -> None:
        super().__init__(message)
        self.changed = changed
        self.no_log = no_log
        #: the error shown instead of ``message`` (:data:`ERROR_SUMMARY`), with its own origin
        self.summary = summary
        self.causes = causes if causes and any(origin for _, origin in causes[1:]) else None


def _secret_options(plugins: Any, options: ConnectionOptions) -> frozenset[str]:
    """The options of ``options``' connection plugin declared secret (never traced)."""
    try:
        specs = plugins.connection_class(options.connection).option_specs()
    except Exception:  # noqa: BLE001 - a plugin that cannot say: hide every option it was given
        return frozenset(options.origins)
    return frozenset(name for name, spec in specs.items() if getattr(spec, "secret", False))


def _keyword_value(keyword: str, value: Any, kind: type, prefix: str = "Task failed: ") -> Any:
    """``value`` as ``kind`` (int or float), or the task failure naming the keyword, as Ansible words it."""
    try:
        return kind(value)
    except (TypeError, ValueError, OverflowError):
        raise _TaskFailure(f"{prefix}Error processing keyword '{keyword}': The value '{value}' could "
                           f"not be converted to '{kind.__name__}'.", changed=False) from None


def task_no_log(task: Any, templar: Templar, config: Any) -> bool:
    """Whether ``task``'s results are censored: its ``no_log`` (inherited from its
    block, role or play; else the ``no_log`` setting) templated with ``templar``'s
    variables.  A value that cannot be templated censors: a broken expression must
    not reveal what it protects."""
    value = task.get("no_log")
    if value is None:
        value = config.get("no_log")
    if value is False:
        return False
    try:
        return boolean(templar.template(value))
    except CorralError:
        return True


def _marked_if_any(aggregate: dict[str, Any]) -> dict[str, Any]:
    """A loop's ``aggregate`` result, marked ``_ansible_no_log`` when one of its items is."""
    if any(item.get("_ansible_no_log") for item in aggregate["results"]):
        aggregate["_ansible_no_log"] = True
    return aggregate


def _suppress_exception(result: dict[str, Any], key: str, remove: bool) -> None:
    """Keep the error a result had before its ``changed_when``/``failed_when`` was
    evaluated under ``key`` (a failure's traceback, else Ansible's placeholder), taking
    it out of ``exception`` when ``remove``."""
    existing = result.get("exception") or (NO_TRACEBACK if result.get("failed") else None)
    if existing:
        result[key] = existing
        if remove:
            result.pop("exception", None)


def _keyword_failure(result: dict[str, Any], keyword: str, error: CorralError, kind: str,
                     position: tuple[str, int, int] | None = None) -> dict[str, Any]:
    """``result`` failed because its ``changed_when``/``failed_when`` could not be
    evaluated: Ansible keeps the module's result and its message, the error as the
    keyword's result, and shows the error (``kind`` is ``Module`` or ``Action``) with
    the expression's ``position`` as its cause."""
    result[f"{keyword}_result"] = error.message
    result["failed"] = True
    summary = f"Task failed: {kind} failed: A '{keyword}' expression failed: {error.message}"
    if position is not None:
        result[ERROR_CAUSE] = [[f"Task failed: {kind} failed", None],
                               [f"A '{keyword}' expression failed: {error.message}", list(position)]]
    if result.get("msg"):
        result[ERROR_SUMMARY] = summary
    else:
        result["msg"] = summary
    result["exception"] = NO_TRACEBACK
    return result


def _failing_condition(templar: Templar, conditions: list[Any]) -> tuple[str, int, int] | None:
    """Where the first of ``conditions`` that cannot be evaluated is written."""
    for condition in conditions:
        try:
            templar.evaluate_conditional(condition)
        except CorralError:
            return position_of(condition)
    return None


def _failing_leaf(templar: Templar, value: Any) -> tuple[str, int, int] | None:
    """Where, inside an argument's ``value`` that failed to template, the first string
    that fails is written (``None``: the value itself, or not known)."""
    if isinstance(value, Mapping):
        children: list[Any] = list(value.values())
    elif isinstance(value, (list, tuple)):
        children = list(value)
    else:
        return None
    for child in children:
        try:
            templar.template(child)
        except CorralError:
            return _failing_leaf(templar, child) or position_of(child)
    return None


def _module_ran(result: Mapping[str, Any]) -> bool:
    """Whether ``result`` is a module's own (it ran, or its interpreter failed), not a
    failure to reach the host or to become another user."""
    return not result.get("unreachable") and any(key in result for key in ("module_stderr", "invocation", "rc"))


def _timed_out(period: int) -> dict[str, Any]:
    """The result of a task stopped by its ``timeout`` keyword, as ansible-core 2.21 words it."""
    return {"changed": False, "failed": True, "exception": NO_TRACEBACK,
            "msg": f"Task failed: Timed out after {period} second(s).",
            "timedout": {"frame": "Configure `DISPLAY_TRACEBACK` to see a traceback on timeout errors.",
                         "period": period}}


def _fqcn(action: str) -> str:
    return action if "." in action else f"ansible.builtin.{action}"


def result_status(result: dict[str, Any]) -> str:
    """``unreachable``, ``failed``, ``skipped`` or ``ok`` for a result dict."""
    wrapped = TaskResult(None, None, result)
    if wrapped.is_unreachable():
        return "unreachable"
    if wrapped.is_failed():
        return "failed"
    if wrapped.is_skipped():
        return "skipped"
    return "ok"


def _environment_layer(templar: Templar, layer: Any, gathering: bool) -> Any:
    """One ``environment`` mapping rendered.  As in ansible-core, an entry whose
    template fails on an undefined ``ansible_env`` is left out (the facts that define
    it are not gathered yet), and so, while gathering facts, is one failing on
    ``ansible_facts.env``; any other error fails the task."""
    if not isinstance(layer, dict):
        return templar.template(layer)
    rendered: dict[Any, Any] = {}
    for key, value in layer.items():
        try:
            rendered[templar.template(key)] = templar.template(value)
        except CorralUndefinedVariable as exc:
            if "ansible_env" in exc.message or (gathering and "ansible_facts.env" in exc.message):
                continue
            raise
    return rendered
