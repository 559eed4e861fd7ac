"""Controller plugins written for Ansible (filters, tests, lookups, callbacks,
inventory plugins, vars and cache plugins) run under corral through
``corral_content_ansible.adapters.adapt`` and corral's ``ansible.*`` API.

The runs use a throwaway ``corral_resolve_content`` plugin that imports
``ansible_collections.<ns>.<coll>.plugins.<kind>.<name>`` from the test's collection
roots and hands it to ``adapt`` (the content resolver does the same for a run's
configured collections)."""
from __future__ import annotations

import importlib
import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from corral.api import run_playbook
from corral.config import Config
from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager
from corral_content_ansible import adapters, importer

ANSIBLE_PKG = Path("/work/wt/_ansible_pkg")


class CollectionResolver:
    """Answers ``ns.coll.name`` from ``plugins/<kind>/<name>.py`` of the roots."""

    def __init__(self, roots: list[Path]) -> None:
        importer.add_roots(str(root) for root in roots)

    @hookimpl
    def corral_resolve_content(self, kind: str, name: str, collections: tuple[str, ...], context: Any) -> Any:
        parts = name.split(".")
        if len(parts) != 3 or kind in ("module", "role", "playbook"):
            return None
        try:
            module = importlib.import_module(f"ansible_collections.{parts[0]}.{parts[1]}.plugins.{kind}.{parts[2]}")
        except ModuleNotFoundError:
            return None
        return adapters.adapt(kind, module, name)


def make_collection(root: Path, files: dict[str, str], name: str) -> Path:
    """Write ``ansible_collections/acme/<name>/<path>`` files under ``root`` (a
    collection once imported stays imported: each test uses a name of its own)."""
    base = root / "ansible_collections" / "acme" / name
    for path, text in files.items():
        target = base / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    return root


def run(tmp_path: Path, tasks: list[dict[str, Any]], roots: list[Path], enable: tuple[str, ...] = (),
        **kwargs: Any) -> Any:
    """Run ``tasks`` on localhost; ``enable`` names callbacks to load through the
    run's plugin manager as ``callbacks_enabled`` does (``corral.api`` loads none)."""
    plugins = PluginManager()
    plugins.register(CollectionResolver(roots))
    config = kwargs.setdefault("config", Config(cwd=str(tmp_path)))
    callbacks = []
    for name in enable:
        callback = plugins.callback_class(name)()
        callback.set_options(ini=config)
        callbacks.append(callback)
    kwargs["callbacks"] = callbacks
    play = {"hosts": "localhost", "gather_facts": False, "tasks": tasks}
    return run_playbook([play], plugins=plugins, **kwargs)


def results(outcome: Any) -> list[dict[str, Any]]:
    return [r.result for r in outcome.hosts["localhost"].results]


FILTERS = """\
    from ansible.errors import AnsibleFilterError

    def shout(value, suffix="!"):
        if not isinstance(value, str):
            raise AnsibleFilterError(f"shout wants a string, got {type(value).__name__}")
        return value.upper() + suffix

    class FilterModule:
        def filters(self):
            return {"shout": shout}
    """

TESTS = """\
    class TestModule:
        def tests(self):
            return {"even": lambda value: value % 2 == 0}
    """

LOOKUP = """\
    DOCUMENTATION = '''
    name: repeat
    options:
      _terms:
        description: words
      times:
        type: int
        default: 2
        env: [{name: ACME_REPEAT_TIMES}]
    '''
    from ansible.errors import AnsibleLookupError
    from ansible.plugins.lookup import LookupBase
    from ansible.utils.display import Display

    display = Display()

    class LookupModule(LookupBase):
        def run(self, terms, variables=None, **kwargs):
            self.set_options(var_options=variables, direct=kwargs)
            if not terms:
                raise AnsibleLookupError("repeat needs a term")
            display.vvv("repeating")
            return [t * self.get_option("times") for t in self._flatten(terms)]
    """


def test_collection_filter_test_and_lookup_run_in_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_collection(tmp_path, {"plugins/filter/shout.py": FILTERS, "plugins/test/even.py": TESTS,
                                      "plugins/lookup/repeat.py": LOOKUP}, "tools")
    monkeypatch.setenv("ACME_REPEAT_TIMES", "3")
    outcome = run(tmp_path, [
        {"debug": {"msg": "{{ 'hi' | acme.tools.shout }}"}},
        {"debug": {"msg": "{{ 4 is acme.tools.even }}"}},
        {"debug": {"msg": "{{ lookup('acme.tools.repeat', 'ab', times=2) }}"}},
        {"debug": {"msg": "{{ query('acme.tools.repeat', 'x', 'y') }}"}},
    ], [root])
    assert [r["msg"] for r in results(outcome)] == ["HI!", True, "abab", ["xxx", "yyy"]]


def test_plugin_errors_are_template_errors_of_the_task(tmp_path: Path) -> None:
    root = make_collection(tmp_path, {"plugins/filter/shout.py": FILTERS, "plugins/lookup/repeat.py": LOOKUP}, "errs")
    outcome = run(tmp_path, [
        {"debug": {"msg": "{{ 3 | acme.errs.shout }}"}, "ignore_errors": True},
        {"debug": {"msg": "{{ lookup('acme.errs.repeat') }}"}, "ignore_errors": True},
    ], [root])
    first, second = results(outcome)
    assert first["failed"] and "shout wants a string, got int" in first["msg"]
    assert second["failed"] and "repeat needs a term" in second["msg"]


def test_lookup_option_errors_name_the_plugin(tmp_path: Path) -> None:
    root = make_collection(tmp_path, {"plugins/lookup/repeat.py": LOOKUP}, "opts")
    outcome = run(tmp_path, [{"debug": {"msg": "{{ lookup('acme.opts.repeat', 'a', times='many') }}"},
                              "ignore_errors": True}], [root])
    (result,) = results(outcome)
    assert result["failed"] and "times" in result["msg"] and "acme.opts.repeat" in result["msg"]


CALLBACK = """\
    DOCUMENTATION = '''
    name: recorder
    type: notification
    options:
      path:
        description: where to write
        env: [{name: ACME_RECORDER_PATH}]
        ini: [{section: callback_recorder, key: path}]
    '''
    import json
    from ansible.plugins.callback import CallbackBase

    class CallbackModule(CallbackBase):
        CALLBACK_VERSION = 2.0
        CALLBACK_TYPE = "notification"
        CALLBACK_NAME = "acme.cb.recorder"
        CALLBACK_NEEDS_ENABLED = True

        def __init__(self, display=None):
            super().__init__(display=display)
            self.seen = []

        def v2_runner_on_ok(self, result):
            self.seen.append([result._host.get_name(), result._task.get_name(), result._result.get("msg")])

        def v2_playbook_on_stats(self, stats):
            with open(self.get_option("path"), "w") as handle:
                json.dump({"seen": self.seen, "ok": stats.summarize("localhost")["ok"]}, handle)
            self._display.display("recorder: " + self._dump_results({"done": len(self.seen)}))
    """


def test_collection_callback_gets_events_and_options_from_the_config(tmp_path: Path) -> None:
    root = make_collection(tmp_path, {"plugins/callback/recorder.py": CALLBACK}, "cb")
    out = tmp_path / "seen.json"
    cfg = tmp_path / "ansible.cfg"
    cfg.write_text(f"[callback_recorder]\npath = {out}\n")
    outcome = run(tmp_path, [{"name": "say", "debug": {"msg": "one"}}], [root], enable=("acme.cb.recorder",),
                  stdout_callback="default")
    assert outcome.ok
    assert json.loads(out.read_text()) == {"seen": [["localhost", "say", "one"]], "ok": 1}


def test_real_profile_tasks_and_timer_callbacks_of_ansible_posix(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    outcome = run(tmp_path, [{"name": "first step", "debug": {"msg": "x"}}], [ANSIBLE_PKG],
                  enable=("ansible.posix.profile_tasks", "ansible.posix.timer"), stdout_callback="default")
    assert outcome.ok
    out = capfd.readouterr().out
    assert "Playbook run took 0 days, 0 hours, 0 minutes" in out
    assert "first step" in out and "-----" in out


INVENTORY = """\
    DOCUMENTATION = '''
    name: fleet
    options:
      plugin:
        required: true
        choices: [acme.inv.fleet]
      machines:
        type: list
        default: []
    extends_documentation_fragment:
      - ansible.builtin.constructed
      - ansible.builtin.inventory_cache
    '''
    import json
    import os
    from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

    class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
        NAME = "acme.inv.fleet"

        def verify_file(self, path):
            return super().verify_file(path) and path.endswith(("fleet.yml", "fleet.yaml"))

        def parse(self, inventory, loader, path, cache=True):
            super().parse(inventory, loader, path, cache)
            self._read_config_data(path)
            key = self.get_cache_key(path)
            if self.get_option("cache") and key in self._cache:
                machines = self._cache[key]
                source = "cache"
            else:
                machines = self.get_option("machines")
                source = "config"
                if self.get_option("cache"):
                    self._cache[key] = machines
            for machine in machines:
                name = self.inventory.add_host(machine["name"])
                self.inventory.set_variable(name, "os", machine["os"])
                self.inventory.set_variable(name, "loaded_from", source)
                self.inventory.set_variable(name, "ansible_connection", "local")
                strict = self.get_option("strict")
                self._set_composite_vars(self.get_option("compose"), {}, name, strict=strict)
                self._add_host_to_composed_groups(self.get_option("groups"), {}, name, strict=strict)
                self._add_host_to_keyed_groups(self.get_option("keyed_groups"), {}, name, strict=strict)
    """


def test_collection_inventory_plugin_with_constructed_and_jsonfile_cache(tmp_path: Path) -> None:
    root = make_collection(tmp_path, {"plugins/inventory/fleet.py": INVENTORY}, "inv")
    cache_dir = tmp_path / "cache"
    source = tmp_path / "fleet.yml"
    source.write_text(textwrap.dedent(f"""\
        plugin: acme.inv.fleet
        machines:
          - {{name: web1, os: Debian}}
          - {{name: db1, os: RedHat}}
        compose:
          shout: os | upper
        groups:
          webservers: "'web' in inventory_hostname"
        keyed_groups:
          - key: os
            prefix: os
        cache: true
        cache_plugin: jsonfile
        cache_connection: {cache_dir}
        """))
    tasks = [{"debug": {"msg": "{{ inventory_hostname }} {{ shout }} {{ loaded_from }} {{ group_names }}"}}]

    def messages() -> dict[str, str]:
        plugins = PluginManager()
        plugins.register(CollectionResolver([root]))
        outcome = run_playbook([{"hosts": "all", "gather_facts": False, "tasks": tasks}], plugins=plugins,
                               inventory=str(source), config=Config(cwd=str(tmp_path)))
        assert outcome.ok
        return {h: r.results[0].result["msg"] for h, r in outcome.hosts.items()}

    assert messages() == {"web1": "web1 DEBIAN config ['os_Debian', 'webservers']",
                          "db1": "db1 REDHAT config ['os_RedHat']"}
    assert any(cache_dir.iterdir())
    assert messages() == {"web1": "web1 DEBIAN cache ['os_Debian', 'webservers']",
                          "db1": "db1 REDHAT cache ['os_RedHat']"}
