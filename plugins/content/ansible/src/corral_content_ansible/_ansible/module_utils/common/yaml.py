"""``ansible.module_utils.common.yaml``: PyYAML with its C loader when the target has it.

Importing this needs PyYAML on the target (as in Ansible); ``HAS_YAML`` says
whether it is there when imported inside ``try``.
"""
from __future__ import annotations

from functools import partial

__all__ = ["HAS_YAML", "HAS_LIBYAML", "SafeLoader", "SafeDumper", "Parser", "yaml_load", "yaml_load_all",
           "yaml_dump", "yaml_dump_all"]

try:
    import yaml as _yaml
except ImportError:
    HAS_YAML = False
    HAS_LIBYAML = False
else:
    HAS_YAML = True
    try:
        from yaml import CParser as Parser  # type: ignore[attr-defined]
        from yaml import CSafeDumper as SafeDumper
        from yaml import CSafeLoader as SafeLoader
        HAS_LIBYAML = True
    except ImportError:
        from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]
        from yaml.parser import Parser
        HAS_LIBYAML = False
    yaml_load = partial(_yaml.load, Loader=SafeLoader)
    yaml_load_all = partial(_yaml.load_all, Loader=SafeLoader)
    yaml_dump = partial(_yaml.dump, Dumper=SafeDumper)
    yaml_dump_all = partial(_yaml.dump_all, Dumper=SafeDumper)
