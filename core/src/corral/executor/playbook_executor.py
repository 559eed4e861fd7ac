"""``PlaybookExecutor``: runs every play of one or more playbooks, then the recap."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from corral.config import boolean
from corral.errors import CorralError, CorralParserError
from corral.executor.task_queue_manager import TaskQueueManager
from corral.playbook.playbook import Playbook
from corral.template import Templar
from corral.plugins.traits import LANGUAGE_TRAITS

if TYPE_CHECKING:
    from corral.inventory.manager import InventoryManager
    from corral.parsing.dataloader import DataLoader
    from corral.playbook.play import Play
    from corral.plugins.manager import PluginManager
    from corral.vars.manager import VariableManager

__all__ = ["PlaybookExecutor", "validate_actions"]

#: the playbook language's keywords: the kernel runs them, no plugin provides them
_BUILTIN_ACTIONS = frozenset(LANGUAGE_TRAITS)


def validate_actions(plays: list[Play], plugins: PluginManager) -> None:
    """Fail before anything runs when a static task names a module or action that
    resolves nowhere (naming the task, its file and line, and the installed modules).
    A module name given as a template is resolved, and checked, on each host."""
    for play in plays:
        for task in play.static_tasks() + list(play.handlers):
            if task.templated_action:
                continue
            written = getattr(task, "action_as_written", task.action)
            try:
                if task.action in _BUILTIN_ACTIONS or plugins.resolve("action", written, task.collections) \
                        is not None or plugins.resolve("module", written, task.collections) is not None:
                    continue
            except CorralError as exc:      # a tombstone, a redirect loop: where the task names it
                raise CorralParserError(exc.message, obj=task._ds) from exc
            installed = ", ".join(sorted(set(plugins.modules()) | set(plugins.actions())))
            hint = installed or ("none. The standard modules are provided by the distributions "
                                 "corral-modules-commands, corral-modules-files and "
                                 "corral-modules-controller (pip install corral)")
            why = plugins.content.not_found.get(written)
            raise CorralParserError(
                f"couldn't resolve module/action '{written}'. This often indicates a misspelling, "
                f"missing collection, or incorrect module path.{' ' + why if why else ''} "
                f"Installed modules and actions: {hint}", obj=task._ds)


class PlaybookExecutor:
    """Loads playbooks and runs their plays with one TaskQueueManager.

    ``options`` and ``passwords`` (Ansible's) or ``settings`` (a
    :class:`corral.settings.RunSettings`) configure the run, as for the
    ``TaskQueueManager``, which gets the other keywords; ``run()`` returns the exit
    code."""

    def __init__(self, playbooks: list[str], inventory: InventoryManager, variable_manager: VariableManager,
                 loader: DataLoader, passwords: Mapping[str, Any] | None = None, options: object = None,
                 **tqm_kwargs: Any) -> None:
        self._playbooks = playbooks
        self._variable_manager = variable_manager
        self._loader = loader
        self._tqm = TaskQueueManager(inventory=inventory, variable_manager=variable_manager, loader=loader,
                                     options=options, passwords=passwords, **tqm_kwargs)

    @property
    def tqm(self) -> TaskQueueManager:
        return self._tqm

    def load(self) -> list[tuple[str, Playbook]]:
        """Parse every playbook (no task runs): ``[(path, playbook)]``."""
        loaded = []
        for path in self._playbooks:
            playbook = Playbook.load(path, variable_manager=self._variable_manager, loader=self._loader,
                                     plugins=self._tqm.plugins)
            loaded.append((path, playbook))
        validate_actions([p for _, pb in loaded for p in pb.get_plays()], self._tqm.plugins)
        return loaded

    def _announce_prompt(self, entry: dict[str, Any]) -> None:
        """Send ``v2_playbook_on_vars_prompt`` for a ``vars_prompt`` entry about to be asked."""
        name = str(entry["name"])
        self._tqm.send_callback("v2_playbook_on_vars_prompt", name, boolean(entry.get("private", True)),
                                entry.get("prompt") or name, entry.get("encrypt"), boolean(entry.get("confirm", False)),
                                entry.get("salt_size"), entry.get("salt"), entry.get("default"),
                                boolean(entry.get("unsafe", False)))

    def run(self) -> int:
        """Run the playbooks; the result code is the TaskQueueManager's
        (``RUN_USER_INTERRUPTED`` after ``tqm.cancel()``).

        An interrupted run (``tqm.cancel()``, or SIGINT/SIGTERM raised in the main
        thread, which is re-raised) still sends the stats of what finished, so the
        operator sees the PLAY RECAP of the tasks that ran; ansible-core prints none."""
        self._tqm.load_callbacks()
        loaded = self.load()
        result = 0
        try:
            for _, playbook in loaded:
                self._tqm.send_callback("v2_playbook_on_start", playbook)
                for play in playbook.get_plays():
                    if play.prompt_entries():
                        # the play's own variables: the full set would ask the prompts itself
                        templar = Templar(self._loader, {**play.get_vars(), **self._variable_manager.extra_vars},
                                          plugins=self._tqm.plugins)
                        play.prompted_vars(self._variable_manager.extra_vars, announce=self._announce_prompt,
                                           templar=templar)
                    result = self._tqm.run(play)
                    if self._tqm.break_play or self._tqm.cancelled:
                        break
                if self._tqm.cancelled:
                    break
            self._tqm.send_stats()
        except KeyboardInterrupt:
            self._tqm.send_stats()
            raise
        finally:
            self._tqm.cleanup()
        return result

