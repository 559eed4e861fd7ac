"""Command line and configuration options over real SSH: -u, --private-key, -k, host key
checking settings, jump hosts in inventory, and the old Runner's ``dark`` hosts."""
from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from corral.runner import Runner
from pytest_corral.sshd import target_python

BIN = Path(sys.executable).parent



def _bare_inventory(path: Path, server, count: int = 2, known_hosts: Path | None = None) -> Path:
    """Hosts with address and port only: user, key and host keys come from elsewhere."""
    lines = ["[ssh]\n"] + [f"host{i + 1} ansible_host={server.addresses[i]}\n" for i in range(count)]
    lines += ["[ssh:vars]\n", "ansible_connection=ssh\n", f"ansible_port={server.port}\n",
              f"ansible_python_interpreter={target_python()}\n"]
    if known_hosts is not None:
        lines.append(f"ansible_ssh_known_hosts_file={known_hosts}\n")
    path.write_text("".join(lines))
    return path


def test_user_and_private_key_from_the_command_line(corral_sshd, corral_ssh_user, tmp_path, cli):
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, known_hosts=corral_sshd.known_hosts)
    proc = cli("corral", "all", "-i", str(inventory), "-u", corral_ssh_user.name,
                  "--private-key", str(corral_ssh_user.key), "-m", "command", "-a", "id -un")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(re.findall(rf"^host\d \| CHANGED \| rc=0 >>\n{corral_ssh_user.name}$", proc.stdout, re.M)) == 2


def _run_in_terminal(argv: list[str], env: dict[str, str], answers: dict[bytes, str]) -> tuple[int, str]:
    """Run ``argv`` on a pseudo-terminal, answering each prompt of ``answers`` once."""
    pid, fd = os.forkpty()
    if pid == 0:
        os.execve(argv[0], argv, env)
    output, pending, deadline = b"", dict(answers), time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            for prompt in list(pending):
                if prompt in output:
                    os.write(fd, pending.pop(prompt).encode() + b"\n")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


@pytest.mark.parametrize("become", [False, True])
def test_ask_pass_and_ask_become_pass_read_the_terminal(corral_sshd, corral_ssh_user, tmp_path, cli,
                                                         become):
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, count=1,
                                known_hosts=corral_sshd.known_hosts)
    argv = [str(BIN / "corral"), "all", "-i", str(inventory), "-u", corral_ssh_user.name, "-k",
            "-m", "command", "-a", "id -un"]
    answers = {b"SSH password:": corral_ssh_user.password}
    if become:
        argv += ["--become", "-K"]
        answers[b"BECOME password:"] = corral_ssh_user.password
    env = dict(os.environ, HOME=str(cli.home), CORRAL_NOCOLOR="1")
    env.pop("SSH_AUTH_SOCK", None)
    rc, text = _run_in_terminal(argv, env, answers)
    assert rc == 0, text
    assert re.search(rf"rc=0 >>\r?\n{'root' if become else corral_ssh_user.name}\r?$", text, re.M), text
    assert corral_ssh_user.password not in text


@pytest.mark.parametrize("variable", ["CORRAL_HOST_KEY_CHECKING", "ANSIBLE_HOST_KEY_CHECKING"])
def test_host_key_checking_off_from_the_environment(corral_sshd, corral_ssh_user, tmp_path, cli,
                                                     variable, monkeypatch):
    inventory = corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=1)
    text = inventory.read_text()
    text = re.sub(r"ansible_ssh_known_hosts_file=.*\n", "", text)
    text = re.sub(r"ansible_ssh_common_args=.*\n", f"ansible_ssh_common_args='-o UserKnownHostsFile={tmp_path}/kh'\n", text)
    inventory.write_text(text)
    refused = cli("corral", "all", "-i", str(inventory), "-m", "ping")
    assert refused.returncode == 4
    assert "Host key verification failed" in refused.stdout
    monkeypatch.setenv(variable, "False")
    accepted = cli("corral", "all", "-i", str(inventory), "-m", "ping")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_jump_host_in_the_inventory(corral_sshd, corral_jump_sshd, corral_ssh_user, tmp_path, cli):
    known = tmp_path / "known_hosts"
    known.write_text(corral_sshd.known_hosts.read_text() + corral_jump_sshd.known_hosts.read_text())
    inventory = corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=3)
    text = re.sub(r"ansible_ssh_common_args=.*\n",
                  f"ansible_ssh_common_args='-J {corral_ssh_user.name}@127.0.0.1:{corral_jump_sshd.port} "
                  f"-o UserKnownHostsFile={known}'\n", inventory.read_text())
    inventory.write_text(text)
    before = corral_jump_sshd.accepted_sessions()
    proc = cli("corral", "all", "-i", str(inventory), "-m", "ping")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert corral_jump_sshd.accepted_sessions() - before == 3


def _without_host_keys(inventory: Path) -> Path:
    """``inventory`` with no known_hosts setting: the server's key is unknown."""
    text = re.sub(r"ansible_ssh_(known_hosts_file|common_args)=.*\n", "", inventory.read_text())
    inventory.write_text(text)
    return inventory


@pytest.mark.parametrize("source", ["cli", "env", "ini"])
def test_ssh_arguments_reach_the_ssh_plugin_from_the_command_line_environment_and_config(
        corral_sshd, corral_ssh_user, tmp_path, cli, monkeypatch, source):
    inventory = _without_host_keys(corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=1))
    refused = cli("corral", "all", "-i", str(inventory), "-m", "ping")
    assert refused.returncode == 4 and "Host key verification failed" in refused.stdout
    known = f"-o UserKnownHostsFile={corral_sshd.known_hosts}"
    extra: list[str] = []
    if source == "cli":
        extra = [f"--ssh-extra-args={known}"]
    elif source == "env":
        monkeypatch.setenv("ANSIBLE_SSH_EXTRA_ARGS", known)
    else:
        (tmp_path / "corral.cfg").write_text(f"[ssh_connection]\nssh_args = {known}\n")
        monkeypatch.setenv("CORRAL_CONFIG", str(tmp_path / "corral.cfg"))
    accepted = cli("corral", "all", "-i", str(inventory), "-m", "ping", *extra)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_ssh_common_args_on_the_command_line_reach_a_jump_host(corral_sshd, corral_jump_sshd, corral_ssh_user,
                                                               tmp_path, cli):
    known = tmp_path / "known_hosts"
    known.write_text(corral_sshd.known_hosts.read_text() + corral_jump_sshd.known_hosts.read_text())
    inventory = _without_host_keys(corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=2))
    before = corral_jump_sshd.accepted_sessions()
    proc = cli("corral", "all", "-i", str(inventory), "-m", "ping", "--ssh-common-args="
               f"-J {corral_ssh_user.name}@127.0.0.1:{corral_jump_sshd.port} -o UserKnownHostsFile={known}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert corral_jump_sshd.accepted_sessions() - before == 2


def test_an_invalid_ssh_setting_fails_the_task_naming_host_option_and_source(corral_sshd, corral_ssh_user,
                                                                              tmp_path, cli, monkeypatch):
    inventory = corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=2)
    inventory.write_text(inventory.read_text().replace("host1 ansible_host=", "host1 ansible_ssh_retries=abc "
                                                                              "ansible_host="))
    monkeypatch.setenv("CORRAL_SSH_RETRIES", "two")
    proc = cli("corral", "all", "-i", str(inventory), "-m", "ping")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for host, value, origin in (("host1", "abc", "var: ansible_ssh_retries"),
                                ("host2", "two", "env: CORRAL_SSH_RETRIES")):
        assert (f"{host} | FAILED! => {{\n    \"changed\": false,\n    \"msg\": \"Task failed: Invalid value "
                f"'{value}' for option 'reconnection_retries' of connection plugin 'ssh' for host '{host}' "
                f"({origin}): expected int\"\n}}") in proc.stdout


def test_old_runner_puts_unreachable_hosts_in_dark(corral_sshd, corral_ssh_user, tmp_path):
    inventory = corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=2)
    with open(inventory, "a") as fh:
        fh.write("\n[ssh]\ndown ansible_host=127.0.0.1 ansible_port=1\n")
    results = Runner(pattern="all", forks=3, module_name="command", module_args="echo up",
                     host_list=str(inventory)).run()
    assert sorted(results["contacted"]) == ["host1", "host2"]
    assert all(r["stdout"] == "up" for r in results["contacted"].values())
    assert list(results["dark"]) == ["down"]
    assert "Connection refused" in results["dark"]["down"]["msg"]


@pytest.mark.parametrize("flag", ["--ssh-common-args", "--ssh-extra-args"])
def test_ssh_arguments_of_corral_playbook_reach_the_connection(corral_sshd, corral_ssh_user, tmp_path, cli, flag):
    """``corral-playbook``'s ssh arguments act as the ad-hoc CLI's: the known-hosts
    file they name lets the host key be checked, for commands and file transfers."""
    inventory = _without_host_keys(corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=1))
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n"
                        f"    - copy: {{content: sent, dest: /tmp/corral-ssh-args-{uuid.uuid4().hex}}}\n")
    refused = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert refused.returncode == 4 and "Host key verification failed" in refused.stdout
    accepted = cli("corral-playbook", "-i", str(inventory), str(playbook),
                   f"{flag}=-o UserKnownHostsFile={corral_sshd.known_hosts}")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "changed=1" in accepted.stdout


_WHO = "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: id -un\n      register: who\n" \
       "    - debug: {msg: 'I am {{ who.stdout }}'}\n"


def test_playbook_user_private_key_and_timeout_from_the_command_line(corral_sshd, corral_ssh_user, tmp_path, cli):
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, count=1, known_hosts=corral_sshd.known_hosts)
    (tmp_path / "site.yml").write_text(_WHO)
    proc = cli("corral-playbook", "-i", str(inventory), "-u", corral_ssh_user.name, "--private-key",
               str(corral_ssh_user.key), "-T", "20", str(tmp_path / "site.yml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f'"msg": "I am {corral_ssh_user.name}"' in proc.stdout
    timed_out = cli("corral-playbook", "-i", str(inventory), "-u", corral_ssh_user.name, "--private-key",
                    str(corral_ssh_user.key), "--timeout", "0", str(tmp_path / "site.yml"))
    assert timed_out.returncode == 4, timed_out.stdout + timed_out.stderr


def test_playbook_password_files_log_in_and_become(corral_sshd, corral_ssh_user, tmp_path, cli):
    """``--connection-password-file`` logs in with the password; ``--become-password-file``
    gives sudo its password (``--become-method``, ``--become-user`` choose how and whom)."""
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, count=1, known_hosts=corral_sshd.known_hosts)
    (tmp_path / "site.yml").write_text(_WHO)
    secret = tmp_path / "password"
    secret.write_text(corral_ssh_user.password + "\n")
    proc = cli("corral-playbook", "-i", str(inventory), "-u", corral_ssh_user.name, "--connection-password-file",
               str(secret), "--become", "--become-method", "sudo", "--become-user", "root", "--become-password-file",
               str(secret), str(tmp_path / "site.yml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"msg": "I am root"' in proc.stdout
    assert corral_ssh_user.password not in proc.stdout


def test_playbook_ask_pass_and_ask_become_pass_read_the_terminal(corral_sshd, corral_ssh_user, tmp_path, cli):
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, count=1, known_hosts=corral_sshd.known_hosts)
    (tmp_path / "site.yml").write_text(_WHO)
    argv = [str(BIN / "corral-playbook"), "-i", str(inventory), "-u", corral_ssh_user.name, "-k", "--become",
            "-K", str(tmp_path / "site.yml")]
    env = dict(os.environ, HOME=str(cli.home), CORRAL_NOCOLOR="1")
    env.pop("SSH_AUTH_SOCK", None)
    rc, text = _run_in_terminal(argv, env, {b"SSH password:": corral_ssh_user.password,
                                            b"BECOME password:": corral_ssh_user.password})
    assert rc == 0, text
    assert '"msg": "I am root"' in text
    assert corral_ssh_user.password not in text


def test_adhoc_password_files_log_in_and_become(corral_sshd, corral_ssh_user, tmp_path, cli):
    """The ad-hoc CLI's ``--connection-password-file`` logs in with the password (no key
    is given), ``--become-password-file`` gives sudo its password, ``--become-method``
    and ``--become-user`` choose how and whom: the command runs as root."""
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, count=1, known_hosts=corral_sshd.known_hosts)
    secret = tmp_path / "password"
    secret.write_text(corral_ssh_user.password + "\n")
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password\n")
    base = ["corral", "all", "-i", str(inventory), "-u", corral_ssh_user.name, "-m", "command", "-a", "id -un"]
    proc = cli(*base, "--connection-password-file", str(secret), "--become", "--become-method", "sudo",
               "--become-user", "root", "--become-password-file", str(secret))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^host1 \| CHANGED \| rc=0 >>\nroot$", proc.stdout, re.M), proc.stdout
    assert corral_ssh_user.password not in proc.stdout + proc.stderr
    refused = cli(*base, "--connection-password-file", str(wrong))
    assert refused.returncode == 4, refused.stdout + refused.stderr
    bad_sudo = cli(*base, "--connection-password-file", str(secret), "-b", "--become-password-file", str(wrong))
    assert bad_sudo.returncode == 2 and "Incorrect sudo password" in bad_sudo.stdout, bad_sudo.stdout


def test_adhoc_connection_timeout(corral_sshd, corral_ssh_user, tmp_path, cli):
    """``-T``/``--timeout`` is the connection's time limit: a generous one logs in, none
    left (0) makes the host unreachable."""
    inventory = _bare_inventory(tmp_path / "inv.ini", corral_sshd, count=1, known_hosts=corral_sshd.known_hosts)
    base = ["corral", "all", "-i", str(inventory), "-u", corral_ssh_user.name, "--private-key",
            str(corral_ssh_user.key), "-m", "ping"]
    proc = cli(*base, "-T", "20")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    timed_out = cli(*base, "--timeout", "0")
    assert timed_out.returncode == 4, timed_out.stdout + timed_out.stderr
    assert "host1 | UNREACHABLE!" in timed_out.stdout


@pytest.mark.parametrize("flag", ["--sftp-extra-args", "--scp-extra-args"])
def test_sftp_and_scp_extra_args_reach_the_program_that_moves_files(corral_ssh_inventory, tmp_path, cli, flag):
    """With ``--sftp-extra-args`` (``--scp-extra-args``) set, on ``corral-playbook`` and
    ``corral``, files go through OpenSSH's
    sftp (scp) program, which gets those arguments: here a control master whose socket
    appears where they say; a bad argument fails the transfer with the program's own
    message.  Copy and fetch both work through it."""
    inventory = corral_ssh_inventory(count=1)
    source = tmp_path / "src.txt"
    source.write_text("payload\n")
    remote = f"/tmp/corral-{flag[2:-11]}-{uuid.uuid4().hex}.txt"
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: ssh\n  gather_facts: false\n  tasks:\n"
                        f"    - copy: {{src: {source}, dest: {remote}, mode: '0640'}}\n"
                        f"    - fetch: {{src: {remote}, dest: {tmp_path}/back.txt, flat: true}}\n"
                        f"    - file: {{path: {remote}, state: absent}}\n")
    socket = tmp_path / "cm"
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook),
               f"{flag}=-o ControlMaster=auto -o ControlPersist=30 -o ControlPath={socket}")
    try:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert socket.exists()          # the program ran with the arguments
        assert (tmp_path / "back.txt").read_text() == "payload\n" and "changed=3" in proc.stdout
        refused = cli("corral-playbook", "-i", str(inventory), str(playbook), f"{flag}=-Z")
        assert refused.returncode == 2
        program = flag[2:-11]
        assert f"{program} failed: {program}: unknown option -- Z" in refused.stdout or \
            f"{program} failed: unknown option -- Z" in refused.stdout, refused.stdout
        adhoc = cli("corral", "all", "-i", str(inventory), "-m", "copy", "-a", f"src={source} dest={remote}",
                    f"{flag}=-o ControlMaster=auto -o ControlPersist=30 -o ControlPath={socket}-adhoc")
        assert adhoc.returncode == 0 and "CHANGED" in adhoc.stdout, adhoc.stdout + adhoc.stderr
        assert Path(f"{socket}-adhoc").exists()
    finally:
        cli("corral", "all", "-i", str(inventory), "-m", "file", "-a", f"path={remote} state=absent")
        for path in (socket, f"{socket}-adhoc"):
            subprocess.run(["ssh", "-o", f"ControlPath={path}", "-O", "exit", "placeholder"], capture_output=True,
                           timeout=30)
