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
