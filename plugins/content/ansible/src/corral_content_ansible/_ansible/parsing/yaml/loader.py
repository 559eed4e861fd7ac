"""``ansible.parsing.yaml.loader``: ``AnsibleLoader``, a YAML loader whose mappings,
sequences and strings remember where they are in the file."""
from __future__ import annotations

from typing import Any

from corral.parsing.yaml_loader import load_yaml

__all__ = ["AnsibleLoader"]

class AnsibleLoader:
    """``AnsibleLoader(stream, file_name=None).get_single_data()``, as plugins call it."""

    def __init__(self, stream: Any, file_name: str | None = None, vault_secrets: Any = None) -> None:
        self._text = stream.read() if hasattr(stream, "read") else stream
        if isinstance(self._text, bytes):
            self._text = self._text.decode("utf-8")
        self._file_name = file_name or "<string>"

    def get_single_data(self) -> Any:
        return load_yaml(self._text, self._file_name)

    def dispose(self) -> None:
        """Nothing to release (the text is parsed at once)."""
