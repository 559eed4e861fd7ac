"""``corral.cli.inventory_json`` writes what ``json.dumps(sort_keys=True, indent=4)``
writes for the marked value (unsafe strings and vaulted values as ansible-inventory
marks them), byte for byte, on every kind of value an inventory may hold."""
from __future__ import annotations

import json
from typing import Any

from corral.cli.inventory_json import inventory_json, json_key, vault_text
from corral.parsing.vault import EncryptedValue, VaultLib, VaultSecret
from corral.utils.unsafe import is_unsafe, wrap_unsafe


def _vaulted(text: str) -> EncryptedValue:
    vault = VaultLib([("default", VaultSecret("pw"))])
    return EncryptedValue(vault.encrypt(text).decode(), vault)


def _reference(value: Any) -> str:
    """The two passes ansible-inventory's output is defined by: mark, then the
    standard library's indented encoder."""
    def mark(item: Any) -> Any:
        if isinstance(item, EncryptedValue):
            return {"__ansible_vault": vault_text(item)}
        if isinstance(item, str):
            return {"__ansible_unsafe": str(item)} if is_unsafe(item) else item
        if isinstance(item, dict):
            return {json_key(key): mark(inner) for key, inner in item.items()}
        if isinstance(item, (list, tuple)):
            return [mark(inner) for inner in item]
        return item

    def default(item: Any) -> Any:
        if isinstance(item, (set, tuple)):
            return list(item)
        if isinstance(item, bytes):
            return item.decode("utf-8", "replace")
        return str(item)
    return json.dumps(mark(value), sort_keys=True, indent=4, default=default)


def _sample() -> dict[str, Any]:
    return {
        "_meta": {"hostvars": {
            "h1": {"ansible_host": "10.0.0.1", "port": 22, "ratio": 0.5, "on": True, "off": False,
                   "nothing": None, "big": 10 ** 30, "nan": float("nan"), "inf": float("inf"),
                   "ninf": float("-inf"), "text": "caf\u00e9 \u2603 \"quoted\" \\ \n\t\x01"},
            "h2": {"nested": {"list": [1, "two", [3.0, {"b": 1, "a": 2}], [], {}], "tuple": (1, "x")},
                   "empty": {}, "unsafe": wrap_unsafe("{{ lookup('pipe', 'id') }}"),
                   "unsafe_in_list": wrap_unsafe(["a", {"k": "v"}]),
                   "vaulted": _vaulted("secret"), "bytes": b"raw\xff",
                   "a_set": {"only"}, "flag": 1 == 1},
            "h3": {True: "yes", 1.5: "float key", None: "none key", 7: "int key", "z": "last"},
        }, "profile": "inventory_legacy"},
        "all": {"children": ["ungrouped", "web"]},
        "web": {"hosts": ["h1", "h2", "h3"]},
    }


def test_same_text_as_the_standard_encoder() -> None:
    data = _sample()
    assert inventory_json(data) == _reference(data)


def test_scalars_and_empty_containers_at_top_level() -> None:
    for value in ("x", 1, 2.5, None, True, False, [], {}, [[]], {"a": {}}, wrap_unsafe("u")):
        assert inventory_json(value) == _reference(value)
