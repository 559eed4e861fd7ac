# A collection inventory plugin written against Ansible's plugin API, as fleets write
# theirs: options from DOCUMENTATION, Constructable's compose/groups/keyed_groups.
from __future__ import annotations

DOCUMENTATION = r"""
name: static
short_description: The hosts listed in the source
description:
  - Adds each host listed under O(hosts) with its variables to the group O(group).
extends_documentation_fragment:
  - constructed
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: ['corraltest.demo.static']
  hosts:
    description: Host names, each with its variables.
    type: dict
    default: {}
  group:
    description: The group every listed host joins.
    type: str
    default: listed
"""

from ansible.plugins.inventory import BaseInventoryPlugin, Constructable


class InventoryModule(BaseInventoryPlugin, Constructable):
    NAME = "corraltest.demo.static"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith((".yml", ".yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        group = self.get_option("group")
        strict = self.get_option("strict")
        self.inventory.add_group(group)
        for name, hostvars in (self.get_option("hosts") or {}).items():
            self.inventory.add_host(name, group=group)
            for key, value in (hostvars or {}).items():
                self.inventory.set_variable(name, key, value)
            variables = dict(hostvars or {}, inventory_hostname=name)
            self._set_composite_vars(self.get_option("compose"), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, name, strict=strict)
