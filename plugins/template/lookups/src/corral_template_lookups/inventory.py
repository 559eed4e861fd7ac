"""``lookup('inventory_hostnames', 'pattern')``: the names of the hosts a host
pattern selects.

The pattern is matched, as a play's ``hosts:`` would be (groups, wildcards,
``~regex``, ``:&`` intersections, ``:!`` exclusions, subscripts), against the
inventory as the task sees it in ``groups``; ``--limit`` does not apply.  A pattern
that matches nothing gives an empty list.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.inventory.manager import InventoryManager
from corral.plugins.lookup import LookupBase
from corral_template_lookups._common import reject_undefined_terms

__all__ = ["InventoryHostnamesLookup"]


class InventoryHostnamesLookup(LookupBase):
    """See the module documentation."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        reject_undefined_terms(terms)
        variables = variables if variables is not None else {}
        groups = variables["groups"] if "groups" in variables else {}
        inventory = InventoryManager(self._loader, parse=False)
        for group, hosts in (groups or {}).items():
            inventory.add_group(str(group))
            for host in hosts or []:
                inventory.add_host(str(host), group=str(group))
        inventory.reconcile_inventory()
        patterns = [str(term) for term in terms]
        return [host.name for host in inventory.get_hosts(patterns, ignore_limits=True, ignore_restrictions=True)]
