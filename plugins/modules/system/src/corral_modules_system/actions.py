"""Controller-side actions that choose the module for the target: ``service``
(systemd or sysvinit) and ``package`` (apt, or dnf for dnf, dnf5 and yum hosts)."""
from __future__ import annotations

from typing import Any

from corral.plugins.action import ActionBase

__all__ = ["ServiceAction", "PackageAction"]

_SERVICE_MODULES = {"systemd": "systemd", "sysvinit": "sysvinit", "service": "sysvinit"}
_PACKAGE_MODULES = {"apt": "apt", "dnf": "dnf", "dnf5": "dnf", "yum": "dnf"}


class _DelegatingAction(ActionBase):
    """Run the module that fits the target's ``FACT`` (from facts, or gathered now)."""

    FACT = ""
    CHOICES: dict[str, str] = {}
    KIND = ""
    #: the module for a value of FACT that CHOICES does not name (None: fail)
    FALLBACK: str | None = None
    #: module -> arguments it does not take (dropped with a warning, as Ansible)
    UNUSED_ARGS: dict[str, tuple[str, ...]] = {}
    #: arguments the FALLBACK module does without (accepted, meaningless there)
    FALLBACK_IGNORES: tuple[str, ...] = ()

    def _fact(self, task_vars: Any) -> str:
        variables = task_vars or {}
        facts = variables.get("ansible_facts") or {}
        value = facts.get(self.FACT) or variables.get(f"ansible_{self.FACT}")
        if value:
            return str(value)
        gathered = self._execute_module("setup", {"gather_subset": ["!all"], "filter": [f"ansible_{self.FACT}"]})
        return str(gathered.get("ansible_facts", {}).get(f"ansible_{self.FACT}", "unknown"))

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args)
        use = args.pop("use", "auto") or "auto"
        found = self._fact(task_vars) if use == "auto" else use
        module = self.CHOICES.get(found, found if use != "auto" else self.FALLBACK)
        if module is not None and found not in self.CHOICES and use == "auto":
            for accepted in self.FALLBACK_IGNORES:
                args.pop(accepted, None)
        if module is None:
            return {"failed": True, "changed": False,
                    "msg": f"Could not find a {self.KIND} that corral supports on this host "
                           f"({self.FACT} is '{found}'; supported: {', '.join(sorted(self.CHOICES))})"}
        warnings = []
        for unused in self.UNUSED_ARGS.get(module, ()):
            if unused in args:
                del args[unused]
                warnings.append(f'Ignoring "{unused}" as it is not used in "{module}"')
        result = self._execute_module(f"ansible.legacy.{module}", args, task_vars=task_vars, wrap_async=True)
        if warnings:
            result["warnings"] = warnings + list(result.get("warnings") or [])
        if found not in self.CHOICES and use == "auto":
            self._fallback_wording(result, args)
        return result

    def _fallback_wording(self, result: dict[str, Any], args: dict[str, Any]) -> None:
        """Word ``result`` of the FALLBACK module as the generic module it stands for does."""


class ServiceAction(_DelegatingAction):
    """Manage a service with the module for the target's service manager: a
    manager corral has no module for (PID 1 of a container, ``service``) is
    driven through the init scripts, as Ansible's generic service module does."""

    FACT = "service_mgr"
    CHOICES = _SERVICE_MODULES
    KIND = "service manager"
    FALLBACK = "sysvinit"
    #: ``runlevel`` only matters to OpenRC
    FALLBACK_IGNORES = ("runlevel",)
    UNUSED_ARGS = {"systemd": ("pattern", "runlevel", "sleep", "arguments", "args")}

    def _fallback_wording(self, result: dict[str, Any], args: dict[str, Any]) -> None:
        """ansible-core's generic ``service`` module names the host when the service is missing."""
        missing = f"Could not find the requested service {args.get('name')}: "
        if result.get("failed") and result.get("msg") == missing:
            result["msg"] = missing + "host"


class PackageAction(_DelegatingAction):
    """Manage packages with the module for the target's package manager."""

    FACT = "pkg_mgr"
    CHOICES = _PACKAGE_MODULES
    KIND = "package manager"
