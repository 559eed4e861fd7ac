"""``corral-vault`` end to end: the installed console script run as a subprocess."""
from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from corral.parsing.dataloader import DataLoader
from corral.parsing.vault import VaultLib, VaultSecret, is_encrypted

from vault_helpers import CORRAL_VAULT, DEV_PASSWORD, ORACLE_VAULT, PASSWORD, clean_env

PW = ("--vault-password-file", "pw")
DEV = ("--vault-id", "dev@devpw")
EDITOR_SCRIPT = r'''
import json, os, sys
path = sys.argv[-1]
info = {"path": path, "mode": os.stat(path).st_mode & 0o777,
        "dir_mode": os.stat(os.path.dirname(path)).st_mode & 0o777, "before": open(path).read()}
json.dump(info, open(os.environ["EDIT_LOG"], "w"))
if "EDIT_CONTENT" in os.environ:
    open(path, "w").write(os.environ["EDIT_CONTENT"])
sys.exit(int(os.environ.get("EDIT_STATUS", "0")))
'''


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def decrypt(data: bytes, password: str = PASSWORD, vault_id: str = "default") -> bytes:
    return VaultLib([(vault_id, VaultSecret(password))]).decrypt(data)


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")]


def assert_error(proc, status: int = 1, text: str = "") -> None:
    err = proc.stderr.decode()
    assert proc.returncode == status, err
    assert err.startswith("ERROR! ") or "\nERROR! " in err
    assert text in err
    assert "Traceback" not in err


@pytest.fixture
def editor(workdir: Path):
    script = workdir / "editor.py"
    script.write_text(EDITOR_SCRIPT)
    log = workdir / "edit.json"

    def env(content: str | None = None, status: int = 0) -> dict[str, str]:
        values = {"EDITOR": f"{sys.executable} {script}", "EDIT_LOG": str(log), "EDIT_STATUS": str(status)}
        if content is not None:
            values["EDIT_CONTENT"] = content
        return values

    env.log = lambda: json.loads(log.read_text())  # type: ignore[attr-defined]
    return env


# -- encrypt / decrypt / view -----------------------------------------------------

def test_encrypt_then_decrypt_in_place_makes_the_file_private(workdir, run_vault):
    # as ansible-vault: encrypt and decrypt write 0600 whatever the mode was (issue #10)
    target = workdir / "secrets.yml"
    target.write_text("a: 1\n")
    target.chmod(0o640)
    proc = run_vault("encrypt", *PW, "secrets.yml")
    assert proc.returncode == 0 and b"Encryption successful" in proc.stderr
    assert target.read_bytes().startswith(b"$ANSIBLE_VAULT;1.1;AES256\n") and mode(target) == 0o600
    target.chmod(0o644)
    proc = run_vault("decrypt", *PW, "secrets.yml")
    assert proc.returncode == 0 and b"Decryption successful" in proc.stderr
    assert target.read_text() == "a: 1\n" and mode(target) == 0o600
    assert leftovers(workdir) == []


def test_several_files_and_symlinks(workdir, run_vault):
    (workdir / "one").write_text("1")
    (workdir / "two").write_text("2")
    (workdir / "link").symlink_to("two")
    assert run_vault("encrypt", *PW, "one", "link").returncode == 0
    assert (workdir / "link").is_symlink() and is_encrypted((workdir / "two").read_bytes())
    proc = run_vault("view", *PW, "one", "two")
    assert proc.returncode == 0 and proc.stdout == b"12"


def test_stdin_to_stdout(run_vault):
    encrypted = run_vault("encrypt", *PW, input=b"from stdin\n")
    assert encrypted.returncode == 0 and decrypt(encrypted.stdout) == b"from stdin\n"
    decrypted = run_vault("decrypt", *PW, "-", input=encrypted.stdout)
    assert decrypted.returncode == 0 and decrypted.stdout == b"from stdin\n"


def test_output_option(workdir, run_vault):
    (workdir / "plain").write_bytes(b"\x00binary\xff")
    assert run_vault("encrypt", *PW, "plain", "--output", "out.vault").returncode == 0
    assert (workdir / "plain").read_bytes() == b"\x00binary\xff"
    assert decrypt((workdir / "out.vault").read_bytes()) == b"\x00binary\xff" and mode(workdir / "out.vault") == 0o600
    proc = run_vault("decrypt", *PW, "out.vault", "--output", "-")
    assert proc.returncode == 0 and proc.stdout == b"\x00binary\xff"
    assert is_encrypted((workdir / "out.vault").read_bytes())
    assert_error(run_vault("encrypt", *PW, "plain", "out.vault", "--output", "x"), 5, "--output")


def test_encrypt_refuses_vaults_and_decrypt_refuses_plain_files(workdir, run_vault):
    (workdir / "f").write_text("x")
    assert run_vault("encrypt", *PW, "f").returncode == 0
    before = (workdir / "f").read_bytes()
    assert_error(run_vault("encrypt", *PW, "f"), 1, "already encrypted")
    assert (workdir / "f").read_bytes() == before
    (workdir / "p").write_text("plain")
    assert_error(run_vault("decrypt", *PW, "p"), 1, "not vault encrypted")
    assert_error(run_vault("view", *PW, "missing"), 1, "missing")


# -- failures leave nothing behind ------------------------------------------------------

def damaged_copies(vaulttext: bytes) -> dict[str, bytes]:
    lines = vaulttext.splitlines(keepends=True)
    line = bytearray(lines[3])
    line[5] = ord("a") if line[5] != ord("a") else ord("b")
    return {"tampered": b"".join(lines[:3] + [bytes(line)] + lines[4:]),
            "truncated": b"".join(lines[:-2]),
            "cut mid-line": vaulttext[:-7]}


@pytest.mark.parametrize("case", ["wrong password", "tampered", "truncated", "cut mid-line"])
def test_bad_input_fails_cleanly(workdir, run_vault, case):
    vaulttext = VaultLib([("default", VaultSecret(PASSWORD))]).encrypt(b"line\n" * 40)
    data = vaulttext if case == "wrong password" else damaged_copies(vaulttext)[case]
    password = ("--vault-id", "devpw") if case == "wrong password" else PW
    (workdir / "v.yml").write_bytes(data)
    for args in (("decrypt", "v.yml"), ("decrypt", "v.yml", "--output", "out"), ("view", "v.yml"),
                 ("rekey", "--new-vault-password-file", "devpw", "v.yml")):
        proc = run_vault(*args, *password)
        assert_error(proc, 1, "v.yml")
        assert proc.stdout == b""
        assert (workdir / "v.yml").read_bytes() == data
        assert not (workdir / "out").exists()
    proc = run_vault("decrypt", *password, input=data)
    assert_error(proc, 1, "stdin")
    assert proc.stdout == b""
    assert leftovers(workdir) == []


def test_wrong_password_message_names_the_ids_tried(workdir, run_vault):
    (workdir / "v.yml").write_bytes(VaultLib([("dev", VaultSecret(DEV_PASSWORD))]).encrypt(b"x", vault_id="dev"))
    assert_error(run_vault("view", "--vault-id", "prod@pw", "--vault-id", "qa@pw", "v.yml"), 1,
                 "vault ids tried: prod, qa")
    proc = run_vault("view", "--vault-id", "prod@pw", *DEV, "v.yml")
    assert proc.returncode == 0 and proc.stdout == b"x"


# -- secrets on the command line -----------------------------------------------------------

def test_several_vault_ids_need_encrypt_vault_id(workdir, run_vault):
    (workdir / "f").write_text("x")
    assert_error(run_vault("encrypt", *DEV, "--vault-id", "pw", "f"), 1, "--encrypt-vault-id")
    assert (workdir / "f").read_text() == "x"
    assert run_vault("encrypt", *DEV, "--vault-id", "pw", "--encrypt-vault-id", "dev", "f").returncode == 0
    assert (workdir / "f").read_bytes().startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert decrypt((workdir / "f").read_bytes(), DEV_PASSWORD) == b"x"


def test_ask_vault_pass_reads_the_prompt_answers(workdir, run_vault):
    proc = run_vault("encrypt", "--ask-vault-pass", "--output", "f", input=b"typed\ntyped\ndata")
    assert proc.returncode == 0, proc.stderr
    assert b"New Vault password: " in proc.stderr and b"Confirm New Vault password: " in proc.stderr
    assert decrypt((workdir / "f").read_bytes(), "typed") == b"data"
    assert_error(run_vault("encrypt", "-J", input=b"one\ntwo\n"), 1, "do not match")
    proc = run_vault("view", "f", input=b"typed\n")  # no option: corral-vault asks
    assert proc.returncode == 0 and proc.stdout == b"data" and b"Vault password: " in proc.stderr
    assert_error(run_vault("view", "f"), 1, "end of input")


def test_password_scripts_and_client_scripts(workdir, run_vault):
    script = workdir / "pass.sh"
    script.write_text(f"#!/bin/sh\necho '{PASSWORD}'\n")
    script.chmod(0o700)
    client = workdir / "store-client.sh"
    client.write_text(f"#!/bin/sh\n[ \"$2\" = dev ] && echo '{DEV_PASSWORD}' || exit 2\n")
    client.chmod(0o700)
    (workdir / "f").write_text("x")
    assert run_vault("encrypt", "--vault-password-file", "./pass.sh", "f").returncode == 0
    assert decrypt((workdir / "f").read_bytes()) == b"x"
    assert run_vault("rekey", *PW, "--new-vault-id", "dev@./store-client.sh", "f").returncode == 0
    assert decrypt((workdir / "f").read_bytes(), DEV_PASSWORD, "dev") == b"x"
    assert_error(run_vault("view", "--vault-id", "prod@./store-client.sh", "f"), 1, "vault id 'prod'")


def test_configured_password_file(workdir, run_vault):
    (workdir / "f").write_text("x")
    assert run_vault("encrypt", "f", env={"ANSIBLE_VAULT_PASSWORD_FILE": str(workdir / "pw")}).returncode == 0
    assert decrypt((workdir / "f").read_bytes()) == b"x"
    (workdir / "ansible.cfg").write_text("[defaults]\nvault_identity_list = dev@devpw\n")
    proc = run_vault("view", "f", env={"ANSIBLE_VAULT_PASSWORD_FILE": str(workdir / "pw")})
    assert proc.returncode == 0 and proc.stdout == b"x"


def test_usage_errors(run_vault):
    assert run_vault().returncode == 2
    assert run_vault("frobnicate").returncode == 2
    assert run_vault("view", *PW).returncode == 2
    assert run_vault("encrypt", *PW, "--ask-vault-pass").returncode == 2
    proc = run_vault("--version")
    assert proc.returncode == 0 and b"corral-vault" in proc.stdout


# -- rekey ----------------------------------------------------------------------------

def test_rekey(workdir, run_vault):
    target = workdir / "f"
    target.write_bytes(VaultLib([("default", VaultSecret(PASSWORD))]).encrypt(b"content"))
    target.chmod(0o644)
    proc = run_vault("rekey", *PW, "--new-vault-id", "dev@devpw", "f")
    assert proc.returncode == 0 and b"Rekey successful" in proc.stderr
    assert target.read_bytes().startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n") and mode(target) == 0o644
    assert_error(run_vault("view", *PW, "f"), 1)
    assert run_vault("rekey", *DEV, "--new-vault-password-file", "pw", "f").returncode == 0
    assert target.read_bytes().startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    proc = run_vault("rekey", *PW, "f", input=b"fresh\nfresh\n")
    assert proc.returncode == 0 and b"New Vault password: " in proc.stderr
    assert decrypt(target.read_bytes(), "fresh") == b"content"


# -- create / edit -----------------------------------------------------------------------

def test_create(workdir, run_vault, editor):
    assert_error(run_vault("create", *PW, "new.yml", env=editor("a: 1\n")), 5, "tty")
    assert not (workdir / "new.yml").exists()
    proc = run_vault("create", "--skip-tty-check", *DEV, "new.yml", env=editor("a: 1\n"))
    assert proc.returncode == 0, proc.stderr
    data = (workdir / "new.yml").read_bytes()
    assert data.startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n") and mode(workdir / "new.yml") == 0o600
    assert decrypt(data, DEV_PASSWORD, "dev") == b"a: 1\n"
    log = editor.log()
    assert log["before"] == "" and log["mode"] == 0o600 and log["dir_mode"] == 0o700
    assert log["path"].endswith(".yml") and not os.path.exists(os.path.dirname(log["path"]))
    assert_error(run_vault("create", "--skip-tty-check", *PW, "new.yml", env=editor("b")), 1, "already exists")
    assert (workdir / "new.yml").read_bytes() == data


def test_edit(workdir, run_vault, editor):
    target = workdir / "f.yml"
    target.write_bytes(VaultLib([("dev", VaultSecret(DEV_PASSWORD))]).encrypt(b"old\n", vault_id="dev"))
    target.chmod(0o640)
    proc = run_vault("edit", "--skip-tty-check", "--vault-id", "other@pw", *DEV, "f.yml", env=editor("new\n"))
    assert proc.returncode == 0, proc.stderr
    log = editor.log()
    assert log["before"] == "old\n" and log["mode"] == 0o600 and not os.path.exists(log["path"])
    data = target.read_bytes()
    assert data.startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n") and mode(target) == 0o640
    assert decrypt(data, DEV_PASSWORD, "dev") == b"new\n"
    # Unchanged text: the file is not rewritten.
    assert run_vault("edit", "--skip-tty-check", *DEV, "f.yml", env=editor()).returncode == 0
    assert target.read_bytes() == data
    # A failing editor: nothing saved, scratch file gone.
    assert_error(run_vault("edit", "--skip-tty-check", *DEV, "f.yml", env=editor("lost", status=3)), 1, "status 3")
    assert target.read_bytes() == data and not os.path.exists(editor.log()["path"])
    # Switching the vault id while editing.
    proc = run_vault("edit", "--skip-tty-check", *DEV, "--vault-id", "pw", "--encrypt-vault-id", "default",
                     "f.yml", env=editor())
    assert proc.returncode == 0 and target.read_bytes().startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    assert_error(run_vault("edit", "--skip-tty-check", *PW, "none.yml", env=editor()), 1, "does not exist")
    assert leftovers(workdir) == []


# -- encrypt_string ------------------------------------------------------------------------

def load_strings(yaml_text: bytes, tmp_path: Path) -> dict:
    (tmp_path / "strings.yml").write_bytes(yaml_text)
    loader = DataLoader()
    loader.set_vault_secrets([("default", VaultSecret(PASSWORD)), ("dev", VaultSecret(DEV_PASSWORD))])
    return loader.load_from_file(str(tmp_path / "strings.yml"))


def test_encrypt_string_names(workdir, run_vault, tmp_path):
    proc = run_vault("encrypt_string", *PW, "first", "second", "-n", "a", "--name", "b")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode()
    assert text.startswith("a: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n")
    assert load_strings(proc.stdout, tmp_path) == {"a": "first", "b": "second"}


def test_encrypt_string_from_stdin(workdir, run_vault, tmp_path):
    proc = run_vault("encrypt_string", *DEV, "--stdin-name", "key", input=b"multi\nline\n")
    assert proc.returncode == 0
    assert proc.stdout.startswith(b"key: !vault |\n          $ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert load_strings(proc.stdout, tmp_path) == {"key": "multi\nline\n"}
    proc = run_vault("encrypt_string", *PW, "-", "-n", "dash", input=b"piped")
    assert load_strings(proc.stdout, tmp_path) == {"dash": "piped"}
    proc = run_vault("encrypt_string", *PW, input=b"bare")
    assert proc.stdout.startswith(b"!vault |\n")
    assert load_strings(b"value: " + proc.stdout, tmp_path) == {"value": "bare"}
    assert_error(run_vault("encrypt_string", *PW, "--stdin-name", "x", input=b""), 1, "empty")
    assert_error(run_vault("encrypt_string", *PW, "-", "-"), 5, "only once")


def test_encrypt_string_prompts(workdir, run_vault, tmp_path):
    proc = run_vault("encrypt_string", "-J", "--prompt", "-n", "typed", input=b"pw2\npw2\nthe value\n")
    assert proc.returncode == 0, proc.stderr
    assert b"String to encrypt: " in proc.stderr
    (workdir / "s.yml").write_bytes(proc.stdout)
    loader = DataLoader()
    loader.set_vault_secrets([("default", VaultSecret("pw2"))])
    assert loader.load_from_file(str(workdir / "s.yml")) == {"typed": "the value"}


def test_encrypt_string_output_file(workdir, run_vault, tmp_path):
    assert run_vault("encrypt_string", *PW, "v", "-n", "k", "--output", "out.yml").returncode == 0
    assert load_strings((workdir / "out.yml").read_bytes(), tmp_path) == {"k": "v"}


# -- on a terminal ---------------------------------------------------------------------------

def run_on_terminal(workdir: Path, *args: str, env: dict[str, str]) -> int:
    """Run corral-vault with a pseudo-terminal as stdin and stdout."""
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen([str(CORRAL_VAULT), *args], cwd=workdir, stdin=terminal, stdout=terminal,
                                stderr=subprocess.PIPE, env=clean_env(workdir / "home", **env))
        os.close(terminal)
        while True:  # drain the terminal so the child never blocks on output
            try:
                if not os.read(controller, 4096):
                    break
            except OSError:
                break
        return proc.wait(timeout=60)
    finally:
        os.close(controller)


def test_terminal_view_uses_the_pager_and_create_needs_no_skip(workdir, editor):
    assert run_on_terminal(workdir, "create", *PW, "t.yml", env=editor("on a tty\n")) == 0
    assert decrypt((workdir / "t.yml").read_bytes()) == b"on a tty\n"
    pager_out = workdir / "paged"
    assert run_on_terminal(workdir, "view", *PW, "t.yml", env={"PAGER": f"cat > {pager_out}"}) == 0
    assert pager_out.read_bytes() == b"on a tty\n"


# -- every secret option of every action -------------------------------------------------------

def test_create_takes_every_secret_option(workdir, run_vault, editor):
    """``create`` encrypts with the password of ``--vault-password-file``, of a
    ``--vault-id``, of ``--ask-vault-password`` (asked twice), and with the one that
    ``--encrypt-vault-id`` names when several are given."""
    for name, args, stdin, password, label in (
            ("file.yml", ("--vault-password-file", "pw"), b"", PASSWORD, "default"),
            ("id.yml", ("--vault-id", "dev@devpw"), b"", DEV_PASSWORD, "dev"),
            ("asked.yml", ("--ask-vault-password",), b"typed\ntyped\n", "typed", "default"),
            ("chosen.yml", ("--vault-id", "dev@devpw", "--vault-id", "pw", "--encrypt-vault-id", "dev"), b"",
             DEV_PASSWORD, "dev")):
        proc = run_vault("create", "--skip-tty-check", *args, name, input=stdin, env=editor(f"{name}\n"))
        assert proc.returncode == 0, proc.stderr
        assert decrypt((workdir / name).read_bytes(), password, label) == f"{name}\n".encode()
    assert_error(run_vault("create", "--skip-tty-check", "--vault-id", "dev@devpw", "--vault-id", "pw", "two.yml",
                           env=editor("x\n")), 1, "--encrypt-vault-id")
    assert not (workdir / "two.yml").exists()


def test_edit_reads_the_password_file_or_asks(workdir, run_vault, editor):
    target = workdir / "f.yml"
    target.write_bytes(VaultLib([("default", VaultSecret(PASSWORD))]).encrypt(b"old\n"))
    proc = run_vault("edit", "--skip-tty-check", "--vault-password-file", "pw", "f.yml", env=editor("filed\n"))
    assert proc.returncode == 0, proc.stderr
    assert decrypt(target.read_bytes()) == b"filed\n"
    proc = run_vault("edit", "--skip-tty-check", "--ask-vault-password", "f.yml", input=PASSWORD.encode() + b"\n",
                     env=editor("asked\n"))
    assert proc.returncode == 0 and b"Vault password: " in proc.stderr, proc.stderr
    assert decrypt(target.read_bytes()) == b"asked\n"
    assert_error(run_vault("edit", "--skip-tty-check", "--ask-vault-password", "f.yml", input=b"wrong\n",
                           env=editor("lost\n")), 1)
    assert decrypt(target.read_bytes()) == b"asked\n"


def test_encrypt_string_with_vault_ids(workdir, run_vault, tmp_path):
    proc = run_vault("encrypt_string", "--vault-id", "dev@devpw", "value", "-n", "k")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"k: !vault |\n          $ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert load_strings(proc.stdout, tmp_path) == {"k": "value"}
    assert_error(run_vault("encrypt_string", "--vault-id", "dev@devpw", "--vault-id", "pw", "v"), 1,
                 "--encrypt-vault-id")
    proc = run_vault("encrypt_string", "--vault-id", "dev@devpw", "--vault-id", "pw", "--encrypt-vault-id",
                     "default", "v", "-n", "k")
    assert proc.stdout.startswith(b"k: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n")
    assert load_strings(proc.stdout, tmp_path) == {"k": "v"}


def _typed_on_a_terminal(workdir: Path, *args: str, typed: str) -> bytes:
    """What a terminal shows while ``corral-vault encrypt_string --prompt`` reads ``typed``."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(workdir)
        os.execve(str(CORRAL_VAULT), [str(CORRAL_VAULT), *args], clean_env(workdir / "home"))
    shown = b""
    try:
        while b"String to encrypt: " not in shown:
            shown += os.read(fd, 4096)
        os.write(fd, typed.encode() + b"\n")
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    return shown


def test_encrypt_string_show_input_echoes_the_typed_string(workdir):
    hidden = _typed_on_a_terminal(workdir, "encrypt_string", *PW, "-p", "-n", "k", typed="typed-secret")
    shown = _typed_on_a_terminal(workdir, "encrypt_string", *PW, "-p", "--show-input", "-n", "k",
                                 typed="typed-secret")
    assert b"typed-secret" not in hidden and b"k: !vault |" in hidden
    assert b"typed-secret" in shown and b"k: !vault |" in shown


def test_rekey_asks_for_the_old_password_and_encrypts_with_the_chosen_new_id(workdir, run_vault):
    target = workdir / "f"
    target.write_bytes(VaultLib([("default", VaultSecret(PASSWORD))]).encrypt(b"content"))
    proc = run_vault("rekey", "--ask-vault-password", "--new-vault-id", "dev@devpw", "--encrypt-vault-id", "dev",
                     "f", input=PASSWORD.encode() + b"\n")
    assert proc.returncode == 0 and b"Vault password: " in proc.stderr, proc.stderr
    assert target.read_bytes().startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert decrypt(target.read_bytes(), DEV_PASSWORD, "dev") == b"content"
    # as ansible-vault: --encrypt-vault-id must name the new secret's id
    assert_error(run_vault("rekey", *DEV, "--new-vault-password-file", "pw", "--encrypt-vault-id", "dev", "f"), 1,
                 "--encrypt-vault-id")
    assert decrypt(target.read_bytes(), DEV_PASSWORD, "dev") == b"content"
    assert run_vault("rekey", *DEV, "--new-vault-password-file", "pw", "--new-vault-id", "x@pw", "f").returncode == 2


#: each action, asked to succeed (the editor env for create and edit)
_VERBOSE_ACTIONS = {
    "create": ("--skip-tty-check", *PW, "made.yml"),
    "decrypt": (*PW, "--output", "-", "sealed"),
    "edit": ("--skip-tty-check", *PW, "sealed"),
    "view": (*PW, "sealed"),
    "encrypt": (*PW, "--output", "-", "plain"),
    "encrypt_string": (*PW, "text"),
    "rekey": (*PW, "--new-vault-password-file", "devpw", "sealed"),
}


@pytest.mark.parametrize("action", sorted(_VERBOSE_ACTIONS))
def test_verbose_as_ansible_vault(workdir, run_vault, editor, action, tmp_path):
    """``-v`` after the action prints the config file line first; ``-v`` before it is
    accepted and changes nothing (as ansible-vault 2.21, run on the same files)."""
    outputs = {}
    for program in (CORRAL_VAULT, ORACLE_VAULT):
        for placement in ("after", "before"):
            for name in ("made.yml",):
                (workdir / name).unlink(missing_ok=True)
            (workdir / "plain").write_text("data\n")
            (workdir / "sealed").write_bytes(VaultLib([("default", VaultSecret(PASSWORD))]).encrypt(b"data\n"))
            args = list(_VERBOSE_ACTIONS[action])
            if program == ORACLE_VAULT and action == "edit":
                args.remove("--skip-tty-check")  # ansible-vault edit opens the editor without a terminal
            argv = [action, "-v", *args] if placement == "after" else ["--verbose", action, *args]
            proc = run_vault(*argv, program=program, env=editor("data\n"))
            assert proc.returncode == 0, (program, proc.stderr)
            outputs[program, placement] = proc.stdout.decode().splitlines()[:1]
    line = ["No config file found; using defaults"]
    assert outputs[CORRAL_VAULT, "after"] == outputs[ORACLE_VAULT, "after"] == line
    assert outputs[CORRAL_VAULT, "before"] == outputs[ORACLE_VAULT, "before"] != line
