"""Vaulted content is decrypted wherever Ansible decrypts it, in one playbook run:
vars_files, inline !vault values, lookup('file'), copy/template/script sources."""
from __future__ import annotations

from pathlib import Path

from .conftest import run


def _encrypt(path: Path, password_file: Path) -> None:
    result = run(["corral-vault", "encrypt", "--vault-password-file", str(password_file), str(path)])
    assert result.returncode == 0, result.stderr


def test_every_place_of_decryption(tmp_path: Path, local_inventory: Path) -> None:
    password = tmp_path / "pass"
    password.write_text("sekrit\n")
    (tmp_path / "vars.yml").write_text("secret_var: s3cret\n")
    (tmp_path / "f.txt").write_text("file content\n")
    (tmp_path / "t.j2").write_text("tmpl {{ secret_var }}\n")
    (tmp_path / "s.sh").write_text("#!/bin/sh\necho from-script\n")
    for name in ("vars.yml", "f.txt", "t.j2", "s.sh"):
        _encrypt(tmp_path / name, password)
    inline = run(["corral-vault", "encrypt_string", "--vault-password-file", str(password), "inline!",
                  "--name", "inline"])
    (tmp_path / "inline.yml").write_text(inline.stdout)
    out = tmp_path / "out"
    (tmp_path / "site.yml").write_text(f"""
- hosts: all
  gather_facts: false
  vars_files: [vars.yml, inline.yml]
  tasks:
    - debug: msg="{{{{ secret_var }}}} {{{{ inline }}}} {{{{ lookup('file', 'f.txt') }}}}"
    - copy: src=f.txt dest={out}-copy
    - template: src=t.j2 dest={out}-template
    - script: s.sh
      register: script
    - debug: msg="{{{{ script.stdout | trim }}}}"
""")
    result = run(["corral-playbook", "-i", str(local_inventory), str(tmp_path / "site.yml"),
                  "--vault-password-file", str(password)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"msg": "s3cret inline! file content"' in result.stdout
    assert '"msg": "from-script"' in result.stdout
    assert Path(f"{out}-copy").read_text() == "file content\n"
    assert Path(f"{out}-template").read_text().startswith("tmpl s3cret")

    wrong = tmp_path / "wrong"
    wrong.write_text("nope\n")
    result = run(["corral-playbook", "-i", str(local_inventory), str(tmp_path / "site.yml"),
                  "--vault-password-file", str(wrong)])
    assert result.returncode != 0
    assert f"Decryption failed on '{tmp_path / 'vars.yml'}'" in result.stderr
