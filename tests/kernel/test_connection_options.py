"""Connection options: a connection class declares them over the common ones, the kernel
resolves them per host (``ConnectionBase.options_for``) and the instance reads them."""
from __future__ import annotations

import collections
import pickle
from typing import Any

import pytest

from corral.config import Config
from corral.errors import CorralOptionsError
from corral.executor.task_executor import _present
from corral.plugins.connection import COMMON_OPTIONS, ConnectionBase, ConnectionOptions
from corral.plugins.options import Option
from corral.settings import RunSettings


class BoxConnection(ConnectionBase):
    """A throwaway connection with options of its own."""

    OPTIONS = {
        "box_name": Option("box_name", vars=("ansible_box_name",), env=("ANSIBLE_BOX_NAME",),
                           ini=(("box_connection", "name"),), cli=("box_name",)),
        "box_mounts": Option("box_mounts", type="list", default=["/srv"], vars=("ansible_box_mounts",)),
        "port": Option("port", type="int", default=7000, vars=("ansible_port", "ansible_box_port"),
                       keywords=("port",)),
    }


class SmallBoxConnection(BoxConnection):
    OPTIONS = {"box_size": Option("box_size", type="int", default=1, vars=("ansible_box_size",))}


def _resolve(cls: type[ConnectionBase] = BoxConnection, **sources: Any) -> ConnectionOptions:
    return cls.options_for("box", "web1", **{"env": {}, "ini": {}, **sources})


def test_a_class_declares_its_options_over_its_bases_once():
    specs = SmallBoxConnection.option_specs()
    assert set(COMMON_OPTIONS) <= set(specs)
    assert {"box_name", "box_mounts", "box_size"} <= set(specs)
    assert specs["port"].default == 7000 and specs["timeout"] is COMMON_OPTIONS["timeout"]
    assert SmallBoxConnection.option_specs() is specs
    assert BoxConnection.option_specs() is not specs and "box_size" not in BoxConnection.option_specs()
    assert BoxConnection.option_names("vars") >= {"ansible_box_name", "ansible_port", "ansible_box_port",
                                                  "ansible_host", "ansible_user"}
    assert BoxConnection.option_names("keywords") == {"port", "remote_user"}


def test_each_source_reaches_the_plugin(tmp_path):
    defaults = _resolve()
    assert defaults.get("remote_addr") == "web1"         # the inventory hostname by default
    assert (defaults.get("port"), defaults.get("timeout"), defaults.get("box_mounts")) == (7000, 10, ("/srv",))
    assert defaults.origin("port") == "default"
    cfg = tmp_path / "corral.cfg"
    cfg.write_text("[box_connection]\nname = from-ini\n[defaults]\ntimeout = 33\n")
    from_ini = _resolve(ini=Config(env={"CORRAL_CONFIG": str(cfg)}))
    assert (from_ini.get("box_name"), from_ini.origin("box_name")) == ("from-ini", "ini: [box_connection] name")
    assert from_ini.get("timeout") == 33
    from_env = _resolve(env={"ANSIBLE_BOX_NAME": "ansible", "CORRAL_BOX_NAME": "corral"})
    assert (from_env.get("box_name"), from_env.origin("box_name")) == ("corral", "env: CORRAL_BOX_NAME")
    from_cli = _resolve(env={"ANSIBLE_BOX_NAME": "env"}, cli={"box_name": "cli", "remote_user": "u"})
    assert (from_cli.get("box_name"), from_cli.get("remote_user")) == ("cli", "u")
    from_vars = _resolve(cli={"box_name": "cli"}, keywords={"port": 7001},
                         variables={"ansible_box_name": "{{ name }}", "ansible_box_port": "7002",
                                    "ansible_host": "10.0.0.1"},
                         template=lambda value: value.replace("{{ name }}", "templated"))
    assert (from_vars.get("box_name"), from_vars.get("port"), from_vars.get("remote_addr")) == \
        ("templated", 7002, "10.0.0.1")
    assert from_vars.origin("port") == "var: ansible_box_port"


def test_options_compare_hash_and_travel_to_workers():
    first = _resolve(variables={"ansible_box_mounts": "/a,/b", "ansible_password": "s3cret"})
    again = _resolve(variables={"ansible_box_mounts": ["/a", "/b"], "ansible_password": "s3cret"})
    assert first == again and hash(first) == hash(again)      # equal options share one connection
    assert first.get("box_mounts") == ("/a", "/b")
    assert first != _resolve(variables={"ansible_box_mounts": "/a"})
    copy = pickle.loads(pickle.dumps(first))
    assert copy == first and copy.get("password") == "s3cret" and copy.origin("password") == "var: ansible_password"
    assert "s3cret" not in repr(first) and "password" in repr(first)


def test_the_plugin_reads_its_own_options():
    connection = BoxConnection(_resolve(variables={"ansible_box_name": "b"}))
    assert connection.get_option("box_name") == "b"
    assert connection.get_option("remote_user") is None
    with pytest.raises(KeyError, match="connection plugin 'box' has no option 'nsenter_pid'"):
        connection.get_option("nsenter_pid")


def test_a_bad_value_names_host_option_and_source():
    with pytest.raises(CorralOptionsError, match=r"Invalid value 'x' for option 'box_size' of connection plugin "
                                                 r"'box' for host 'web1' \(var: ansible_box_size\): expected int"):
        _resolve(SmallBoxConnection, variables={"ansible_box_size": "x"})
    # the options every connection shares are worded as Ansible words a bad keyword
    with pytest.raises(CorralOptionsError, match=r"^Error processing keyword 'timeout': The value 'soon' could "
                                                 r"not be converted to 'int'\.$"):
        _resolve(variables={"ansible_timeout": "soon"})


def test_only_the_declared_variables_are_read_from_the_layers():
    layers = collections.ChainMap({"ansible_port": 1}, collections.ChainMap({"other": 2}, {"ansible_port": 3,
                                                                                       "ansible_user": "u"}))
    assert _present(layers, frozenset({"ansible_port", "ansible_user", "missing"})) == \
        {"ansible_port": 1, "ansible_user": "u"}


def test_the_command_line_values_travel_by_ansibles_names():
    config = Config(env={})
    run_wide = {"check": False, "diff": False, "verbosity": 0, "forks": int(config.get("forks"))}

    def cli(options: object, passwords: dict) -> dict:
        return RunSettings.from_ansible_options(options, passwords, config).cli_options()

    Options = collections.namedtuple("Options", "connection remote_user ssh_common_args forks")
    seed = Options("ssh", "deploy", "-o ProxyJump=j", None)
    assert cli(seed, {"conn_pass": "pw"}) == {"connection": "ssh", "remote_user": "deploy",
                                              "ssh_common_args": "-o ProxyJump=j", "conn_pass": "pw", **run_wide}
    assert cli({"timeout": 5, "become": None}, {}) == {"timeout": 5, **run_wide}

    class RunOptions:
        def __init__(self) -> None:
            self.private_key_file = "/k"
            self.passwords = {"conn_pass": "never here"}
            self._private = 1

    assert cli(RunOptions(), {}) == {"private_key_file": "/k", **run_wide}
    assert cli(None, {}) == run_wide
