"""``ansible.utils.collection_loader``: collection names as plugins use them."""
from __future__ import annotations

import re

__all__ = ["AnsibleCollectionRef", "AnsibleCollectionConfig"]

_NAME = re.compile(r"^\w+$")


class AnsibleCollectionRef:
    """A ``namespace.collection[.subdirs].resource`` reference."""

    VALID_REF_TYPES = ("action", "become", "cache", "callback", "cliconf", "connection", "doc_fragments", "filter",
                       "httpapi", "inventory", "lookup", "module_utils", "modules", "netconf", "role",
                       "shell", "strategy", "terminal", "test", "vars", "playbook")

    def __init__(self, collection_name: str, subdirs: str | None, resource: str, ref_type: str) -> None:
        self.collection = collection_name
        self.subdirs = subdirs or ""
        self.resource = resource
        self.ref_type = ref_type
        self.fqcr = ".".join(p for p in (collection_name, self.subdirs, resource) if p)

    @staticmethod
    def is_valid_collection_name(collection_name: str) -> bool:
        parts = str(collection_name).split(".")
        return len(parts) == 2 and all(_NAME.match(p) for p in parts)

    @staticmethod
    def is_valid_fqcr(ref: str, ref_type: str | None = None) -> bool:
        parts = str(ref).split(".")
        return len(parts) >= 3 and all(_NAME.match(p) for p in parts)

    @classmethod
    def from_fqcr(cls, ref: str, ref_type: str) -> "AnsibleCollectionRef":
        if not cls.is_valid_fqcr(ref):
            raise ValueError(f"{ref} is not a valid collection reference")
        parts = ref.split(".")
        return cls(".".join(parts[:2]), ".".join(parts[2:-1]) or None, parts[-1], ref_type)

    @classmethod
    def try_parse_fqcr(cls, ref: str, ref_type: str) -> "AnsibleCollectionRef | None":
        return cls.from_fqcr(ref, ref_type) if cls.is_valid_fqcr(ref) else None


class AnsibleCollectionConfig:
    """The collection search path of the process (corral's importer's roots)."""

    @classmethod
    def collection_paths(cls) -> list[str]:
        from corral_content_ansible import importer
        return importer.roots()
