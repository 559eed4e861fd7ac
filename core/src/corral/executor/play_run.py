"""``PlayRun``: one batch of hosts going through one play.

Strategies decide the order of (host, task) steps; this class does everything else,
the same for every strategy: running a step on the host's lane, turning results into
callback events and PLAY RECAP counters, registering results, storing facts,
notifying handlers, ``meta`` tasks, ``run_once``, ``any_errors_fatal`` and
``max_fail_percentage``.  Callback events are sent from the strategy's thread only,
in the order results arrive.
"""
from __future__ import annotations

import dataclasses
import os
import queue
import re
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable, NoReturn, Protocol

from corral.config import boolean
from corral.display import Display, format_source_context
from corral.errors import CorralError, CorralInterrupted, CorralParserError, position_of
from corral.executor.play_iterator import MARKED_FAILED, HostRun, IncludeFailed, Outcome, Step
from corral.executor.task_executor import (INCLUDE, INCLUDE_ARGS, RunContext, TaskExecutor, result_status,
                                           task_no_log)
from corral.parsing.yaml_objects import AnsibleMapping
from corral.playbook.block import Block
from corral.playbook.play import (LoadContext, load_role, load_task_file, load_task_items, role_blocks,
                                  role_params_of_include)
from corral.playbook.task import Task
from corral.plugins.traits import FACTS_INCLUDED_VARIABLES, FACTS_VARIABLES
from corral.results import ERROR_CAUSE, ERROR_SUMMARY, TaskResult
from corral.settings import RunSettings
from corral.stats import AggregateStats
from corral.template import Templar
from corral.vars.restricted import remove_restricted_facts
from corral.utils.unsafe import wrap_unsafe

if TYPE_CHECKING:
    from corral.inventory.manager import InventoryManager
    from corral.vars.manager import VariableManager

__all__ = ["PlayRun", "PlayRunOwner"]

#: steps of one task submitted per fork at once (see :meth:`PlayRun.in_flight_limit`)
IN_FLIGHT_PER_FORK = 4

#: what the lanes report to the strategy's thread: (kind, run, step, result, item status)
_Event = tuple[str, HostRun | None, Step | None, dict[str, Any] | None, str]


def _clean_for_register(result: dict[str, Any]) -> dict[str, Any]:
    """A result as a variable sees it: no internal keys; each loop item's result says
    whether it ``failed``, as in Ansible."""
    cleaned = {k: v for k, v in result.items() if not k.startswith("_ansible")}
    if "results" in cleaned and isinstance(cleaned["results"], list):
        cleaned["results"] = [{"failed": False, **_clean_for_register(r)} if isinstance(r, dict) else r
                              for r in cleaned["results"]]
    return cleaned


class PlayRunOwner(Protocol):
    """What a :class:`PlayRun` uses of the run it belongs to (the
    :class:`corral.executor.task_queue_manager.TaskQueueManager`), and nothing more."""

    settings: RunSettings
    inventory: InventoryManager
    variable_manager: VariableManager
    stats: AggregateStats
    #: hosts that failed or were unreachable for the rest of the run
    failed_hosts: set[str]
    unreachable_hosts: set[str]
    #: set to end the playbook after this play (``max_fail_percentage``, every host failed)
    break_play: bool
    #: where the engine's own verbose lines go (``META: ...`` at -vv); ``--step`` asks on it
    display: Display
    #: ``--start-at-task`` found its task in an earlier play or batch: later ones run whole
    start_at_done: bool

    @property
    def cancelled(self) -> bool: ...

    def send_callback(self, method_name: str, *args: Any, **kwargs: Any) -> None: ...

    def warn(self, message: str) -> None: ...

    def submit_to_lane(self, host: str, work: Callable[[], None]) -> None: ...

    def executor_add_hosts(self, names: list[str]) -> None: ...

    def reset_connection(self, host: str) -> None: ...


class PlayRun:
    """A play on a batch of hosts, run within ``run`` with its task context ``ctx``;
    the :class:`corral.plugins.strategy.StrategyContext` strategies drive."""

    def __init__(self, run: PlayRunOwner, ctx: RunContext, play: Any, hosts: list[Any],
                 gather: Collection[str]) -> None:
        """``gather`` names the hosts that start with the implicit fact gathering."""
        self._run = run
        self.play = play
        self._events: queue.SimpleQueue[_Event] = queue.SimpleQueue()
        self._ctx = ctx
        gather_task = self._gather_task() if gather else None
        settings = run.settings
        force_handlers = boolean(play.force_handlers) if play.force_handlers is not None \
            else settings.force_handlers
        start_at = settings.start_at_task if not run.start_at_done else None
        self.runs: list[HostRun] = [
            HostRun(host, play, gather=gather_task if host.name in gather else None, only_tags=set(settings.only_tags),
                    skip_tags=set(settings.skip_tags), load_include=self._load_include, on_rescue=self._on_rescue,
                    force_handlers=force_handlers, start_at=start_at)
            for host in hosts]
        if start_at is not None and any(host_run.start_found for host_run in self.runs):
            run.start_at_done = True
        #: ``--step``: ask before each task, until answered ``c``ontinue (for this play's batch)
        self._stepping = settings.step
        self.batch_size = len(hosts)
        self.any_errors_fatal = boolean(play.any_errors_fatal) if play.any_errors_fatal is not None \
            else bool(ctx.config.get("any_errors_fatal"))
        self.max_fail_percentage = play.max_fail_percentage
        self.ended = False
        #: ``meta: end_play`` ran: the play's later serial batches do not run either
        self.play_ended = False
        self._failed_names: set[str] = set()
        #: the play's host names in its ``order``, and the last ``_host_state_vars`` with its key
        self._play_host_names: list[str] | None = None
        self._host_state: tuple[tuple[int, int, int], dict[str, Any]] | None = None
        #: (handler, host) notified and not yet announced: ansible-core 2.21 sends
        #: ``v2_playbook_on_notify`` when the handlers are about to run, host by host
        self._notified: list[tuple[Task, Any]] = []
        self._pending_includes: list[tuple[str, Any, dict[str, Any], Any]] = []
        #: set while the results of a step that failed a host fatally are applied
        self._fatal_step = False
        #: hosts failed at the step they have just run by another host's fatal error
        self._just_marked: set[str] = set()
        #: hosts whose dynamic include failed to load (a failure of the include task)
        self._include_failures: set[str] = set()
        self._include_cache: dict[tuple[str, str], tuple[list[Any], str, dict[str, Any]]] = {}
        self._load_ctx = LoadContext(ctx.loader, play._basedir, list(run.variable_manager.roles_path or []), {},
                                     ctx.plugins.action_traits, plugins=ctx.plugins)

    # -- the implicit fact gathering task -------------------------------------------------

    def _gather_task(self) -> Task:
        args: dict[str, Any] = {}
        if self.play.gather_subset is not None:
            args["gather_subset"] = self.play.gather_subset
        if self.play.gather_timeout is not None:
            args["gather_timeout"] = self.play.gather_timeout
        if self.play.fact_path is not None:
            args["fact_path"] = self.play.fact_path
        # defined where the play is, as in Ansible (its path is the play's file:line)
        data = AnsibleMapping({"name": "Gathering Facts", "setup": args})
        play_pos = self.play.ansible_pos
        if play_pos is not None:
            data.ansible_pos = play_pos
        task = Task.load(data, parent=self.play.sections[0][1], traits=self._ctx.plugins.action_traits)
        task.implicit = True
        return task

    # -- what strategies call ------------------------------------------------------------------

    @property
    def forks(self) -> int:
        """How many hosts the run may keep busy at once (``forks``)."""
        return int(self._run.settings.forks)

    def active(self) -> list[HostRun]:
        """Hosts that still have steps."""
        return [run for run in self.runs if not run.done]

    def announce(self, step: Step, run: HostRun | None = None) -> None:
        """Send the task-start event for ``step`` (the ``TASK [...]`` banner); the
        task's name is templated with the variables of ``run``'s host (the first
        host at the step), as Ansible does."""
        if step.kind != "meta":
            self._template_name(step.task, run)
        if step.kind == "handler":
            self._announce_notified()
            self._run.send_callback("v2_playbook_on_handler_task_start", step.task)
        elif step.kind != "meta":
            self._run.send_callback("v2_playbook_on_task_start", step.task, is_conditional=False)

    def take_step(self, step: Step, run: HostRun | None = None) -> bool:
        """``--step``: whether to run ``step``'s task.  Asks on the terminal
        ``Perform task: TASK: name (N)o/(y)es/(c)ontinue:`` (with ``on host`` when
        ``run`` is given), then shows the question as a banner, as ansible-core does;
        ``y`` runs it, ``c`` runs it and every later task of the play's batch without
        asking, anything else skips it.  Always True without ``--step`` and for meta tasks."""
        if not self._stepping or step.kind == "meta":
            return True
        message = f"Perform task: TASK: {step.task.get_name()} "
        if run is not None:
            message += f"on {run.host.name} "
        message += "(N)o/(y)es/(c)ontinue: "
        display = self._run.display
        answer = display.prompt(message).strip().lower()
        display.banner(message)
        if answer in ("c", "continue"):
            self._stepping = False
            return True
        return answer in ("y", "yes")

    def skip_step(self, pairs: list[tuple[HostRun, Step]]) -> None:
        """Move each host past its step without running it (a task declined at ``--step``):
        no result, no event, nothing counted."""
        for run, step in pairs:
            if not run.done and run.next is step:
                run.send(Outcome("ok", {}))

    def _template_name(self, task: Task, run: HostRun | None) -> None:
        name = task._attrs.get("name")
        if not isinstance(name, str) or "{" not in name:
            return
        host = run.host if run is not None else (self.runs[0].host if self.runs else None)
        templar = Templar(self._ctx.loader, self._variables(host, task) if host is not None else {},
                          environment=self._ctx.template_env)
        try:
            task.display_name = str(templar.template(name))
        except CorralError as exc:
            task.display_name = _error_marker(name, templar, exc)

    def run_steps(self, pairs: list[tuple[HostRun, Step]]) -> None:
        """Run each host's step concurrently (on the hosts' lanes), report results
        as they arrive, and advance each host.  A ``run_once`` task, or one whose
        action bypasses the host loop (its ``bypass_host_loop`` trait), runs for the
        first host only."""
        if not pairs:
            return
        task = pairs[0][1].task
        if pairs[0][1].kind == "meta":
            self._run_metas(pairs)
            return
        if task.get("run_once") and boolean(task.get("run_once")):
            first, rest = pairs[0], pairs[1:]
            self.submit(*first)
            _, outcome_result = self.wait_one()
            for run, step in rest:
                if not run.done and run.next is step:
                    self._apply_silently(run, step, dict(outcome_result))
            return
        if task.traits.bypass_host_loop:
            # as in Ansible: the first host runs it; the others go on with no result at all
            self.submit(*pairs[0])
            self.wait_one()
            for run, step in pairs[1:]:
                if not run.done and run.next is step:
                    run.send(Outcome("ok", {}))
            return
        limit = self.in_flight_limit(self.throttle(pairs[0][1], pairs[0][0]))
        if not self.errors_fatal(task, pairs[0][0]):
            self._run_throttled(pairs, limit, self.wait_one)
            return
        # any_errors_fatal: once all hosts have answered, if one failed (or was
        # unreachable), every other host of the batch is failed where it stands
        done: list[tuple[HostRun, Step, dict[str, Any]]] = []
        self._run_throttled(pairs, limit, lambda: done.append(self._next_finished()))
        failing = {run.host.name for run, step, result in done
                   if result_status(result) in ("failed", "unreachable")
                   and not self._ignore_errors(step.task, run.host)
                   and not (result_status(result) == "unreachable" and boolean(task.get("ignore_unreachable") or False))}
        self._fatal_step = bool(failing)
        self._include_failures = set()
        try:
            for run, step, result in done:
                self._apply_result(run, step, result)
        finally:
            self._fatal_step = False
        failing |= self._include_failures
        if failing:
            self._fail_others(failing)

    def errors_fatal(self, task: Task, run: HostRun) -> bool:
        """Whether a failure of ``task`` fails every host of the batch
        (``any_errors_fatal`` of the task, inherited from its blocks and the play, else
        the configuration), templated with ``run``'s host variables."""
        value = task.get("any_errors_fatal")
        if value is None:
            return self.any_errors_fatal
        if isinstance(value, str) and "{" in value:
            value = Templar(self._ctx.loader, self._variables(run.host, task),
                            environment=self._ctx.template_env).template(value)
        return boolean(value)

    def _fail_others(self, failing: set[str]) -> None:
        """``any_errors_fatal``: every host of the batch but ``failing`` counts as
        failed for the rest of the run (even when a ``rescue`` later recovers it, as in
        Ansible); one that has not just run the task is failed at its next step."""
        for run in self.runs:
            name = run.host.name
            if name in failing or name in self._run.unreachable_hosts:
                continue
            self._run.failed_hosts.add(name)
            if not run.done and name not in self._just_marked:
                run.mark_failed()
        self._just_marked = set()
        self._run.variable_manager.remove_play_hosts(
            self.play, [r.host.name for r in self.runs if r.host.name in self._run.failed_hosts])

    def _run_throttled(self, pairs: list[tuple[HostRun, Step]], limit: int, collect: Callable[[], Any]) -> None:
        """Submit every pair with at most ``limit`` in flight (no limit when 0): once
        ``limit`` are running, ``collect`` one finished step before the next starts;
        then collect the rest."""
        in_flight = 0
        for run, step in pairs:
            if limit and in_flight >= limit:
                collect()
                in_flight -= 1
            self.submit(run, step)
            in_flight += 1
        for _ in range(in_flight):
            collect()

    def in_flight_limit(self, throttle: int) -> int:
        """How many hosts' steps of one task are submitted at once: ``throttle`` when
        set (0: none), at most :data:`IN_FLIGHT_PER_FORK` per fork.  Enough to keep every
        lane busy, while a task on thousands of hosts does not build every host's
        variables (and hold them in the lanes' queues) before the first one runs."""
        bound = IN_FLIGHT_PER_FORK * max(self.forks, 1)
        return min(throttle, bound) if throttle else bound

    def throttle(self, step: Step, run: HostRun | None = None) -> int:
        """How many hosts may run ``step``'s task at once: its ``throttle`` keyword (or
        its blocks'), templated with ``run``'s host variables; 0 for no limit.  A
        value that is no integer ends the play, as in Ansible."""
        value = step.task.get("throttle")
        if value is None or value == "":
            return 0
        if isinstance(value, str) and "{" in value:
            host = run.host if run is not None else (self.runs[0].host if self.runs else None)
            templar = Templar(self._ctx.loader, self._variables(host, step.task) if host is not None else {},
                              environment=self._ctx.template_env)
            value = templar.template(value)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError) as exc:
            written = step.task._attrs.get("throttle")
            raise CorralError(f"Failed to convert the throttle value to an integer: {exc}",
                              obj=written if position_of(written) else step.task._ds) from None

    def wake(self) -> None:
        """Make ``wait_one`` raise :class:`CorralInterrupted` (the run was cancelled);
        callable from any thread."""
        self._events.put(("cancel", None, None, None, ""))

    def submit(self, run: HostRun, step: Step) -> None:
        """Start ``step`` for ``run`` on its lane; ``wait_one`` collects it."""
        if self._run.cancelled:
            raise CorralInterrupted("The run was interrupted.")
        self._run.send_callback("v2_runner_on_start", run.host, step.task)
        variables = self._variables(run.host, step.task)

        executor: list[TaskExecutor] = []

        def ran() -> Step:
            """The step as it ran: with its module name resolved when that is a template
            (callbacks and results see the action that ran, as in Ansible)."""
            task = executor[0].task if executor else step.task
            return step if task is step.task else dataclasses.replace(step, task=task)

        def on_item(result: dict[str, Any], status: str) -> None:
            self._events.put(("item", run, ran(), result, status))

        def on_retry(result: dict[str, Any]) -> None:
            self._events.put(("retry", run, ran(), result, ""))

        def on_async(event: str, result: dict[str, Any]) -> None:
            self._events.put(("async", run, ran(), result, event))

        def work() -> None:
            try:
                executor.append(TaskExecutor(run.host, step.task, variables, self._ctx, on_item, on_retry,
                                             on_async))
                result = executor[0].run()
            except Exception as exc:  # noqa: BLE001 - reported as the task's failure, never lost
                result = {"failed": True, "changed": False,
                          "msg": f"Unexpected failure during task execution: {type(exc).__name__}: {exc}",
                          "exception": repr(exc)}
                templar = Templar(self._ctx.loader, variables, environment=self._ctx.template_env)
                if task_no_log(step.task, templar, self._ctx.config):
                    result["_ansible_no_log"] = True
            self._events.put(("done", run, ran(), result, ""))

        self._run.submit_to_lane(self._lane_host(run, step), work)

    def _lane_host(self, run: HostRun, step: Step) -> str:
        return run.host.name

    def wait_one(self) -> tuple[HostRun, dict[str, Any]]:
        """Process events until one step finishes; apply its result and return
        ``(run, result)``."""
        run, step, result = self._next_finished()
        self._apply_result(run, step, result)
        return run, result

    def _next_finished(self) -> tuple[HostRun, Step, dict[str, Any]]:
        """Process item and retry events until one step finishes; return it unapplied."""
        while True:
            kind, run, step, result, status = self._events.get()
            if kind == "cancel" or self._run.cancelled:
                raise CorralInterrupted("The run was interrupted.")
            assert run is not None and step is not None and result is not None
            if kind == "item":
                self._item_event(run, step, result, status)
            elif kind == "retry":
                self._run.send_callback("v2_runner_retry", TaskResult(run.host, step.task, result))
            elif kind == "async":
                self._run.send_callback(f"v2_runner_on_{status}", TaskResult(run.host, step.task, result))
            else:
                return run, step, result

    # -- results --------------------------------------------------------------------------------

    def _item_event(self, run: HostRun, step: Step, result: dict[str, Any], status: str) -> None:
        if status == "ok" and step.task.traits.changes_inventory and "add_host" in result:
            # applied as each item comes: a later item adding the same host changes nothing
            changed = self._add_host(result["add_host"])
            if step.task._attrs.get("changed_when") is None:    # a changed_when decides on its own
                result["changed"] = changed
        event = {"ok": "v2_runner_item_on_ok", "failed": "v2_runner_item_on_failed",
                 "skipped": "v2_runner_item_on_skipped"}[status]
        self._run.send_callback(event, TaskResult(run.host, step.task, result))

    def _ignore_errors(self, task: Task, host: Any) -> bool:
        value = task.get("ignore_errors")
        if value is None:
            return False
        if isinstance(value, str) and "{" in value:
            value = Templar(self._ctx.loader, self._variables(host, task),
                            environment=self._ctx.template_env).template(value)
        return boolean(value)

    def _apply_result(self, run: HostRun, step: Step, result: dict[str, Any], announce: bool = True) -> None:
        task, host = step.task, run.host
        stats = self._run.stats
        status = result_status(result)
        task_result = TaskResult(host, task, result)
        outcome = "ok"
        if status == "unreachable":
            if boolean(task.get("ignore_unreachable") or False):
                stats.increment("ok", host.name)
                stats.increment("ignored", host.name)
                self._run.send_callback("v2_runner_on_unreachable", task_result)
                status = "ignored_unreachable"
            else:
                stats.increment("dark", host.name)
                self._run.unreachable_hosts.add(host.name)
                self._run.send_callback("v2_runner_on_unreachable", task_result)
                outcome = "unreachable"
        if status == "failed":
            ignore = self._ignore_errors(task, host)
            if ignore:
                if result.get("changed"):
                    stats.increment("changed", host.name)
                stats.increment("ok", host.name)
                stats.increment("ignored", host.name)
            elif run.would_rescue():
                stats.increment("rescued", host.name)
                outcome = "failed"
            else:
                stats.increment("failures", host.name)
                outcome = "failed"
                self._failed_names.add(host.name)
            self._run.send_callback("v2_runner_on_failed", task_result, ignore_errors=ignore)
        elif status == "skipped":
            stats.increment("skipped", host.name)
            self._run.send_callback("v2_runner_on_skipped", task_result)
        elif status == "ok" and outcome == "ok":
            stats.increment("ok", host.name)
            if task.is_include and isinstance(result.get("results"), list):
                for _ in result["results"][1:]:
                    stats.increment("ok", host.name)
            self._side_effects(run, task, result)      # first: applying add_host tells whether it changed
            if result.get("changed"):
                stats.increment("changed", host.name)
            if result.get("diff") and self._diff_enabled(task, host):
                self._run.send_callback("v2_on_file_diff", task_result)
            self._run.send_callback("v2_runner_on_ok", task_result)
        register = task._attrs.get("register")
        if register and outcome != "unreachable":
            name = str(register)
            registered = _clean_for_register(result)
            registered.setdefault("failed", False)
            self._run.variable_manager.set_host_variable(host, name, registered)
        fatal = outcome == "failed" and not run.would_rescue()
        if self._fatal_step and outcome == "ok":
            # another host's fatal error fails this one at the task it has just run
            outcome = MARKED_FAILED
            self._just_marked.add(host.name)
        run.send(Outcome(outcome, result))
        if fatal:
            self._run.failed_hosts.add(host.name)

    def _diff_enabled(self, task: Task, host: Any) -> bool:
        value = task.get("diff")
        if value is None:
            return bool(self._ctx.settings.diff)
        if isinstance(value, str) and "{" in value:
            value = Templar(self._ctx.loader, self._variables(host, task),
                            environment=self._ctx.template_env).template(value)
        return boolean(value)

    def _apply_silently(self, run: HostRun, step: Step, result: dict[str, Any]) -> None:
        """Give a ``run_once`` result to another host of the batch: its variables
        and facts change, nothing is shown or counted."""
        status = result_status(result)
        if status == "ok":
            self._side_effects(run, step.task, result, notify=False)
        register = step.task._attrs.get("register")
        if register:
            registered = _clean_for_register(result)
            registered.setdefault("failed", False)
            self._run.variable_manager.set_host_variable(run.host, str(register), registered)
        outcome = "failed" if status == "failed" and not self._ignore_errors(step.task, run.host) else "ok"
        fatal = outcome == "failed" and not run.would_rescue()
        if self._fatal_step and outcome == "ok":
            outcome = MARKED_FAILED
            self._just_marked.add(run.host.name)
        run.send(Outcome(outcome, result))
        if fatal:
            self._failed_names.add(run.host.name)
            self._run.failed_hosts.add(run.host.name)

    def _side_effects(self, run: HostRun, task: Task, result: dict[str, Any], notify: bool = True) -> None:
        if isinstance(result.get("results"), list):
            for item in result["results"]:
                if isinstance(item, dict) and not item.get("failed") and not item.get("skipped"):
                    self._side_effects(run, task, {**item, "changed": False}, notify=False)
        vm = self._run.variable_manager
        host = run.host
        _record_custom_stats(self._run.stats, host.name, result.get("ansible_stats"))
        facts = result.get("ansible_facts")
        if isinstance(facts, dict) and facts:
            target = host
            if task.get("delegate_to") and boolean(task.get("delegate_facts") or False):
                name = str(Templar(self._ctx.loader, self._variables(host, task),
                                   environment=self._ctx.template_env).template(task.get("delegate_to")))
                target = self._run.inventory.get_host(name) or host
            if task.traits.facts == FACTS_VARIABLES:
                vm.set_nonpersistent_facts(target, facts)
                if result.get("_ansible_facts_cacheable"):
                    vm.set_host_facts(target, facts)
            elif task.traits.facts == FACTS_INCLUDED_VARIABLES:
                vm.add_include_vars(target, facts)
            else:
                plugins = self._ctx.plugins
                allowed = remove_restricted_facts(facts, self._run.warn,
                                                  plugins.names("connection") + plugins.names("become"))
                vm.set_host_facts(target, facts, hidden=[key for key in facts if key not in allowed])
        # only actions that declare it change the inventory: the same keys in a module's result are host data
        if task.traits.changes_inventory:
            decides = task._attrs.get("changed_when") is None    # else a changed_when decides on its own
            if "add_host" in result:
                changed = self._add_host(result["add_host"])
                if decides:
                    result["changed"] = changed
            elif decides and isinstance(result.get("results"), list) \
                    and any("add_host" in item for item in result["results"] if isinstance(item, dict)):
                result["changed"] = any(item.get("changed") for item in result["results"] if isinstance(item, dict))
            if "add_group" in result:
                self._group_by(host, result)
        if task.implicit and task.traits.gathers_facts and isinstance(facts, dict):
            # as ansible-core's gather_facts action (the ``gather_facts`` task marks its own result)
            vm.set_host_facts(host, {"_ansible_facts_gathered": True})
        if notify and result.get("changed") and task.get("notify"):
            self._notify(run, task)

    def _add_host(self, spec: dict[str, Any], replay: bool = False) -> bool:
        """Apply an ``add_host`` result; whether it changed the inventory (a new host,
        a new group for it, a variable it did not have with that value), as Ansible
        reports it.  The change is kept across ``meta: refresh_inventory`` (applied
        again after the sources are read), as in Ansible."""
        inventory = self._run.inventory
        if not replay:
            inventory.keep_after_refresh(lambda: self._add_host(spec, replay=True))
        name = spec["host_name"]
        changed = inventory.get_host(name) is None
        inventory.add_host(name, group="all")
        host = inventory.get_host(name)
        if host is None:
            raise CorralError(f"add_host: the host '{name}' could not be added to the inventory")
        for group in spec.get("groups") or []:
            added = inventory.add_group(group)     # the name as kept (invalid characters may be replaced)
            changed = changed or added not in {g.name for g in host.get_groups()}
            inventory.add_child(added, name)
        missing = object()
        for key, value in (spec.get("host_vars") or {}).items():
            changed = changed or host.vars.get(key, missing) != value
            host.set_variable(key, value)
        inventory.reconcile_inventory()     # a host given no group is in ``ungrouped``
        self._run.variable_manager.clear_play_cache()
        self._run.executor_add_hosts([name])
        return changed

    def _group_by(self, host: Any, result: dict[str, Any], replay: bool = False) -> None:
        """Apply a ``group_by`` result for ``host``; kept across ``meta:
        refresh_inventory`` for a host the refreshed sources still have."""
        inventory = self._run.inventory
        if not replay:
            name = host.name
            inventory.keep_after_refresh(
                lambda: self._group_by(inventory.get_host(name), result, replay=True)
                if inventory.get_host(name) is not None else None)
        parents = result.get("parent_groups") or ["all"]
        group = inventory.add_group(result["add_group"])
        for parent in parents:
            if parent != "all":
                inventory.add_child(inventory.add_group(parent), group)
        inventory.add_child(group, host.name)
        inventory.reconcile_inventory()     # a host put in a group leaves ``ungrouped``
        self._run.variable_manager.clear_play_cache()

    def _notify(self, run: HostRun, task: Task) -> None:
        names = task.get("notify")
        names = [names] if isinstance(names, str) else list(names or [])
        templar = None
        for name in names:
            name = str(name)
            if "{" in name:
                templar = templar or Templar(self._ctx.loader, self._variables(run.host, task),
                                             environment=self._ctx.template_env)
                name = str(templar.template(name))
            found = _handlers_answering(self.play.handlers, name)
            if not found:
                raise CorralError(f"The requested handler '{name}' was not found in either the main "
                                        f"handlers list nor in the listening handlers list", obj=task._ds)
            for handler in found:
                if run.notify(handler):
                    self._notified.append((handler, run.host))

    def _announce_notified(self) -> None:
        """Send the notifications made since the last handlers ran, grouped by host
        in the play's host order; a host that failed since (its handlers will not run,
        without ``force_handlers``) is not announced, as in ansible-core."""
        order = {id(run.host): index for index, run in enumerate(self.runs)}
        dropped = {id(run.host) for run in self.runs
                   if (run.failed or run.unreachable) and not run._force_handlers}
        for handler, host in sorted(self._notified, key=lambda pair: order.get(id(pair[1]), len(order))):
            if id(host) not in dropped:
                self._run.send_callback("v2_playbook_on_notify", handler, host)
        self._notified = []

    def _on_rescue(self, host: Any, task: Task, result: dict[str, Any]) -> None:
        self._run.variable_manager.set_nonpersistent_facts(host, {
            "ansible_failed_task": {"name": str(task._attrs.get("name") or ""), "action": task.action, "args": task.args,
                                    "uuid": task._uuid},
            "ansible_failed_result": _clean_for_register(result)}, unsafe=True)

    # -- variables and includes ----------------------------------------------------------------

    def _variables(self, host: Any, task: Task) -> Any:
        include_params = getattr(task, "_include_params", None)
        layers = (include_params,) if include_params else ()
        variables = self._run.variable_manager.get_vars(self.play, host, task, extra_layers=layers)
        # as ansible-core's task variables (not host variables): above every other layer
        variables.maps[0].update(self._host_state_vars())
        return variables

    def _host_state_vars(self) -> dict[str, Any]:
        """``ansible_failed_hosts`` (the play's hosts that failed in this batch, not
        rescued) and ``ansible_current_hosts`` (the play's hosts, in its ``order``,
        but those and the run's unreachable ones), recomputed only when a host's
        state changed."""
        failed_names, unreachable = self._failed_names, self._run.unreachable_hosts
        key = (len(failed_names), len(self._run.failed_hosts), len(unreachable))
        if self._host_state is None or self._host_state[0] != key:
            if self._play_host_names is None:
                order = self.play.order or None
                self._play_host_names = [h.name for h in self._run.inventory.get_hosts(self.play.host_pattern,
                                                                                        order=order)]
            failed = [name for name in self._play_host_names
                      if name in failed_names and name in self._run.failed_hosts]
            current = [name for name in self._play_host_names if name not in unreachable and name not in failed]
            self._host_state = (key, {"ansible_failed_hosts": wrap_unsafe(failed),
                                      "ansible_current_hosts": wrap_unsafe(current)})
        return self._host_state[1]

    def _load_include(self, host: Any, task: Task, outcome: Outcome) -> list[Any]:
        """The items a dynamic include adds for ``host``: one implicit block per
        included file (per loop item), under the include task's own parent."""
        result = outcome.result
        if "results" in result:
            entries = [r for r in result["results"] if isinstance(r, dict) and INCLUDE in r]
        else:
            entries = [result]
        items: list[Any] = []
        for entry in entries:
            # hosts that include the same file with the same parameters share its
            # tasks, so that they run them together (one banner, as Ansible does)
            key = (task._uuid, repr(sorted((k, repr(v)) for k, v in entry.items()
                                           if k in (INCLUDE, INCLUDE_ARGS) or not k.startswith("_ansible"))))
            cached = self._include_cache.get(key)
            if cached is None:
                cached = self._include_cache[key] = self._load_one_include(host, task, entry)
            else:
                self._pending_includes.append((cached[1], host, cached[2], task))
            items.extend(cached[0])
        return items

    def _include_failed(self, host: Any, task: Task, error: CorralError, result: dict[str, Any],
                        summary: str | None = None, origin: bool = True) -> NoReturn:
        """Report that an include could not load for ``host`` as ansible-core 2.21 does:
        the include's ``ok`` is taken back and the task fails there whatever its
        ``ignore_errors``, with ``summary`` (else the error at the position it names)
        shown, with the task's origin unless not ``origin``; raises :class:`IncludeFailed`.
        A ``rescue`` still runs, but the failure counts in the recap's ``failed``, sets no
        ``ansible_failed_result`` and the host stays failed for the rest of the run."""
        failure: dict[str, Any] = {"failed": True, "changed": False, "msg": error.message}
        if not origin:      # ansible-core names no place for it (a file that is not there)
            failure[ERROR_CAUSE] = []
        if summary is not None:
            failure[ERROR_SUMMARY] = summary
        elif error.position is not None:
            failure[ERROR_SUMMARY] = f"{error.message}\n{format_source_context(*error.position)}"
        if result.get("_ansible_no_log"):
            failure["_ansible_no_log"] = True
        stats = self._run.stats
        stats.decrement("ok", host.name)
        stats.increment("failures", host.name)
        self._include_failures.add(host.name)
        self._failed_names.add(host.name)
        self._run.failed_hosts.add(host.name)
        self._run.send_callback("v2_runner_on_failed", TaskResult(host, task, failure), ignore_errors=False)
        raise IncludeFailed(failure)

    def _load_one_include(self, host: Any, task: Task, result: dict[str, Any]
                          ) -> tuple[list[Any], str, dict[str, Any]]:
        target = result.get(INCLUDE)
        args = dict(result.get(INCLUDE_ARGS) or {})
        loop_vars = {k: result[k] for k in (result.get("ansible_loop_var"), result.get("ansible_index_var"))
                     if k and k in result}
        # the names of the loop and index variables too, as ansible-core gives them to included tasks
        loop_vars.update({k: result[k] for k in ("ansible_loop_var", "ansible_index_var") if k in result})
        if result.get("ansible_loop_var") and "ansible_loop" in result:
            loop_vars["ansible_loop"] = result["ansible_loop"]
        task_vars = dict(task._attrs.get("vars") or {})
        parent = Block.implicit_for(task._parent, role=task._role, ds=task._ds)
        if task.action == "include_role":
            name = args.pop("name", None) or args.pop("role", None) or target
            written = task.args.get("name") or task.args.get("role") or task._ds
            try:
                role = load_role(str(name), role_params_of_include({**task_vars, **loop_vars}, task), self._load_ctx,
                                 written, tasks_from=args.get("tasks_from"), vars_from=args.get("vars_from"),
                                 defaults_from=args.get("defaults_from"), handlers_from=args.get("handlers_from"),
                                 collections=task.collections)
                role.parent = task._role
                role.rolespec_validate = boolean(args.get("rolespec_validate", True))
                parent._role = role
                apply = args.get("apply")
                if isinstance(apply, dict):
                    parent._attrs.update({k: v for k, v in apply.items() if k in Block.KEYWORDS})
                items = role_blocks(role, parent, self._load_ctx)
                handlers = role_blocks(role, parent, self._load_ctx, handlers=True)
            except CorralParserError:
                raise
            except CorralError as exc:  # a role not found, a removed action in its tasks: the include fails
                self._include_failed(host, task, exc, result)
            self._add_handlers(handlers)
            if boolean(args.get("public", False)) and role not in self.play.roles:
                self.play.roles.append(role)
                self._run.variable_manager.clear_play_cache(self.play)
            self.play.note_included_role(role)
            shown = str(name)
        else:
            path = self._find_include(str(target), task)
            if path is None:
                base = os.path.dirname(task.ansible_pos[0]) if task.ansible_pos else self.play._basedir
                missing = str(target) if os.path.isabs(str(target)) else os.path.join(base, str(target))
                message = (f"Unable to retrieve file contents. Could not find or access '{missing}' on the Ansible "
                           f"Controller: [Errno 2] No such file or directory: '{missing}'")
                self._include_failed(host, task, CorralError(message), result, summary=(
                    f"{message} If you are using a module and expect the file to exist on the remote, "
                    f"see the remote_src option."), origin=False)
            params = {k: v for k, v in args.items() if k not in ("file", "apply", "_raw_params")}
            parent._attrs["vars"] = {**task_vars, **params, **loop_vars} or None
            apply = args.get("apply")
            if isinstance(apply, dict):
                parent._attrs.update({k: v for k, v in apply.items() if k in Block.KEYWORDS})
            try:
                items = load_task_items(load_task_file(path, self._load_ctx, task._ds), parent, self._load_ctx,
                                        task._role, os.path.dirname(path))
            except CorralParserError:
                raise
            except CorralError as exc:  # e.g. a removed action in the file: the include fails, as in Ansible
                self._include_failed(host, task, exc, result)
            shown = path
        label_vars = {k: v for k, v in result.items() if k in ("_ansible_item_label", "item")
                      or k == result.get("ansible_loop_var")}
        if "ansible_loop_var" in result:
            label_vars.setdefault("_ansible_item_label", result.get(result["ansible_loop_var"]))
            if result.get("_ansible_no_log"):
                label_vars["_ansible_no_log"] = True
        self._pending_includes.append((shown, host, label_vars, task))
        return items, shown, label_vars

    def flush_includes(self) -> None:
        """Send ``v2_playbook_on_include`` for the includes of the last task: one
        event per file (and loop item), naming every host that included it."""
        grouped: dict[tuple[str, str], _IncludedFile] = {}
        for shown, host, label_vars, task in self._pending_includes:
            key = (shown, repr(label_vars))
            if key in grouped:
                grouped[key]._hosts.append(host)
            else:
                # the item of a no_log include loop is grouped on, never shown
                grouped[key] = _IncludedFile(shown, [host], {"_ansible_no_log": True}
                                             if label_vars.get("_ansible_no_log") else label_vars, task)
        self._pending_includes = []
        order = {run.host.name: index for index, run in enumerate(self.runs)}
        for included in grouped.values():
            included._hosts.sort(key=lambda h: order.get(h.name, len(order)))
            self._run.send_callback("v2_playbook_on_include", included)

    def _add_handlers(self, items: Iterable[Any]) -> None:
        from corral.playbook.task import Handler
        for item in items:
            if isinstance(item, Block):
                self._add_handlers(item.block)
            elif isinstance(item, Handler) and item not in self.play.handlers:
                self.play.handlers.append(item)

    def _find_include(self, name: str, task: Task) -> str | None:
        candidates = [name] if os.path.isabs(name) else []
        if not candidates:
            if task._role is not None:
                candidates.append(os.path.join(task._role.path, "tasks", name))
            pos = task.ansible_pos
            if pos:
                candidates.append(os.path.join(os.path.dirname(pos[0]), name))
            candidates.append(os.path.join(self.play._basedir, name))
        for path in candidates:
            if os.path.isfile(path):
                return os.path.abspath(path)
        return None

    # -- meta ---------------------------------------------------------------------------------------

    def _run_metas(self, pairs: list[tuple[HostRun, Step]]) -> None:
        """Meta tasks: those that act on one host run (and show a banner) per host;
        the others run once, for the first host, and act on every host of the play."""
        task = pairs[0][1].task
        what = str(task.args.get("_raw_params", "")).strip()
        if what in _PER_HOST_META:
            for run, step in pairs:
                self._run.send_callback("v2_playbook_on_task_start", step.task, is_conditional=False)
                self._run_meta(run, step)
            return
        self._run.send_callback("v2_playbook_on_task_start", task, is_conditional=False)
        first_run, first_step = pairs[0]
        if not self._run_meta(first_run, first_step):
            for run, step in pairs[1:]:
                run.send(Outcome("ok", {"skipped": True}))
            return
        for run, step in pairs[1:]:
            if not run.done and run.next is step:
                run.send(Outcome("ok", {"changed": False}))

    def _run_meta(self, run: HostRun, step: Step) -> bool:
        """Run one meta task for ``run``'s host; False when its condition skipped it."""
        task = step.task
        what = str(task.args.get("_raw_params", "")).strip()
        variables = self._variables(run.host, task)
        templar = Templar(self._ctx.loader, variables, environment=self._ctx.template_env)
        try:
            if what in _META_WITHOUT_WHEN:
                if task.all_when():
                    self.warn(f"{what} task does not support when conditional")
                skip = False
            else:
                skip = not all(templar.evaluate_conditional(c) for c in task.all_when())
        except CorralError as exc:
            self._apply_result(run, step, {"failed": True, "msg": f"Task failed: A 'when' expression failed: "
                                                                  f"{exc.message}"})
            return False
        host_name = run.host.name
        if skip:
            if what in _META_SKIP_REASONS:
                reason = f"{what} conditional evaluated to False, {_META_SKIP_REASONS[what].format(host=host_name)}"
                # ansible-core's older message beside the reason: the action's name (end_host: a sentence)
                msg = reason.replace("evaluated to False", "evaluated to false", 1) if what == "end_host" else what
                result = {"changed": False, "skipped": True, "skip_reason": reason, "msg": msg}
                self._meta_says(task, reason)
            else:
                result = {"changed": False, "skipped": True, "skip_reason": "Conditional result was False",
                          "false_condition": task.all_when()[-1]}
            self._run.send_callback("v2_runner_on_skipped", TaskResult(run.host, task, result))
            run.send(Outcome("ok", result))
            return False
        vm, host = self._run.variable_manager, run.host
        said = _META_MESSAGES.get(what)
        if said is not None:
            self._meta_says(task, said.format(host=host_name))
        if what == "end_play":
            for other in self.runs:
                other.stop()
            self.ended = self.play_ended = True
            return True
        if what == "end_host":
            run.send(Outcome("end_host", {}))
            return True
        if what == "end_batch":
            for other in self.runs:
                other.stop()
            return True
        if what == "clear_facts":
            for other in self.runs:
                vm.clear_facts(other.host)
        elif what == "clear_host_errors":   # every host of the play, failed or unreachable
            for play_host in self._run.inventory.get_hosts(self.play.host_pattern):
                self._run.failed_hosts.discard(play_host.name)
                self._run.unreachable_hosts.discard(play_host.name)
            for other in self.runs:
                other.clear_errors()
        elif what == "reset_connection":
            self._run.reset_connection(host.name)
        elif what == "refresh_inventory":
            self._run.inventory.refresh_inventory()
            vm.clear_play_cache()
        elif what not in ("noop", "flush_handlers", "role_complete", "end_role"):
            raise CorralParserError(f"invalid meta action requested: {what}", obj=task._ds)
        run.send(Outcome("ok", {"changed": False}))
        return True

    def _meta_says(self, task: Task, message: str) -> None:
        """``META: <message>`` at ``-vv``, as ansible-core says what a meta task did (not
        for the meta tasks the engine adds itself)."""
        if not getattr(task, "implicit", False):
            self._run.display.vv(f"META: {message}")

    # -- failures across hosts ----------------------------------------------------------------------

    def warn(self, message: str) -> None:
        """Show a warning on the run's display (each distinct text once)."""
        self._run.warn(message)

    def after_task(self, *, across_hosts: bool = True) -> None:
        """Send the includes of the last task; then, with ``across_hosts``, apply
        ``max_fail_percentage`` (``any_errors_fatal`` is ``run_steps``')."""
        if self._pending_includes:
            self.flush_includes()
        # a host that failed or was unreachable leaves ansible_play_hosts for the rest of
        # the play, even when ``meta: clear_host_errors`` lets it into the next plays
        removed = self._failed_names | {r.host.name for r in self.runs if r.unreachable}
        if removed:
            self._run.variable_manager.remove_play_hosts(self.play, removed)
        failed = len(self._failed_names)
        if not failed or not across_hosts:
            return
        stop = False
        if self.max_fail_percentage is not None and self.batch_size \
                and (failed * 100.0 / self.batch_size) > float(self.max_fail_percentage):
            stop = True
            # Ansible announces this twice: once from the strategy, once from the play's batch loop
            self._run.send_callback("v2_playbook_on_no_hosts_remaining")
            self._run.send_callback("v2_playbook_on_no_hosts_remaining")
        if stop:
            for run in self.runs:
                if not run.done:
                    run.stop()
            self.ended = True
            self._run.break_play = True

    def all_failed(self) -> bool:
        """Whether every host of the batch failed or was unreachable (failed by
        ``any_errors_fatal`` counts, even when rescued)."""
        return all(run.failed or run.unreachable or run.host.name in self._run.failed_hosts for run in self.runs)

    def ended_failed(self) -> bool:
        """Whether a host of the batch ended the play failed (and still counts as failed)."""
        return any(run.failed and run.host.name in self._run.failed_hosts for run in self.runs)


def _handlers_answering(handlers: list[Any], name: str) -> list[Any]:
    """The handlers a notification of ``name`` runs, as ansible-core picks them: the
    first handler of that name (a role included twice defines its handlers twice),
    then those that listen to it, one per handler name."""
    named = [h for h in handlers if h._attrs.get("name") and name in h.topics() and not _listens(h, name)]
    found = named[:1]
    seen = {str(h._attrs["name"]) for h in found}
    for handler in handlers:
        if _listens(handler, name) and not any(handler is f for f in found):
            own = handler._attrs.get("name")
            if own and str(own) in seen:
                continue
            if own:
                seen.add(str(own))
            found.append(handler)
    return found


def _listens(handler: Any, name: str) -> bool:
    listen = handler._attrs.get("listen")
    return bool(listen) and name in ([listen] if isinstance(listen, str) else [str(x) for x in listen])


def _error_marker(name: str, templar: Templar, error: CorralError) -> str:
    """A name with each failing ``{{ expression }}`` replaced by Ansible's
    ``<< error 1 - message >>`` marker."""
    def render(match: re.Match) -> str:
        try:
            return str(templar.template(match.group(0)))
        except CorralError as exc:
            return f"<< error 1 - {exc.message} >>"
    return re.sub(r"\{\{.*?\}\}", render, name)


#: meta actions that run (and show their banner) host by host
_PER_HOST_META = frozenset({"noop", "flush_handlers", "end_host", "reset_connection", "role_complete", "end_role"})

#: what a meta task says it did (``META: ...`` at -vv), as ansible-core words it
_META_MESSAGES = {"noop": "noop", "refresh_inventory": "inventory successfully refreshed",
                  "flush_handlers": "triggered running handlers for {host}",
                  "clear_facts": "facts cleared", "clear_host_errors": "cleared host errors",
                  "end_batch": "ending batch", "end_play": "ending play", "end_host": "ending play for {host}",
                  "reset_connection": "reset connection"}
#: how ansible-core's skip reason of a meta task whose ``when`` is false goes on
_META_SKIP_REASONS = {"clear_facts": "not clearing facts and fact cache for {host}",
                      "flush_handlers": "not running handlers for {host}",
                      "clear_host_errors": "not clearing host error state for {host}",
                      "end_batch": "continuing current batch", "end_play": "continuing play",
                      "end_host": "continuing execution for {host}"}
#: meta tasks that take no ``when`` (ansible-core warns and runs them)
_META_WITHOUT_WHEN = frozenset({"noop", "refresh_inventory", "reset_connection"})


class _IncludedFile:
    """What ``v2_playbook_on_include`` receives, with Ansible's attributes: the file
    (or role) ``_filename``, the ``_hosts`` that included it, the loop item's
    ``_vars``, the include ``_task`` and its ``_args`` (those besides the file)."""

    def __init__(self, filename: str, hosts: list[Any], item_vars: dict[str, Any] | None = None,
                 task: Any = None) -> None:
        self._filename = filename
        self._hosts = hosts
        self._vars = item_vars or {}
        self._task = task
        args = getattr(task, "args", None) or {}
        self._args = {k: v for k, v in args.items() if k not in ("file", "name", "apply", "_raw_params")}

    def __str__(self) -> str:
        hosts = ", ".join(str(getattr(host, "name", host)) for host in self._hosts)
        return f"{self._filename} (args={self._args} vars={self._vars}): [{hosts}]"


def _record_custom_stats(stats: Any, host_name: str, request: Any) -> None:
    """Store what a ``set_stats`` result asks (``ansible_stats``: ``data``, for this host
    when ``per_host``, else for the run; merged into what is there when ``aggregate``)."""
    if not isinstance(request, dict) or not isinstance(request.get("data"), dict):
        return
    owner = host_name if request.get("per_host") else None
    store = stats.update_custom_stats if request.get("aggregate", True) else stats.set_custom_stats
    for key, value in request["data"].items():
        store(key, value, owner)
