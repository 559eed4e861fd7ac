"""Walking one host through a play: blocks, rescue/always, includes, handlers.

Each host gets a :class:`HostRun`, a generator that yields :class:`Step` objects
(the next task for this host, with a position key) and receives the outcome of each.
Position keys are tuples that sort in play order, so a strategy can run hosts in
lockstep (``linear``: always the smallest key first) or let each go its own pace
(``free``).
"""
from __future__ import annotations

import dataclasses
import fnmatch
from typing import Any, Callable, Generator, Iterable

from corral.executor.task_executor import INCLUDE
from corral.playbook.block import Block
from corral.playbook.task import Handler, Task

__all__ = ["Step", "Outcome", "HostRun", "MARKED_FAILED", "tags_allow", "starts_at"]

_OK, _FAILED, _STOP = "ok", "failed", "stop"
#: the outcome of a host that is failed by another host's fatal error (``any_errors_fatal``)
MARKED_FAILED = "marked_failed"


@dataclasses.dataclass
class Step:
    """Run ``task`` on the host; ``kind`` is ``task``, ``handler``, ``setup`` or ``meta``."""

    key: tuple
    task: Task
    kind: str = "task"


class IncludeFailed(Exception):
    """Raised by ``load_include`` when a dynamic include cannot load for the host (a
    file or role not found, a removed action in it): the include task fails for that
    host, as a task failure (rescue-able, never ignored).  The failure is already
    reported."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__(str(result.get("msg", "")))
        self.result = result


@dataclasses.dataclass
class Outcome:
    """What became of a step: ``status`` is ``ok`` (also skipped or ignored),
    ``failed``, ``unreachable``, ``end_host``, ``end_play`` or ``marked_failed`` (the host
    did not fail, another host's fatal error fails it here: it goes on to the enclosing
    ``rescue``/``always`` sections as after a failure, with no failed task to record);
    ``result`` the dict."""

    status: str
    result: dict[str, Any] = dataclasses.field(default_factory=dict)


def tags_allow(tags: set[str], only: set[str], skip: set[str]) -> bool:
    """Ansible's tag selection for a task with ``tags`` under ``--tags only`` and
    ``--skip-tags skip`` (``always``, ``never``, ``tagged``, ``untagged``, ``all``)."""
    if only and "all" not in only:
        selected = bool(tags & only) or ("always" in tags and "always" not in skip) \
            or ("tagged" in only and bool(tags - {"always", "never"} or tags)) \
            or ("untagged" in only and not tags)
        if "never" in tags and not (tags & (only - {"always"})):
            selected = False
    else:
        selected = "never" not in tags or bool(tags & only - {"all"})
    if selected and skip:
        if tags & skip or ("tagged" in skip and tags) or ("untagged" in skip and not tags):
            selected = "always" in tags and "always" not in skip and not (tags & skip - {"always"})
    return selected


def starts_at(task: Task, pattern: str) -> bool:
    """Whether ``--start-at-task pattern`` names ``task``, as ansible-core matches it:
    the task's name as written equals the pattern or matches it as a glob, or the
    title callbacks show (``role : name``, the action of an unnamed task) matches it."""
    name = task._attrs.get("name")
    if isinstance(name, str) and name and (name == pattern or fnmatch.fnmatchcase(name, pattern)):
        return True
    return fnmatch.fnmatchcase(task.get_name(), pattern)


class HostRun:
    """One host's way through a play.

    ``load_include(task, outcome)`` returns the items of a dynamic include for this
    host; ``on_rescue(host, task, result)`` records ``ansible_failed_task``/
    ``ansible_failed_result`` before a rescue section runs.

    ``start_at`` (``--start-at-task``) skips every task before the first whose name
    matches it (:func:`starts_at`; tasks of dynamic includes cannot match, as they are
    not loaded yet); the fact gathering still runs first.  When no task of the play
    matches, the host has no step at all (``start_found`` is False).
    """

    def __init__(self, host: Any, play: Any, *, gather: Task | None, only_tags: set[str], skip_tags: set[str],
                 load_include: Callable[[Any, Task, Outcome], list[Any]],
                 on_rescue: Callable[[Any, Task, dict[str, Any]], None],
                 force_handlers: bool = False, start_at: str | None = None) -> None:
        self.host = host
        self.play = play
        self.notified: list[Handler] = []
        self.failed = False
        self.unreachable = False
        self.ended = False
        self._gather = gather
        self._only = only_tags
        self._skip = skip_tags
        self._load_include = load_include
        self._on_rescue = on_rescue
        self._force_handlers = force_handlers
        self._rescue_depth = 0
        #: > 0 while the tasks of a handler's include run: they run as handlers
        self._handler_depth = 0
        self._last_failed: tuple[Task, dict[str, Any]] | None = None
        #: the ``--start-at-task`` pattern while the host is still looking for its task
        self._seeking = start_at
        self.start_found = start_at is None or any(
            starts_at(task, start_at) for task in self._static_tasks(block for _, block in play.sections))
        #: set by ``clear_errors``: the failure an enclosing ``always`` runs after is forgotten
        self._errors_cleared = False
        self._gen = self._walk()
        self.next: Step | None = None
        self._advance(None)

    # -- driving ------------------------------------------------------------------------

    def _advance(self, outcome: Outcome | None) -> None:
        try:
            self.next = self._gen.send(outcome) if outcome is not None else next(self._gen)
        except StopIteration:
            self.next = None

    def send(self, outcome: Outcome) -> None:
        """Report the outcome of ``self.next`` and move to the following step."""
        self._advance(outcome)

    @property
    def done(self) -> bool:
        """No step left, or the host is unreachable (then it waits at its next step
        for a ``meta: clear_host_errors``)."""
        return self.next is None or self.unreachable

    def clear_errors(self) -> None:
        """``meta: clear_host_errors``: an unreachable host goes on from the step it
        waits at, as in ansible-core (a failed host does not); a host running the
        ``always`` of a block that failed has that failure forgotten: it goes on
        after the block."""
        self.unreachable = False
        self._errors_cleared = True

    @property
    def next_step(self) -> Step:
        """The step this host is at; only for a host that is not ``done``."""
        if self.next is None:
            raise RuntimeError(f"the run of {self.host.name} is done: it has no next step")
        return self.next

    def would_rescue(self) -> bool:
        """Whether a failure now would be handled by an enclosing ``rescue``."""
        return self._rescue_depth > 0

    def notify(self, handler: Handler) -> bool:
        """Mark ``handler`` to run at the next flush; False if it already is."""
        if any(h is handler for h in self.notified):
            return False
        self.notified.append(handler)
        return True

    def mark_failed(self) -> None:
        """Fail this host where it stands, without running its next step (another
        host's fatal error): it goes on with the enclosing ``rescue``/``always``
        sections, as Ansible's iterator does for a host marked failed."""
        if self.next is not None:
            self._advance(Outcome(MARKED_FAILED))

    def stop(self) -> None:
        """End this host's run now (end_play, max_fail_percentage)."""
        self._gen.close()
        self.next = None
        self.ended = True

    # -- the walk --------------------------------------------------------------------------

    def _static_tasks(self, items: Iterable[Any]) -> Iterable[Task]:
        """The tasks of ``items`` this host would meet, in order, without running any:
        blocks' sections opened, tasks the tags leave out skipped, dynamic includes not followed."""
        for item in items:
            if isinstance(item, Block):
                yield from self._static_tasks([*item.block, *item.rescue, *item.always])
            elif tags_allow(item.all_tags(), self._only, self._skip):
                yield item

    def _walk(self) -> Generator[Step, Outcome, None]:
        if not self.start_found:
            return
        if self._gather is not None:
            outcome = yield Step((-1,), self._gather, "setup")
            if outcome.status != _OK:
                self._mark(outcome)
                return
        for index, (_, block) in enumerate(self.play.sections):
            state = yield from self._items(block.block, (index, 0))
            if state == _STOP:
                return
            if state == _FAILED:
                if self._force_handlers:
                    yield from self._flush((index, 1))
                return
            state = yield from self._flush((index, 1))
            if state != _OK:
                return

    def _mark(self, outcome: Outcome) -> None:
        if outcome.status == "unreachable":
            self.unreachable = True
        elif outcome.status in ("failed", MARKED_FAILED):
            self.failed = True
        elif outcome.status in ("end_host", "end_play"):
            self.ended = True

    def _items(self, items: Iterable[Any], prefix: tuple) -> Generator[Step, Outcome, str]:
        for index, item in enumerate(items):
            key = prefix + (index,)
            if isinstance(item, Block):
                state = yield from self._block(item, key)
            else:
                state = yield from self._task(item, key)
            if state != _OK:
                return state
        return _OK

    def _block(self, block: Block, key: tuple) -> Generator[Step, Outcome, str]:
        if block.rescue:
            self._rescue_depth += 1
        try:
            state = yield from self._items(block.block, key + (0,))
        finally:
            if block.rescue:
                self._rescue_depth -= 1
        if state == _FAILED and block.rescue:
            self.failed = False
            if self._last_failed is not None:
                self._on_rescue(self.host, *self._last_failed)
            state = yield from self._items(block.rescue, key + (1,))
        if state != _STOP and block.always:
            was_failed = self.failed
            self.failed = False
            self._errors_cleared = False
            always_state = yield from self._items(block.always, key + (2,))
            if self._errors_cleared and state == _FAILED:
                was_failed, state = False, _OK
            self.failed = was_failed or always_state == _FAILED
            if always_state != _OK:
                state = always_state
        return state

    def _task(self, task: Task, key: tuple) -> Generator[Step, Outcome, str]:
        if not tags_allow(task.all_tags(), self._only, self._skip):
            return _OK
        if self._seeking is not None:
            if not starts_at(task, self._seeking):
                return _OK
            self._seeking = None
        if task.action == "meta":
            what = str(task.args.get("_raw_params", "")).strip()
            outcome = yield Step(key, task, "meta")
            if what == "flush_handlers" and outcome.status == _OK and not outcome.result.get("skipped"):
                return (yield from self._flush(key + (1,)))
        else:
            as_handler = isinstance(task, Handler) or self._handler_depth > 0
            outcome = yield Step(key, task, "handler" if as_handler else "task")
        if outcome.status == "unreachable":
            self._mark(outcome)     # ``done`` while unreachable: it waits at its next step
            return _OK
        if outcome.status in ("end_host", "end_play"):
            self._mark(outcome)
            return _STOP
        if outcome.status in ("failed", MARKED_FAILED):
            self.failed = True
            self._last_failed = (task, outcome.result) if outcome.status == "failed" else None
            return _FAILED
        if task.is_include and (INCLUDE in outcome.result or "results" in outcome.result):
            try:
                items = self._load_include(self.host, task, outcome)
            except IncludeFailed:
                self.failed = True
                self._last_failed = None
                return _FAILED
            return (yield from self._items(items, key + (0,)))
        return _OK

    def _flush(self, prefix: tuple) -> Generator[Step, Outcome, str]:
        if not self.notified:
            return _OK
        for index, handler in enumerate(self.play.handlers):
            if not any(h is handler for h in self.notified):
                continue
            self.notified = [h for h in self.notified if h is not handler]
            outcome = yield Step(prefix + (index,), handler, "handler")
            if outcome.status in ("unreachable", "end_host", "end_play"):
                self._mark(outcome)
                return _STOP
            if outcome.status in ("failed", MARKED_FAILED):
                self.failed = True
                return _FAILED
            if handler.is_include and (INCLUDE in outcome.result or "results" in outcome.result):
                # a handler that includes tasks runs them, as handlers, where it stands
                try:
                    items = self._load_include(self.host, handler, outcome)
                except IncludeFailed:
                    self.failed = True
                    return _FAILED
                self._handler_depth += 1
                try:
                    state = yield from self._items(items, prefix + (index, 0))
                finally:
                    self._handler_depth -= 1
                if state != _OK:
                    return state
        return _OK
