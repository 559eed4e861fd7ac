"""Resolving ssh settings from options, OpenSSH arguments and the ssh config."""
from __future__ import annotations

import getpass

import pytest

from corral.errors import CorralOptionsError
from corral.plugins.connection import ConnectionOptions
from corral_connection_ssh import SshConnection
from corral_connection_ssh.settings import parse_ssh_args, resolve


def _options(variables=None, **direct) -> ConnectionOptions:
    """Host ``web``'s options: ``variables`` are its host variables, ``direct`` options set directly."""
    return SshConnection.options_for("ssh", "web", variables=variables, direct=direct, env={}, ini={})


@pytest.fixture(autouse=True)
def empty_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_parse_ssh_args_forms():
    options, jumps = parse_ssh_args(
        "-o ControlMaster=auto -oPort=2200 -o 'User bob' -J a@j1:2222,j2 -p 99 -i ~/k -l carol -F /cfg")
    assert options["port"] == ["2200", "99"]
    assert options["user"] == ["bob", "carol"]
    assert options["identityfile"] == ["~/k"]
    assert options["configfile"] == ["/cfg"]
    assert jumps == ["a@j1:2222", "j2"]


def test_parse_ssh_args_errors():
    with pytest.raises(CorralOptionsError, match="needs a value"):
        parse_ssh_args("-p")
    with pytest.raises(CorralOptionsError, match="cannot parse"):
        parse_ssh_args("-o 'unterminated")


def test_defaults():
    s = resolve(_options())
    assert (s.target.host, s.target.port, s.target.user) == ("web", 22, getpass.getuser())
    assert s.host_key_checking and s.retries == 0 and s.jumps == ()


def test_options_beat_arguments_beat_config(empty_home):
    (empty_home / ".ssh").mkdir()
    (empty_home / ".ssh" / "config").write_text("Host web\n  HostName 10.0.0.9\n  Port 2022\n  User cfg\n")
    assert resolve(_options()).target.port == 2022
    assert resolve(_options(ssh_common_args="-p 3033")).target.port == 3033
    s = resolve(_options(port=4044, remote_user="opt", ssh_common_args="-p 3033 -l arg"))
    assert (s.target.host, s.target.port, s.target.user) == ("10.0.0.9", 4044, "opt")


def test_ipv6_jump_spec_and_target():
    s = resolve(_options(remote_addr="[::1]", port=2222, remote_user="u", ssh_common_args="-J ju@[::1]:2200"))
    assert s.target.host == "::1"
    assert (s.jumps[0].host, s.jumps[0].port, s.jumps[0].user) == ("::1", 2200, "ju")
    assert str(s.jumps[0]) == "ju@[::1]:2200"


def test_retries_and_connection_attempts():
    assert resolve(_options({"ansible_ssh_retries": "3"})).retries == 3
    assert resolve(_options(ssh_extra_args="-o ConnectionAttempts=4")).retries == 3


def test_strict_host_key_checking_no_turns_checking_off():
    assert not resolve(_options(ssh_common_args="-o StrictHostKeyChecking=no")).host_key_checking
    assert not resolve(_options(ssh_common_args="-o StrictHostKeyChecking=accept-new")).host_key_checking
    assert resolve(_options(ssh_common_args="-o StrictHostKeyChecking=yes")).host_key_checking


def test_known_hosts_files_in_order(empty_home):
    s = resolve(_options(ssh_common_args="-o UserKnownHostsFile=/a/kh",
                         variables={"ansible_ssh_known_hosts_file": "/b/kh,/c/kh"}))
    assert s.known_hosts_files == ("/a/kh", "/b/kh", "/c/kh", "/etc/ssh/ssh_known_hosts")
    default = resolve(_options()).known_hosts_files
    assert default[0] == f"{empty_home}/.ssh/known_hosts"
