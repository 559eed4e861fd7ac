"""``ansible.parsing.yaml.dumper``: ``AnsibleDumper``, a safe YAML dumper that writes
corral's values (unsafe strings, loaded containers) as plain YAML."""
from __future__ import annotations

from typing import Any

import yaml

from corral.parsing.yaml_objects import AnsibleMapping, AnsibleSequence, AnsibleUnicode
from corral.utils.unsafe import UnsafeBytes, UnsafeText

__all__ = ["AnsibleDumper"]


class AnsibleDumper(yaml.SafeDumper):
    """A safe dumper for Ansible's data."""


def _as_str(dumper: yaml.SafeDumper, data: Any) -> yaml.ScalarNode:
    return dumper.represent_str(str(data))


AnsibleDumper.add_representer(UnsafeText, _as_str)
AnsibleDumper.add_representer(AnsibleUnicode, _as_str)
AnsibleDumper.add_representer(UnsafeBytes, lambda d, data: d.represent_binary(bytes(data)))
AnsibleDumper.add_representer(AnsibleMapping, lambda d, data: d.represent_dict(dict(data)))
AnsibleDumper.add_representer(AnsibleSequence, lambda d, data: d.represent_list(list(data)))
