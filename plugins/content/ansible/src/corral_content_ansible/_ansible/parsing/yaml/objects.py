"""``ansible.parsing.yaml.objects``: the containers YAML files load as."""
from __future__ import annotations

from corral.parsing.yaml_objects import AnsibleMapping, AnsibleSequence, AnsibleUnicode
from corral.parsing.yaml_objects import Positioned as AnsibleBaseYAMLObject
from corral.parsing.vault import EncryptedValue as AnsibleVaultEncryptedUnicode

__all__ = ["AnsibleMapping", "AnsibleSequence", "AnsibleUnicode", "AnsibleBaseYAMLObject",
           "AnsibleVaultEncryptedUnicode"]
