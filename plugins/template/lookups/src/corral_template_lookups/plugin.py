"""Entry point ``lookups`` of group ``corral.template``: contributes the lookups."""
from __future__ import annotations

from corral.plugins import hookimpl
from corral.plugins.lookup import LookupBase
from corral_template_lookups.loops import (DictLookup, IndexedItemsLookup, ItemsLookup, ListLookup,
                                                 NestedLookup, RandomChoiceLookup, SequenceLookup,
                                                 SubelementsLookup, TogetherLookup)
from corral_template_lookups.commands import LinesLookup, PipeLookup
from corral_template_lookups.files import (FileglobLookup, FileLookup, FirstFoundLookup, TemplateLookup,
                                           UnvaultLookup)
from corral_template_lookups.datafiles import CsvfileLookup, IniLookup
from corral_template_lookups.inventory import InventoryHostnamesLookup
from corral_template_lookups.password import PasswordLookup
from corral_template_lookups.web import UrlLookup
from corral_template_lookups.variables import ConfigLookup, EnvLookup, VarnamesLookup, VarsLookup

__all__ = ["corral_template_lookups", "LOOKUPS"]

LOOKUPS: dict[str, type[LookupBase]] = {
    "file": FileLookup,
    "unvault": UnvaultLookup,
    "template": TemplateLookup,
    "fileglob": FileglobLookup,
    "first_found": FirstFoundLookup,
    "pipe": PipeLookup,
    "lines": LinesLookup,
    "env": EnvLookup,
    "vars": VarsLookup,
    "varnames": VarnamesLookup,
    "config": ConfigLookup,
    "password": PasswordLookup,
    "inventory_hostnames": InventoryHostnamesLookup,
    "ini": IniLookup,
    "csvfile": CsvfileLookup,
    "url": UrlLookup,
    "items": ItemsLookup,
    "list": ListLookup,
    "dict": DictLookup,
    "together": TogetherLookup,
    "nested": NestedLookup,
    "indexed_items": IndexedItemsLookup,
    "random_choice": RandomChoiceLookup,
    "subelements": SubelementsLookup,
    "sequence": SequenceLookup,
}


@hookimpl
def corral_template_lookups() -> dict[str, type[LookupBase]]:
    """Ansible's standard lookups, by short name and as ``ansible.builtin.X``
    and ``ansible.legacy.X``."""
    found = dict(LOOKUPS)
    for prefix in ("ansible.builtin.", "ansible.legacy."):
        found.update({prefix + name: cls for name, cls in LOOKUPS.items()})
    return found
