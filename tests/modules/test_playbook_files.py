"""File modules and their actions through ``corral-playbook`` on localhost: effect,
idempotence (second run changed=0), check mode and --diff."""
from __future__ import annotations

import os
import stat

import pytest

# every test runs over each executor: forking, and ray on a local two-node cluster
pytestmark = pytest.mark.usefixtures("executor_name")


def test_copy_template_fetch_idempotent_with_check_and_diff(tmp_path, playbook):
    (tmp_path / "files" / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "files" / "tree" / "sub" / "leaf.txt").write_text("leaf\n")
    (tmp_path / "files" / "plain.txt").write_text("plain\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "conf.j2").write_text(
        "name={{ name }}\n{% for i in [0, 1] %}\nitem {{ i }}\n{% endfor %}\n")
    out = tmp_path / "out"
    creating = f"""
    - file: {{path: {out}, state: directory}}
    - copy: {{src: plain.txt, dest: {out}/, mode: "0640"}}
    - copy: {{src: tree, dest: {out}}}
    - copy: {{content: "inline", dest: {out}/inline.txt}}
    - template: {{src: conf.j2, dest: {out}/conf}}
      vars: {{name: corral}}
    """
    tasks = creating + f"""
    - fetch: {{src: {out}/conf, dest: fetched}}
    - lineinfile: {{path: {out}/lines, line: "extra=1", create: true}}
    """
    checked = playbook(creating, "--check")
    assert checked["rc"] == 0 and not out.exists(), checked["stdout"]
    assert [t["changed"] for t in checked["tasks"]] == [True] * 5

    first = playbook(tasks, "--diff")
    assert first["rc"] == 0, first["stdout"]
    assert [t["changed"] for t in first["tasks"]] == [True] * 7
    assert (out / "plain.txt").read_text() == "plain\n"
    assert stat.S_IMODE(os.stat(out / "plain.txt").st_mode) == 0o640
    assert (out / "tree" / "sub" / "leaf.txt").read_text() == "leaf\n"
    assert (out / "inline.txt").read_text() == "inline"
    assert (out / "conf").read_text() == "name=corral\nitem 0\nitem 1\n"
    assert (out / "lines").read_text() == "extra=1\n"
    assert (tmp_path / "fetched" / "localhost" / str(out / "conf").lstrip("/")).read_text() == \
        "name=corral\nitem 0\nitem 1\n"
    template_diff = first["tasks"][4]["diff"]
    assert template_diff["before"] == "" and template_diff["after"] == "name=corral\nitem 0\nitem 1\n"
    copy_result = first["tasks"][1]
    assert copy_result["dest"] == str(out / "plain.txt") and copy_result["checksum"]

    (out / "plain.txt").write_text("edited\n")
    check_again = playbook(tasks, "--check", "--diff")
    assert check_again["tasks"][1]["changed"] is True
    assert check_again["tasks"][1]["diff"]["before"] == "edited\n"
    assert (out / "plain.txt").read_text() == "edited\n"

    playbook(tasks)
    second = playbook(tasks)
    assert second["rc"] == 0
    assert second["stats"]["changed"] == 0, [t.get("changed") for t in second["tasks"]]


def test_bad_arguments_fail_the_task_with_ansible_messages(tmp_path, playbook):
    result = playbook(f"""
    - file: {{path: {tmp_path}/x, bogus: 1}}
      ignore_errors: true
    - file: {{state: touch}}
      ignore_errors: true
    - file: {{path: {tmp_path}/x, state: touch, recurse: maybe}}
      ignore_errors: true
    - copy: {{src: does-not-exist.txt, dest: {tmp_path}/y}}
      ignore_errors: true
    """)
    messages = [t["msg"] for t in result["tasks"]]
    assert messages[0].startswith("Unsupported parameters for (file) module: bogus. Supported parameters include:")
    assert messages[1] == "missing required arguments: path"
    assert messages[2].startswith("argument 'recurse' is of type str and we were unable to convert to bool")
    assert "does-not-exist.txt" in messages[3]
    assert all(t["failed"] for t in result["tasks"])


def test_vaulted_sources_are_decrypted(tmp_path, playbook):
    import subprocess
    import sys

    password = tmp_path / "vault-pass"
    password.write_text("s3cret\n")
    (tmp_path / "files").mkdir()
    (tmp_path / "templates").mkdir()
    secret = tmp_path / "files" / "secret.txt"
    secret.write_text("top secret\n")
    template = tmp_path / "templates" / "secret.j2"
    template.write_text("value={{ 40 + 2 }}\n")
    vault = os.path.join(os.path.dirname(sys.executable), "corral-vault")
    for path in (secret, template):
        subprocess.run([vault, "encrypt", "--vault-password-file", str(password), str(path)], check=True,
                       capture_output=True)
    assert secret.read_text().startswith("$ANSIBLE_VAULT")
    out = tmp_path / "out"
    result = playbook(f"""
    - file: {{path: {out}, state: directory}}
    - copy: {{src: secret.txt, dest: {out}/plain.txt}}
    - copy: {{src: secret.txt, dest: {out}/still-encrypted.txt, decrypt: false}}
    - template: {{src: secret.j2, dest: {out}/rendered}}
    """, "--vault-password-file", str(password))
    assert result["rc"] == 0, result["stdout"]
    assert (out / "plain.txt").read_text() == "top secret\n"
    assert (out / "still-encrypted.txt").read_text().startswith("$ANSIBLE_VAULT")
    assert (out / "rendered").read_text() == "value=42\n"
