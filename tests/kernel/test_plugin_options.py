"""Plugin options: declaration (OPTIONS or DOCUMENTATION) and Ansible's precedence."""
from __future__ import annotations

import sys
import types

import pytest

from corral.errors import CorralOptionsError
from corral.plugins.options import Option, declared_options, options_from_documentation, resolve_options

DOC = """
options:
  port:
    description: [The port, to connect to.]
    type: int
    default: 22
    vars: [{name: ansible_port}, {name: ansible_ssh_port}]
    env: [{name: ANSIBLE_REMOTE_PORT}]
    ini: [{section: defaults, key: remote_port}]
    cli: [{name: port}]
    keyword: [{name: port}]
  mode:
    choices: [fast, slow]
    default: fast
  password:
    vars: [{name: ansible_password}]
"""

SPECS = options_from_documentation(DOC)


def test_documentation_declares_every_source():
    port = SPECS["port"]
    assert port == Option("port", 22, "int", ("ANSIBLE_REMOTE_PORT",), (("defaults", "remote_port"),),
                          ("ansible_port", "ansible_ssh_port"), (), "The port to connect to.", ("port",),
                          ("port",))
    assert SPECS["password"].secret


@pytest.mark.parametrize("sources, value, origin", [
    ({}, 22, "default"),
    ({"ini": {("defaults", "remote_port"): "2201"}}, 2201, "ini: [defaults] remote_port"),
    ({"env": {"ANSIBLE_REMOTE_PORT": "2202"}}, 2202, "env: ANSIBLE_REMOTE_PORT"),
    ({"env": {"ANSIBLE_REMOTE_PORT": "2202", "CORRAL_REMOTE_PORT": "2203"}}, 2203, "env: CORRAL_REMOTE_PORT"),
    ({"env": {"ANSIBLE_REMOTE_PORT": "2202"}, "cli": {"port": 2204}}, 2204, "cli: port"),
    ({"cli": {"port": 2204}, "keywords": {"port": 2205}}, 2205, "keyword: port"),
    ({"keywords": {"port": 2205}, "variables": {"ansible_port": "2206"}}, 2206, "var: ansible_port"),
    # the last listed variable that is set wins, as in Ansible; None is unset
    ({"variables": {"ansible_port": 1, "ansible_ssh_port": 2}}, 2, "var: ansible_ssh_port"),
    ({"variables": {"ansible_port": 1, "ansible_ssh_port": None}}, 1, "var: ansible_port"),
    ({"variables": {"ansible_port": 1}, "direct": {"port": 3}}, 3, "direct"),
])
def test_precedence(sources, value, origin):
    resolved = resolve_options(SPECS, env=sources.pop("env", {}), **sources)
    assert resolved["port"] == value
    assert resolved.origin("port") == origin


def test_variables_are_templated_and_other_sources_are_not():
    seen = []
    resolved = resolve_options(SPECS, env={}, variables={"ansible_port": "{{ p }}"},
                               template=lambda v: seen.append(v) or "2222")
    assert resolved["port"] == 2222 and seen == ["{{ p }}"]


def test_errors_name_the_plugin_option_and_origin():
    with pytest.raises(CorralOptionsError, match=r"'port' of connection plugin 'x' \(var: ansible_port\)"):
        resolve_options(SPECS, plugin="connection plugin 'x'", env={}, variables={"ansible_port": "abc"})
    with pytest.raises(CorralOptionsError, match="expected one of fast, slow"):
        resolve_options(SPECS, env={}, direct={"mode": "medium"})
    with pytest.raises(CorralOptionsError, match="required option 'dir' .* variable ansible_dir"):
        resolve_options({"dir": Option("dir", vars=("ansible_dir",), required=True)}, env={})


def test_declared_options_merge_bases_and_module_documentation(monkeypatch):
    module = types.ModuleType("third_party_plugin")
    module.DOCUMENTATION = DOC
    exec("class Base:\n    OPTIONS = {'timeout': __import__('corral.plugins.options').plugins.options"
         ".Option('timeout', 10, 'int')}\n"
         "class Plugin(Base):\n    pass\n", module.__dict__)
    monkeypatch.setitem(sys.modules, "third_party_plugin", module)
    names = declared_options(module.Plugin)
    assert list(names) == ["timeout", "port", "mode", "password"]


def test_ini_source_reads_a_config_object(tmp_path):
    from corral.config import Config
    (tmp_path / "corral.cfg").write_text("[defaults]\nremote_port = 2299\n")
    resolved = resolve_options(SPECS, env={}, ini=Config(env={}, cwd=str(tmp_path)))
    assert resolved["port"] == 2299
