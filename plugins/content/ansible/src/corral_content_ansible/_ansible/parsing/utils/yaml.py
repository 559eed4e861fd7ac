"""``ansible.parsing.utils.yaml``: ``from_yaml``, YAML or JSON text to data."""
from __future__ import annotations

import json
from typing import Any

from corral.parsing.yaml_loader import load_yaml

__all__ = ["from_yaml"]


def from_yaml(data: str, file_name: str = "<string>", show_content: bool = True, vault_secrets: Any = None,
              json_only: bool = False) -> Any:
    """The data of ``data``: JSON when it parses as JSON, else YAML (unless ``json_only``)."""
    try:
        return json.loads(data)
    except ValueError:
        if json_only:
            raise
    return load_yaml(data, file_name)
