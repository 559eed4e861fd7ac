"""corral-callback-json: the whole run as one JSON document at the end
(details in ``tests/callback/test_json_callback.py``)."""
from __future__ import annotations

import json


def test_the_run_is_one_json_document(corral_inventory, corral_run, capsys) -> None:
    corral_inventory.host("web1").host("web2")
    corral_run.playbook([{"name": "deploy", "hosts": "all", "gather_facts": False, "tasks": [
        {"name": "greet", "debug": {"msg": "hi {{ inventory_hostname }}"}},
    ]}], stdout_callback="json")
    document = json.loads(capsys.readouterr().out)
    [play] = document["plays"]
    assert play["play"]["name"] == "deploy"
    [task] = play["tasks"]
    assert task["task"]["name"] == "greet"
    assert {host: r["msg"] for host, r in task["hosts"].items()} == {"web1": "hi web1", "web2": "hi web2"}
    assert document["stats"]["web1"]["ok"] == 1
