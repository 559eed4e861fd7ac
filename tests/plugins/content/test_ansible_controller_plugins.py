"""Controller plugins written for Ansible (filters, tests, lookups, callbacks,
inventory plugins, vars and cache plugins) run under corral through
``corral_content_ansible.adapters.adapt`` and corral's ``ansible.*`` API.

The runs use a throwaway ``corral_resolve_content`` plugin that imports
``ansible_collections.<ns>.<coll>.plugins.<kind>.<name>`` from the test's collection
roots and hands it to ``adapt`` (the content resolver does the same for a run's
configured collections)."""
from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pypi_packages import ansible_package

from corral.api import run_playbook
from corral.config import Config
from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager
from corral_content_ansible import adapters, importer



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
    assert result["failed"]
    assert ("Config 'times' for 'ansible_collections.acme.opts.plugins.lookup.repeat' lookup plugin from 'Direct' "
            "has an invalid value: Invalid value provided for 'int': 'many'") in result["msg"]


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
    outcome = run(tmp_path, [{"name": "first step", "debug": {"msg": "x"}}], [ansible_package()],
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


ACTION = """\
    from ansible.errors import AnsibleActionFail
    from ansible.plugins.action import ActionBase

    class ActionModule(ActionBase):
        TRANSFERS_FILES = True
        _VALID_ARGS = frozenset(("text", "fail"))

        def run(self, tmp=None, task_vars=None):
            result = super().run(tmp, task_vars)
            if self._task.args.get("fail"):
                raise AnsibleActionFail("asked to fail")
            tmpdir = self._make_tmp_path()
            path = self._connection._shell.join_path(tmpdir, "note.txt")
            self._transfer_data(path, self._task.args["text"])
            low = self._low_level_execute_command("cat " + path)
            stat = self._execute_module("ansible.builtin.stat", {"path": path}, task_vars)
            result.update(changed=True, content=low["stdout"], size=stat["stat"]["size"],
                          home=self._remote_expand_user("~"))
            return result
    """


def test_collection_action_plugin_uses_the_target(tmp_path: Path) -> None:
    root = make_collection(tmp_path, {"plugins/action/note.py": ACTION}, "act")
    outcome = run(tmp_path, [
        {"acme.act.note": {"text": "hello there"}},
        {"acme.act.note": {"text": "x", "fail": True}, "ignore_errors": True},
        {"acme.act.note": {"bogus": 1}, "ignore_errors": True},
    ], [root])
    written, failed, invalid = results(outcome)
    assert written["content"] == "hello there" and written["size"] == 11 and written["changed"]
    assert written["home"] == str(Path.home())
    assert failed["failed"] and failed["msg"] == "asked to fail"
    assert invalid["failed"] and "bogus" in invalid["msg"]


VARS = """\
    DOCUMENTATION = '''
    name: extra
    options:
      suffix:
        default: "-x"
        env: [{name: ACME_VARS_SUFFIX}]
    '''
    from ansible.inventory.host import Host
    from ansible.plugins.vars import BaseVarsPlugin

    class VarsModule(BaseVarsPlugin):
        REQUIRES_ENABLED = True

        def get_vars(self, loader, path, entities, cache=True):
            super().get_vars(loader, path, entities)
            found = {}
            for entity in entities:
                if isinstance(entity, Host):
                    found["tagged_name"] = entity.name + self.get_option("suffix")
            return found
    """

CACHE = """\
    DOCUMENTATION = '''
    name: jsondir
    options:
      _uri:
        required: true
        env: [{name: ANSIBLE_CACHE_PLUGIN_CONNECTION}]
        ini: [{key: fact_caching_connection, section: defaults}]
        type: path
      _prefix:
        env: [{name: ANSIBLE_CACHE_PLUGIN_PREFIX}]
      _timeout:
        default: 86400
        type: int
    '''
    import json
    from ansible.plugins.cache import BaseFileCacheModule

    class CacheModule(BaseFileCacheModule):
        def _load(self, filepath):
            with open(filepath) as handle:
                return json.load(handle)

        def _dump(self, value, filepath):
            with open(filepath, "w") as handle:
                json.dump(value, handle, sort_keys=True)
    """


def test_collection_vars_and_fact_cache_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_collection(tmp_path, {"plugins/vars/extra.py": VARS, "plugins/cache/jsondir.py": CACHE}, "vp")
    facts = tmp_path / "facts"
    (tmp_path / "ansible.cfg").write_text(
        "[defaults]\nvars_plugins_enabled = host_group_vars, acme.vp.extra\n"
        f"fact_caching = acme.vp.jsondir\nfact_caching_connection = {facts}\n")
    monkeypatch.setenv("ACME_VARS_SUFFIX", "-tagged")
    outcome = run(tmp_path, [{"debug": {"msg": "{{ tagged_name }}"}},
                             {"set_fact": {"color": "blue", "cacheable": True}}], [root])
    assert results(outcome)[0]["msg"] == "localhost-tagged"
    assert json.loads((facts / "localhost").read_text())["color"] == "blue"
    again = run(tmp_path, [{"debug": {"msg": "{{ color | default('none') }}"}}], [root])
    assert results(again)[0]["msg"] == "blue"


CONTROLLER_KINDS = ("filter", "test", "lookup", "callback", "action", "connection", "become", "inventory", "vars",
                    "cache")


def _adapted(namespace: str, collection: str, kind: str, stem: str) -> Any:
    module = importlib.import_module(f"ansible_collections.{namespace}.{collection}.plugins.{kind}.{stem}")
    if kind in ("filter", "test"):
        functions = getattr(module, "FilterModule" if kind == "filter" else "TestModule")()
        names = list((functions.filters() if kind == "filter" else functions.tests()).keys())
        return [adapters.adapt(kind, module, f"{namespace}.{collection}.{n}") for n in names] or None
    adapted = adapters.adapt(kind, module, f"{namespace}.{collection}.{stem}")
    if kind in ("lookup", "callback"):
        adapted()      # a plugin instance, options from its DOCUMENTATION
    return adapted


@pytest.mark.parametrize("collection", ["ansible.posix", "community.general", "community.crypto"])
def test_controller_plugins_of_real_collections_load(collection: str) -> None:
    importer.add_roots([str(ansible_package())])
    namespace, name = collection.split(".")
    loaded, failed = 0, []
    for kind in CONTROLLER_KINDS:
        folder = ansible_package() / "ansible_collections" / namespace / name / "plugins" / kind
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            if path.name == "__init__.py":
                continue
            try:
                assert _adapted(namespace, name, kind, path.stem)
                loaded += 1
            except Exception as exc:  # noqa: BLE001 - counted and named below
                failed.append(f"{kind}/{path.name}: {type(exc).__name__}: {exc}")
    assert loaded and loaded / (loaded + len(failed)) >= 0.95, failed


CLI = os.path.join(os.path.dirname(sys.executable), "corral-playbook")


def cli(tmp_path: Path, plays: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``corral-playbook`` on ``plays`` with the collections of the ``ansible`` package."""
    playbook = tmp_path / "site.yml"
    playbook.write_text(textwrap.dedent(plays))
    return subprocess.run([CLI, "-i", "localhost,", "-c", "local", str(playbook)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120,
                          env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ansible_package()), **env})


def test_real_lookup_filter_and_test_from_the_ansible_package(tmp_path: Path) -> None:
    """The values and messages ansible-core 2.21 shows for the same playbook."""
    proc = cli(tmp_path, """\
        - hosts: localhost
          gather_facts: false
          tasks:
            - debug:
                msg: "{{ lookup('community.general.random_string', length=12, special=false) | length }}"
            - debug:
                msg: "{{ '192.168.1.5/24' | ansible.utils.ipaddr('network') }}"
            - debug:
                msg: "{{ '10.1.1.1' is ansible.utils.in_network '10.0.0.0/8' }}"
            - debug:
                msg: "{{ 'x' | ansible.utils.ipaddr }}"
            - debug:
                msg: "{{ lookup('community.general.random_string', length='abc') }}"
              ignore_errors: true
        """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.findall(r'"msg": (.*)', proc.stdout)[:4] == ["12", '"192.168.1.0"', "true", "false"]
    assert ("Error while resolving value for 'msg': The lookup plugin 'community.general.random_string' failed: "
            "Config 'length' for "
            "'ansible_collections.community.general.plugins.lookup.random_string' lookup plugin from 'Direct' has an "
            "invalid value: Invalid value provided for 'int': 'abc'") in proc.stdout


def _normalized(text: str) -> str:
    """Output with digits as 9, the weekday and month names as DAY and MONTH, and the stars that pad
    the date line (their count follows the names' length) as five."""
    text = re.sub(r"^[A-Z][a-z]+ 99 [A-Z][a-z]+", "DAY 99 MONTH", re.sub(r"\d", "9", text), flags=re.M)
    return re.sub(r"(9:99:99\.999) \*+ $", r"\1 ***** ", text, flags=re.M)


#: ansible-core 2.21's output for the play below with the two callbacks, normalized (the
#: last line, a bare carriage return, reads as an empty line in text mode)
PROFILE_AND_TIMER = """
PLAY [localhost] ***************************************************************

TASK [first step] **************************************************************
DAY 99 MONTH 9999  99:99:99 +9999 (9:99:99.999)       9:99:99.999 ***** 
ok: [localhost] => {
    "msg": "one"
}

PLAY RECAP *********************************************************************
localhost                  : ok=9    changed=9    unreachable=9    failed=9    skipped=9    rescued=9    ignored=9   


TASKS RECAP ********************************************************************
DAY 99 MONTH 9999  99:99:99 +9999 (9:99:99.999)       9:99:99.999 ***** 
=============================================================================== 
first step -------------------------------------------------------------- 9.99s

PLAYBOOK RECAP *****************************************************************
Playbook run took 9 days, 9 hours, 9 minutes, 9 seconds

"""


def test_real_profile_tasks_and_timer_enabled_by_configuration(tmp_path: Path) -> None:
    proc = cli(tmp_path, """\
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: first step
              debug: {msg: one}
        """, ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks,ansible.posix.timer")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _normalized(proc.stdout) == PROFILE_AND_TIMER


FOLDER_INVENTORY = """\
    DOCUMENTATION = '''
    name: sites
    options:
      sites:
        type: list
        default: [lyon]
      cache:
        type: bool
        default: false
      cache_plugin:
        type: str
        default: counting
      cache_timeout:
        type: int
        default: 7
      cache_connection:
        type: str
      cache_prefix:
        type: str
    '''
    from ansible.plugins.inventory import BaseInventoryPlugin

    class InventoryModule(BaseInventoryPlugin):
        NAME = "sites"

        def verify_file(self, path):
            return path.endswith("sites.yml")

        def parse(self, inventory, loader, path, cache=True):
            super().parse(inventory, loader, path)
            self._consume_options(self._read_config_data(path))
            self.inventory.add_group("sites")
            self.inventory.add_host(host="probe", group="sites")
            self.inventory.set_variable("probe", "sites", self.get_option("sites"))
            if self.get_option("cache"):
                self.inventory.set_variable("probe", "cache_timeout", self._cache._plugin.get_option("_timeout"))
    """

FOLDER_CACHE = """\
    DOCUMENTATION = '''
    name: counting
    options:
      _timeout:
        type: int
        default: 86400
    '''
    from ansible.plugins.cache import BaseCacheModule

    class CacheModule(BaseCacheModule):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.data = {}

        def get(self, key):
            return self.data.get(key)

        def set(self, key, value):
            self.data[key] = value

        def keys(self):
            return list(self.data)

        def contains(self, key):
            return key in self.data

        def delete(self, key):
            self.data.pop(key, None)

        def flush(self):
            self.data = {}

        def copy(self):
            return dict(self.data)
    """


def test_plugin_folder_inventory_and_cache_plugins_with_corral_inventory(tmp_path: Path) -> None:
    """As ansible-core's ``plugin_config_for_inventory`` target: options from the
    source, the cache plugin from ``cache_plugins/`` beside ``ANSIBLE_PLAYBOOK_DIR``."""
    (tmp_path / "inventory_plugins").mkdir()
    (tmp_path / "inventory_plugins" / "sites.py").write_text(textwrap.dedent(FOLDER_INVENTORY))
    (tmp_path / "cache_plugins").mkdir()
    (tmp_path / "cache_plugins" / "counting.py").write_text(textwrap.dedent(FOLDER_CACHE))
    (tmp_path / "sites.yml").write_text("plugin: sites\nsites: [paris, nantes]\ncache: true\ncache_timeout: 0\n")
    proc = subprocess.run([os.path.join(os.path.dirname(CLI), "corral-inventory"), "--list", "--export",
                           "-i", "sites.yml"], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "ANSIBLE_INVENTORY_PLUGINS": "inventory_plugins",
                               "ANSIBLE_INVENTORY_ENABLED": "sites", "ANSIBLE_PLAYBOOK_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["_meta"]["hostvars"]["probe"] == {"sites": ["paris", "nantes"], "cache_timeout": 0}


#: filters, tests and lookups of community.general and ansible.utils that need nothing
#: beyond the test requirements
WIDE_PLAYBOOK = r"""- hosts: localhost
  gather_facts: false
  vars:
    data: [{name: a, v: 1}, {name: b, v: 2}]
    x1: {a: 1}
    x2: {b: 2}
  tasks:
    - debug: {msg: "{{ {'a': 1, 'b': 2} | community.general.dict_kv('k') }}"}
    - debug: {msg: "{{ data | community.general.lists_mergeby([{'name': 'a', 'w': 5}], 'name') }}"}
    - debug: {msg: "{{ '1d 2h' | community.general.to_hours }}"}
    - debug: {msg: "{{ ['1.10', '1.2', '1.9'] | community.general.version_sort }}"}
    - debug: {msg: "{{ ['a', 'b', 'a'] | community.general.counter }}"}
    - debug: {msg: "{{ 'a,b\n1,2\n' | community.general.from_csv }}"}
    - debug: {msg: "{{ data | community.general.groupby_as_dict('name') }}"}
    - debug: {msg: "{{ data | community.general.keep_keys(target=['name']) }}"}
    - debug: {msg: "{{ lookup('community.general.cartesian', [1, 2], ['a', 'b'], wantlist=True) }}"}
    - debug: {msg: "{{ lookup('community.general.flattened', [1, [2, [3]]], wantlist=True) }}"}
    - debug: {msg: "{{ query('community.general.dependent', dict(i=[1, 2]), dict(j='[item.i * 10]')) }}"}
    - debug: {msg: "{{ lookup('community.general.merge_variables', '^x[0-9]$', pattern_type='regex') }}"}
    - debug: {msg: "{{ {'a': {'b': [1, 2]}} | ansible.utils.to_paths }}"}
    - debug: {msg: "{{ data | ansible.utils.index_of('eq', 'b', 'name') }}"}
    - debug: {msg: "{{ '10.0.0.0/30' | ansible.utils.usable_range }}"}
    - debug: {msg: "{{ '10.0.0.1' is ansible.utils.ipv4 }}"}
    - debug: {msg: "{{ 'ansible.builtin.copy' is community.general.a_module }}"}
    - debug: {msg: "{{ 'community.general.nope' is community.general.a_module }}"}
    - debug: {msg: "{{ lookup('community.general.collection_version', 'community.general') is string }}"}
    - debug: {msg: "{{ {'a': 1} | ansible.utils.get_path('a') }}"}
    - debug: {msg: "{{ lookup('ansible.utils.get_path', {'a': {'b': 3}}, 'a.b') }}"}
"""

#: what ansible-core 2.21 shows for each task of WIDE_PLAYBOOK (json stdout callback)
WIDE_EXPECTED = [{'k': {'a': 1, 'b': 2}}, [{'name': 'a', 'v': 1, 'w': 5}, {'name': 'b', 'v': 2}], 26.0, ['1.2', '1.9', '1.10'], {'a': 2, 'b': 1}, [{'a': '1', 'b': '2'}], {'a': {'name': 'a', 'v': 1}, 'b': {'name': 'b', 'v': 2}}, [{'name': 'a'}, {'name': 'b'}], [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']], [1, 2, 3], [{'i': 1, 'j': 10}, {'i': 2, 'j': 20}], {'a': 1, 'b': 2}, {'a.b[0]': 1, 'a.b[1]': 2}, 1, {'number_of_ips': 4, 'usable_ips': ['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3']}, True, True, False, True, 1, 3]


def test_many_real_controller_plugins_give_ansible_cores_results(tmp_path: Path) -> None:
    proc = cli(tmp_path, WIDE_PLAYBOOK, ANSIBLE_STDOUT_CALLBACK="json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    plays = json.loads(proc.stdout)["plays"]
    assert [task["hosts"]["localhost"].get("msg") for play in plays for task in play["tasks"]] == WIDE_EXPECTED


CALLBACK_PLAYBOOK = """\
    - hosts: localhost
      gather_facts: false
      tasks:
        - name: say
          debug: {msg: hello}
        - name: run
          command: echo hi
          changed_when: false
        - name: skip
          debug: {msg: x}
          when: false
        - name: fail
          command: /bin/false
          ignore_errors: true
    """
EXPECTED = Path(__file__).parent / "expected"


@pytest.mark.parametrize("callback", ["community.general.tasks_only", "community.general.default_without_diff",
                                      "ansible.posix.debug"])
def test_real_stdout_callbacks_print_what_ansible_core_prints(tmp_path: Path, callback: str) -> None:
    """``expected/callback_<name>.txt``: ansible-core 2.21's output, digits as 9 and the
    playbook's directory as PLAYBOOK_DIR (less a warning ansible-core itself raises
    from ``tasks_only``: its ``v2_playbook_on_task_start`` reads a task's ``_parent``
    play, which ansible-core leaves unset there)."""
    proc = cli(tmp_path, CALLBACK_PLAYBOOK, ANSIBLE_STDOUT_CALLBACK=callback,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = re.sub(r"\d", "9", (proc.stdout + proc.stderr).replace(str(tmp_path), "PLAYBOOK_DIR"))
    assert shown == (EXPECTED / f"callback_{callback}.txt").read_text()


def test_a_plugins_display_writes_to_the_run_at_its_verbosity(tmp_path: Path) -> None:
    (tmp_path / "filter_plugins").mkdir()
    (tmp_path / "filter_plugins" / "talk.py").write_text(textwrap.dedent("""\
        from ansible.utils.display import Display
        display = Display()

        def talk(value):
            display.vvv("talk filter at vvv")
            display.warning("talk warns")
            return value

        class FilterModule:
            def filters(self):
                return {"talk": talk}
        """))
    plays = """\
        - hosts: localhost
          gather_facts: false
          tasks:
            - debug: {msg: "{{ 1 | talk }}"}
        """
    quiet = cli(tmp_path, plays)
    assert "[WARNING]: talk warns" in quiet.stderr and "talk filter at vvv" not in quiet.stdout + quiet.stderr
    playbook = tmp_path / "site.yml"
    verbose = subprocess.run([CLI, "-i", "localhost,", "-c", "local", "-vvv", str(playbook)], capture_output=True,
                             text=True, cwd=tmp_path, timeout=120)
    assert "talk filter at vvv" in verbose.stdout


def test_plugin_failures_are_worded_as_ansible_core_words_them(tmp_path: Path) -> None:
    """The messages ansible-core 2.21 gives for the same plugins and playbook."""
    (tmp_path / "filter_plugins").mkdir()
    (tmp_path / "filter_plugins" / "f.py").write_text(textwrap.dedent("""\
        from ansible.errors import AnsibleFilterError

        def bad1(value):
            raise AnsibleFilterError("custom failure")

        def bad2(value):
            raise ValueError("plain value error")

        class FilterModule:
            def filters(self):
                return {"bad1": bad1, "bad2": bad2}
        """))
    (tmp_path / "lookup_plugins").mkdir()
    (tmp_path / "lookup_plugins" / "l.py").write_text(textwrap.dedent("""\
        from ansible.errors import AnsibleLookupError
        from ansible.plugins.lookup import LookupBase

        class LookupModule(LookupBase):
            def run(self, terms, variables=None, **kwargs):
                if terms[0] == 1:
                    raise AnsibleLookupError("lookup failure")
                raise KeyError("boom")
        """))
    proc = cli(tmp_path, """\
        - hosts: localhost
          gather_facts: false
          tasks:
            - {debug: {msg: "{{ 1 | bad1 }}"}, ignore_errors: true}
            - {debug: {msg: "{{ 1 | bad2 }}"}, ignore_errors: true}
            - {debug: {msg: "{{ lookup('l', 1) }}"}, ignore_errors: true}
            - {debug: {msg: "{{ lookup('l', 2) }}"}, ignore_errors: true}
        """)
    prefix = "Task failed: Finalization of task args for 'ansible.builtin.debug' failed: Error while resolving value " \
             "for 'msg': "
    assert [json.loads(line.split(" => ", 1)[1])["msg"] for line in proc.stdout.splitlines()
            if line.startswith("fatal:")] == [prefix + "The filter plugin 'bad1' failed: custom failure",
                                              prefix + "The filter plugin 'bad2' failed: plain value error",
                                              prefix + "The lookup plugin 'l' failed: lookup failure",
                                              prefix + "The lookup plugin 'l' failed: 'boom'"]


def test_an_action_built_on_ansibles_normal_action_runs_its_module(tmp_path: Path) -> None:
    """``ansible.plugins.action.normal.ActionModule`` (what network collections' actions
    build on) runs the module of the same name."""
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "echo_words.py").write_text(
        "from ansible.module_utils.basic import AnsibleModule\n"
        "m = AnsibleModule(argument_spec={'words': {'type': 'list', 'elements': 'str'}})\n"
        "m.exit_json(changed=False, count=len(m.params['words']))\n")
    (tmp_path / "action_plugins").mkdir()
    (tmp_path / "action_plugins" / "echo_words.py").write_text(
        "from ansible.plugins.action.normal import ActionModule as Normal\n"
        "class ActionModule(Normal):\n"
        "    def run(self, tmp=None, task_vars=None):\n"
        "        result = super().run(tmp, task_vars)\n"
        "        result['wrapped'] = True\n"
        "        return result\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                        "    - echo_words: {words: [a, b, c]}\n")
    result = run_playbook(str(playbook))
    answer = result.hosts["localhost"].results[0].result
    assert (answer["count"], answer["wrapped"], answer.get("failed", False)) == (3, True, False)
