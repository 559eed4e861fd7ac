"""corral: an automation engine that speaks Ansible's language.

The kernel: hook specifications (:mod:`corral.hookspecs`), the plugin manager
(:mod:`corral.plugins.manager`), the data model (inventory, variables, playbooks,
results), templating, and the public API (:mod:`corral.api` and the seed's paths:
``corral.parsing.dataloader.DataLoader``, ``corral.vars.VariableManager``,
``corral.inventory.Inventory``, ``corral.playbook.play.Play``,
``corral.executor.task_queue_manager.TaskQueueManager``,
``corral.plugins.callback.CallbackBase``, ``corral.runner.Runner``).
"""
__version__ = "0.1.0"

__all__ = ["__version__"]
