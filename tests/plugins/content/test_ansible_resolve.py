"""corral-content-ansible's resolver: modules, filters, tests, roles and playbooks by
name, from handmade collections and plugin folders, run through the public API and the
CLI as ansible-core 2.21 runs them (messages checked against its output)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from corral.api import run_playbook
from corral.config import Config

CLI = os.path.join(os.path.dirname(sys.executable), "corral-playbook")

#: a module written for Ansible, using its collection's module_utils
HELLO = """\
#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.{fqcn}.plugins.module_utils.words import greet
module = AnsibleModule(argument_spec=dict(who=dict(default="world")))
module.exit_json(changed=False, said=greet(module.params["who"]), origin="{origin}")
"""

RUNTIME = """\
plugin_routing:
  modules:
    old:
      redirect: resolve.demo.hello
    oldish:
      redirect: resolve.demo.hello
      deprecation:
        removal_version: 3.0.0
        warning_text: Use hello.
    gone:
      tombstone:
        removal_version: 2.0.0
        warning_text: Use resolve.demo.hello instead.
    loop1:
      redirect: resolve.demo.loop2
    loop2:
      redirect: resolve.demo.loop1
"""


def _write(base: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _collection(root: Path, fqcn: str = "resolve.demo", origin: str = "collection", **extra: str) -> Path:
    """A collection ``fqcn`` under the collection root ``root``, with the module ``hello``,
    its module_utils, a filter, a test, a role and a playbook."""
    namespace, name = fqcn.split(".")
    path = root / "ansible_collections" / namespace / name
    _write(path, {
        "galaxy.yml": f"namespace: {namespace}\nname: {name}\nversion: 1.2.3\n",
        "meta/runtime.yml": RUNTIME,
        "plugins/modules/hello.py": HELLO.format(origin=origin, fqcn=fqcn),
        "plugins/module_utils/words.py": "def greet(who):\n    return 'hello ' + who\n",
        "plugins/filter/text.py": "class FilterModule:\n    def filters(self):\n"
                                  "        return {'shout': lambda s: str(s).upper() + '!'}\n",
        "plugins/test/numbers.py": "class TestModule:\n    def tests(self):\n"
                                   "        return {'even': lambda n: n % 2 == 0}\n",
        "roles/web/tasks/main.yml": "- hello: {who: role}\n  register: from_role\n",
        "playbooks/extra.yml": "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                               "    - debug: {msg: from the collection playbook}\n",
        **extra,
    })
    return path


def _run(playbook: Path, env: dict[str, str] | None = None, **kwargs: Any) -> Any:
    config = Config(env={"HOME": os.environ.get("HOME", "/root"), "PATH": os.environ["PATH"],
                         "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false", **(env or {})}, cwd=str(playbook.parent))
    return run_playbook(str(playbook), inventory="localhost,", connection="local", config=config, **kwargs)


def _cli(playbook: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false", **(env or {})}
    return subprocess.run([CLI, "-i", "localhost,", "-c", "local", str(playbook)], capture_output=True, text=True,
                          env=environ, cwd=str(playbook.parent), timeout=120, check=False)


def _playbook(tmp_path: Path, tasks: list[Any] | str, **play: Any) -> Path:
    import yaml
    path = tmp_path / "site.yml"
    body = {"hosts": "localhost", "gather_facts": False, **play}
    if isinstance(tasks, str):
        path.write_text(tasks)
    else:
        path.write_text(yaml.safe_dump([{**body, "tasks": tasks}], sort_keys=False))
    return path


def _results(result: Any) -> list[dict[str, Any]]:
    return [r.result for r in result.hosts["localhost"].results]


# -- modules ------------------------------------------------------------------------------------------


def test_fqcn_module_from_collections_path_with_its_module_utils(tmp_path: Path) -> None:
    _collection(tmp_path / "colls")
    playbook = _playbook(tmp_path, [{"resolve.demo.hello": {"who": "you"}}])
    result = _run(playbook, {"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "colls")})
    assert result.rc == 0
    assert _results(result)[0]["said"] == "hello you"


def test_collections_beside_the_playbook_win_over_collections_path(tmp_path: Path) -> None:
    _collection(tmp_path / "colls", origin="configured")
    _collection(tmp_path / "collections", origin="beside")
    playbook = _playbook(tmp_path, [{"resolve.demo.hello": {}}])
    result = _run(playbook, {"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "colls")})
    assert _results(result)[0]["origin"] == "beside"


def test_collection_found_on_sys_path(tmp_path: Path) -> None:
    _collection(tmp_path / "site", origin="sys.path")
    playbook = _playbook(tmp_path, [{"resolve.demo.hello": {}}])
    sys.path.append(str(tmp_path / "site"))
    try:
        result = _run(playbook, {"ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "true"})
    finally:
        sys.path.remove(str(tmp_path / "site"))
    assert _results(result)[0]["origin"] == "sys.path"


def test_short_names_through_the_collections_keyword_innermost_first(tmp_path: Path) -> None:
    _collection(tmp_path / "collections", "resolve.demo", origin="demo")
    _collection(tmp_path / "collections", "resolve.other", origin="other")
    playbook = _playbook(tmp_path, [
        {"hello": {}},
        {"block": [{"hello": {}}], "collections": ["resolve.other"]},
    ], collections=["resolve.demo"])
    result = _run(playbook)
    assert [r["origin"] for r in _results(result)] == ["demo", "other"]


def test_collection_role_by_fqcn_uses_its_own_collection_for_short_names(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, [{"import_role": {"name": "resolve.demo.web"}},
                                    {"debug": {"var": "from_role.said"}}])
    result = _run(playbook)
    assert result.rc == 0
    assert _results(result)[0]["said"] == "hello role"


def test_role_short_name_through_the_play_collections(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, [], collections=["resolve.demo"], roles=["web"])
    result = _run(playbook)
    assert _results(result)[0]["said"] == "hello role"


def test_import_playbook_from_a_collection(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, "- import_playbook: resolve.demo.extra\n")
    result = _run(playbook)
    assert _results(result)[0]["msg"] == "from the collection playbook"


def test_redirects_are_followed_and_deprecations_are_shown_as_deprecations(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, [{"resolve.demo.old": {}}, {"resolve.demo.oldish": {"who": "x"}}])
    proc = _cli(playbook)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ("[DEPRECATION WARNING]: resolve.demo.oldish has been deprecated. Use hello. This feature will be removed "
            "from collection 'resolve.demo' version 3.0.0.") in proc.stderr
    assert "[WARNING]: resolve.demo.oldish" not in proc.stderr


def test_deprecations_of_routing_follow_deprecation_warnings(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, [{"resolve.demo.oldish": {"who": "x"}}])
    proc = _cli(playbook, {"ANSIBLE_DEPRECATION_WARNINGS": "false"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "has been deprecated" not in proc.stderr + proc.stdout


@pytest.mark.parametrize(("name", "message"), [
    ("resolve.demo.gone", "The 'resolve.demo.gone' module has been removed. Use resolve.demo.hello instead. This feature "
                       "was removed from collection 'resolve.demo' version 2.0.0."),
    ("resolve.demo.loop1", "plugin redirect loop resolving resolve.demo.loop1 (path: ['resolve.demo.loop1', "
                        "'resolve.demo.loop2'])"),
])
def test_tombstones_and_redirect_loops_fail_at_the_task(tmp_path: Path, name: str, message: str) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, [{name: {}}])
    proc = _cli(playbook)
    assert proc.returncode != 0
    assert f"[ERROR]: {message}\nOrigin: {playbook}:4:5" in proc.stderr


def test_a_missing_collection_is_named_with_how_to_install_it(tmp_path: Path) -> None:
    playbook = _playbook(tmp_path, [{"acme.absent.thing": {}}])
    proc = _cli(playbook)
    assert proc.returncode == 4
    assert ("[ERROR]: couldn't resolve module/action 'acme.absent.thing'. This often indicates a misspelling, "
            "missing collection, or incorrect module path. The collection 'acme.absent' is not installed") \
        in proc.stderr
    assert "corral-galaxy collection install acme.absent" in proc.stderr
    assert f"Origin: {playbook}:4:5" in proc.stderr


def test_a_short_name_found_nowhere_names_the_collections_searched(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    playbook = _playbook(tmp_path, [{"nosuchthing": {}}], collections=["resolve.demo"])
    proc = _cli(playbook)
    assert "Searched the collections resolve.demo, ansible.legacy." in proc.stderr


def test_builtin_names_routed_to_a_collection_need_it_installed(tmp_path: Path) -> None:
    playbook = _playbook(tmp_path, [{"timezone": {"name": "UTC"}}])
    proc = _cli(playbook)
    assert proc.returncode == 4
    assert "The collection 'community.general' is not installed" in proc.stderr
    _write(tmp_path / "collections" / "ansible_collections" / "community" / "general", {
        "plugins/modules/timezone.py": "from ansible.module_utils.basic import AnsibleModule\n"
                                       "m = AnsibleModule(argument_spec=dict(name=dict()))\n"
                                       "m.exit_json(changed=False, handmade=m.params['name'])\n"})
    result = _run(playbook)
    assert _results(result)[0]["handmade"] == "UTC"


# -- plugin folders beside playbooks and roles ----------------------------------------------------------


def test_library_beside_the_playbook_wins_over_builtins_and_carries_module_utils(tmp_path: Path) -> None:
    _write(tmp_path, {
        "library/ping.py": "from ansible.module_utils.basic import AnsibleModule\n"
                           "from ansible.module_utils.mine import WHERE\n"
                           "AnsibleModule(argument_spec={}).exit_json(changed=False, ping=WHERE)\n",
        "module_utils/mine.py": "WHERE = 'library'\n",
    })
    playbook = _playbook(tmp_path, [{"ping": {}}, {"ansible.legacy.ping": {}}, {"ansible.builtin.ping": {}}])
    result = _run(playbook)
    assert [r["ping"] for r in _results(result)] == ["library", "library", "pong"]


def test_a_role_library_wins_over_the_configured_library(tmp_path: Path) -> None:
    ping = "from ansible.module_utils.basic import AnsibleModule\n" \
           "AnsibleModule(argument_spec={{}}).exit_json(changed=False, location='{0}')\n"
    _write(tmp_path, {"configured/ping.py": ping.format("configured"),
                      "roles/foo/library/ping.py": ping.format("role"),
                      "roles/foo/tasks/main.yml": "- ping: {}\n"})
    playbook = _playbook(tmp_path, [{"ping": {}}], roles=["foo"])
    result = _run(playbook, {"ANSIBLE_LIBRARY": str(tmp_path / "configured")})
    assert [r["location"] for r in _results(result)] == ["role", "role"]


@pytest.mark.parametrize(("text", "expected"), [
    ("#!/bin/sh\n# WANT_JSON\nprintf '{\"changed\": false, \"style\": \"want_json\"}'\n", "want_json"),
    ("#!/bin/sh\n. \"$1\"\nprintf '{\"changed\": false, \"style\": \"old %s\"}' \"$word\"\n", "old hi"),
])
def test_script_modules_in_library_run_in_their_style(tmp_path: Path, text: str, expected: str) -> None:
    _write(tmp_path, {"library/scripted": text})
    playbook = _playbook(tmp_path, [{"scripted": {"word": "hi"}}])
    result = _run(playbook)
    assert _results(result)[0]["style"] == expected


def test_filters_and_tests_from_collections_and_folders(tmp_path: Path) -> None:
    _collection(tmp_path / "collections", "jinja.one")     # a name of its own: imports last the process
    _write(tmp_path, {
        "filter_plugins/mine.py": "class FilterModule:\n    def filters(self):\n"
                                  "        return {'twice': lambda s: s * 2}\n",
        "filter_plugins/broken.py": "class FilterModule:\n    def filters(self):\n        raise TypeError('x')\n",
        "test_plugins/mine.py": "class TestModule:\n    def tests(self):\n        return {'odd': lambda n: n % 2}\n",
    })
    msg = "{{ 'hi' | jinja.one.shout }} {{ 'ab' | twice }} {{ 4 is jinja.one.even }} {{ 3 is odd }}"
    result = _run(_playbook(tmp_path, [{"debug": {"msg": msg}}]))
    assert _results(result)[0]["msg"] == "HI! abab True True"


def test_a_broken_collection_filter_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    _collection(tmp_path / "collections", "jinja.two", **{
        "plugins/filter/broken.py": "class FilterModule:\n    def filters(self):\n        raise TypeError('boom')\n"})
    playbook = _playbook(tmp_path, [{"debug": {"msg": "{{ 'a' | jinja.two.shout }}"}}])
    proc = _cli(playbook)
    assert proc.returncode == 0, proc.stderr
    assert "Skipping filter plugins in jinja.two.broken'; an error occurred while loading: boom" in proc.stderr


def test_collections_in_a_role_meta_apply_to_its_tasks(tmp_path: Path) -> None:
    _collection(tmp_path / "collections")
    _write(tmp_path, {"roles/r/meta/main.yml": "collections: [resolve.demo]\n",
                      "roles/r/tasks/main.yml": "- hello: {who: meta}\n"})
    result = _run(_playbook(tmp_path, [], roles=["r"]))
    assert _results(result)[0]["said"] == "hello meta"


def test_a_named_plugin_corral_provides_is_not_routed_to_a_collection(tmp_path: Path) -> None:
    """ansible-core routes the callback ``json`` to ansible.posix; corral has its own."""
    _write(tmp_path / "collections" / "ansible_collections" / "ansible" / "posix",
           {"plugins/callback/json.py": "raise ImportError('the collection was asked')\n"})
    proc = subprocess.run([CLI, "-i", "localhost,", "-c", "local", str(_playbook(tmp_path, [{"ping": {}}]))],
                          capture_output=True, text=True, cwd=str(tmp_path), timeout=120, check=False,
                          env={**os.environ, "ANSIBLE_STDOUT_CALLBACK": "json"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stats"]["localhost"]["ok"] == 1


@pytest.mark.parametrize("text", ["- hosts: localhost\n  gather_facts: false\n  roles: [acme.absent.web]\n",
                                  "- import_playbook: acme.absent.site\n"])
def test_a_role_or_playbook_of_a_missing_collection_names_it(tmp_path: Path, text: str) -> None:
    proc = _cli(_playbook(tmp_path, text))
    assert proc.returncode != 0
    assert "The collection 'acme.absent' is not installed" in proc.stderr
    assert "corral-galaxy collection install acme.absent" in proc.stderr


def test_a_folder_filter_overrides_a_builtin_one_of_its_name_only(tmp_path: Path) -> None:
    """plugin_loader's override: ``flatten`` from filter_plugins/ wins, ``ternary`` stays corral's;
    a role that holds only filter_plugins/ is a role."""
    _write(tmp_path, {
        "filter_plugins/core.py": "class FilterModule:\n    def filters(self):\n"
                                  "        return {'flatten': lambda v: 'flagged'}\n",
        "roles/only_filters/filter_plugins/more.py": "class FilterModule:\n    def filters(self):\n"
                                                     "        return {'from_role': lambda v: v + '!'}\n",
    })
    msg = "{{ [1, [2]] | flatten }} {{ true | ternary('yes', 'no') }} {{ 'r' | from_role }}"
    result = _run(_playbook(tmp_path, [{"debug": {"msg": msg}}], roles=["only_filters"]))
    assert _results(result)[0]["msg"] == "flagged yes r!"


def test_a_module_named_with_a_leading_underscore_is_found_by_its_name(tmp_path: Path) -> None:
    _write(tmp_path, {"library/_retired.py": "from ansible.module_utils.basic import AnsibleModule\n"
                                             "AnsibleModule(argument_spec={}).exit_json(changed=False, "
                                             "source='legacy_library_dir')\n"})
    result = _run(_playbook(tmp_path, [{"retired": {}}]))
    assert _results(result)[0]["source"] == "legacy_library_dir"


def test_action_plugins_and_lookups_from_collections_and_folders(tmp_path: Path) -> None:
    """An action without a module, an action named like its collection's module (it runs
    the module), an action_plugins/ action and a lookup_plugins/ lookup."""
    action = "from ansible.plugins.action import ActionBase\nclass ActionModule(ActionBase):\n" \
             "    def run(self, tmp=None, task_vars=None):\n        result = super().run(tmp, task_vars)\n"
    _collection(tmp_path / "collections", "acts.one", **{
        "plugins/action/twice.py": action + "        result.update(changed=False, doubled=self._task.args['n'] * 2)\n"
                                            "        return result\n",
        "plugins/action/hello.py": action + "        result = self._execute_module(module_name='acts.one.hello', "
                                            "module_args={'who': 'action'}, task_vars=task_vars)\n"
                                            "        result['via'] = 'action'\n        return result\n",
    })
    _write(tmp_path, {
        "action_plugins/local_act.py": action + "        result.update(changed=False, where='folder')\n"
                                                "        return result\n",
        "lookup_plugins/upper.py": "from ansible.plugins.lookup import LookupBase\nclass LookupModule(LookupBase):\n"
                                   "    def run(self, terms, variables=None, **kwargs):\n"
                                   "        return [t.upper() for t in terms]\n",
    })
    playbook = _playbook(tmp_path, [{"acts.one.twice": {"n": 21}}, {"acts.one.hello": {}}, {"local_act": {}},
                                    {"debug": {"msg": "{{ lookup('upper', 'abc') }}"}}])
    result = _run(playbook)
    first, second, third, fourth = _results(result)
    assert first["doubled"] == 42
    assert (second["said"], second["via"]) == ("hello action", "action")
    assert third["where"] == "folder"
    assert fourth["msg"] == "ABC"


def test_a_library_module_with_relative_imports_runs_in_ansible_modules(tmp_path: Path) -> None:
    """ansiballz_python: ``from ..module_utils.x import y`` in a role's library module is
    ``ansible.module_utils.x`` (the role's module_utils/ first), as the module runs in ``ansible.modules``."""
    _write(tmp_path, {
        "roles/r/library/relative.py": "from ..module_utils.basic import AnsibleModule\n"
                                       "from ..module_utils.answer import forty_two\n"
                                       "AnsibleModule(argument_spec={}).exit_json(changed=False, answer=forty_two(),"
                                       " package=__package__)\n",
        "roles/r/module_utils/answer.py": "def forty_two():\n    return 42\n",
        "roles/r/tasks/main.yml": "- relative: {}\n",
    })
    result = _run(_playbook(tmp_path, [], roles=["r"]))
    assert (_results(result)[0]["answer"], _results(result)[0]["package"]) == (42, "ansible.modules")


def test_the_observed_builtin_routing_table() -> None:
    """scripts/builtin-routing's output: what ansible-core 2.21 was seen to route."""
    from corral_content_ansible.routing import builtin_routes
    modules = builtin_routes("module")
    assert (modules["timezone"], modules["sysctl"], modules["mount"], modules["ini_file"]) == (
        "community.general.timezone", "ansible.posix.sysctl", "ansible.posix.mount", "community.general.ini_file")
    assert "copy" not in modules and builtin_routes("action") is modules
    assert builtin_routes("filter")["ipaddr"] == "ansible.utils.ipaddr"


def test_plugin_filters_cfg_rejects_modules_but_never_stat(tmp_path: Path) -> None:
    _write(tmp_path, {"ansible.cfg": "[defaults]\nplugin_filters_cfg = ./filters.yml\n",
                      "filters.yml": "filter_version: '1.0'\nmodule_rejectlist: [ping]\n"})
    playbook = _playbook(tmp_path, [{"ping": {}}])
    proc = _cli(playbook, {"ANSIBLE_CONFIG": str(tmp_path / "ansible.cfg")})
    assert proc.returncode == 4
    assert f"[ERROR]: couldn't resolve module/action 'ping'. This often indicates a misspelling, missing " \
           f"collection, or incorrect module path.\nOrigin: {playbook}:4:5" in proc.stderr
    (tmp_path / "filters.yml").write_text("filter_version: '1.0'\nmodule_rejectlist: [stat]\n")
    proc = _cli(playbook, {"ANSIBLE_CONFIG": str(tmp_path / "ansible.cfg")})
    assert proc.returncode != 0
    assert f"The stat module was specified in the module reject list file, {tmp_path / 'filters.yml'}, but " \
           "Ansible will not function without the stat module.  Please remove stat from the reject list." \
        in proc.stderr


@pytest.mark.parametrize(("mismatch", "rc", "shown"), [("warning", 0, "[WARNING]: "), ("error", 4, "[ERROR]: ")])
def test_a_collection_requiring_another_ansible_version(tmp_path: Path, mismatch: str, rc: int, shown: str) -> None:
    _collection(tmp_path / "collections", **{"meta/runtime.yml": "requires_ansible: '>=2.9,<2.15'\n"})
    proc = _cli(_playbook(tmp_path, [{"resolve.demo.hello": {}}]),
                {"ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH": mismatch})
    assert proc.returncode == rc
    assert f"{shown}Collection resolve.demo does not support Ansible version 2.21" in proc.stderr
