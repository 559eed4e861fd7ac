"""``-vvvv`` over real SSH with a become password: the connection trace is shown
(``ESTABLISH SSH CONNECTION``, ``EXEC``, ``PUT``) and no secret is: not the become
password, not a ``no_log`` value."""
from __future__ import annotations


def test_vvvv_trace_shows_no_secrets(corral_ssh_inventory, corral_ssh_user, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1, become_password=True)
    secret = "s3cr3t-no-log-value-42"
    (tmp_path / "data.txt").write_text("data\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text(f"""
- hosts: ssh
  gather_facts: false
  tasks:
    - command: id -un
      become: true
    - copy: src={tmp_path}/data.txt dest={corral_ssh_user.home}/verbose-data.txt
    - command: echo {secret}
      no_log: true
    - raw: echo {secret}
      no_log: true
    - debug: msg="{{{{ '{secret}' }}}}"
      no_log: true
""")
    proc = cli("corral-playbook", "-vvvv", "-i", str(inventory), str(playbook))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert f"ESTABLISH SSH CONNECTION FOR USER: {corral_ssh_user.name}" in out
    assert "> EXEC " in out and "> PUT " in out
    assert "EXEC (the command is hidden: 'no_log: true' was specified for this task)" in out
    assert corral_ssh_user.password not in out
    assert secret not in out


def test_vvvv_shows_the_connection_options_and_no_password(corral_sshd, corral_ssh_user, tmp_path, cli):
    """At ``-vvvv`` each task's ``ESTABLISH`` line is followed by the options the
    connection was given and where they came from (the paramiko connection's
    equivalent of the ssh command line ansible-core shows); the login and become
    passwords given in files are named by their files only."""
    inventory = tmp_path / "inv.ini"
    inventory.write_text(f"host1 ansible_host=127.0.0.1 ansible_port={corral_sshd.port} ansible_connection=ssh "
                         f"ansible_ssh_known_hosts_file={corral_sshd.known_hosts} "
                         "ansible_python_interpreter=/usr/bin/python3\n")
    secret = tmp_path / "password"
    secret.write_text(corral_ssh_user.password + "\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - command: id -un\n      become: true\n")
    proc = cli("corral-playbook", "-vvvv", "-i", str(inventory), "-u", corral_ssh_user.name,
               "--connection-password-file", str(secret), "--become-password-file", str(secret), str(playbook))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    options = [line for line in out.splitlines() if line.startswith("<127.0.0.1> SSH CONNECTION OPTIONS: ")]
    assert options, out
    assert f"port={corral_sshd.port} (var: ansible_port)" in options[0]
    assert f"remote_user='{corral_ssh_user.name}' (cli: remote_user)" in options[0]
    assert "password" not in options[0]
    assert f"connection_password_file: {secret}\n" in out and f"become_password_file: {secret}\n" in out
    assert corral_ssh_user.password not in out
