"""Where secrets come from: files, scripts, client scripts, prompts, options."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from corral.config import Config
from corral.errors import CorralVaultError
from corral.parsing.vault_secrets import (
    VaultSecret,
    parse_vault_id,
    secret_from_source,
    secrets_from_options,
    select_encrypt_secret,
    with_configured_sources,
)


def script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


def answers(*replies: str):
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        if len(asked) > len(replies):
            raise EOFError
        return replies[len(asked) - 1]

    prompt.asked = asked  # type: ignore[attr-defined]
    return prompt


def test_vault_secret_hides_itself_and_pickles():
    secret = VaultSecret("pässword")
    assert secret == "pässword".encode() and secret.bytes == "pässword".encode()
    assert "pä" not in repr(secret) and "pä" not in str(secret)
    restored = pickle.loads(pickle.dumps(secret))
    assert isinstance(restored, VaultSecret) and restored == secret


def test_parse_vault_id():
    assert parse_vault_id("dev@/tmp/pw") == ("dev", "/tmp/pw")
    assert parse_vault_id("/tmp/pw") == ("default", "/tmp/pw")
    assert parse_vault_id("prod@prompt") == ("prod", "prompt")
    for bad in ("@file", "dev@", "a;b@file"):
        with pytest.raises(CorralVaultError):
            parse_vault_id(bad)


def test_password_file_is_stripped(tmp_path):
    (tmp_path / "pw").write_bytes(b"  hunter2 \n\n")
    assert secret_from_source("default", str(tmp_path / "pw")) == b"hunter2"


def test_script_output_loses_only_line_breaks(tmp_path):
    path = script(tmp_path / "pass.sh", 'printf " hunter2 \\r\\n"\n')
    assert secret_from_source("default", path) == b" hunter2 "


def test_client_script_receives_the_vault_id(tmp_path):
    path = script(tmp_path / "keyring-client.py", 'echo "secret-for-$2"\n')
    assert secret_from_source("prod", path) == b"secret-for-prod"


def test_client_script_exit_2_means_unknown_id(tmp_path):
    path = script(tmp_path / "keyring-client", 'echo "no such id" >&2\nexit 2\n')
    with pytest.raises(CorralVaultError, match="found no secret for vault id 'prod'.*no such id"):
        secret_from_source("prod", path)


def test_failing_script_is_reported(tmp_path):
    path = script(tmp_path / "pass", 'echo boom >&2\nexit 3\n')
    with pytest.raises(CorralVaultError, match=r"exited with status 3: boom"):
        secret_from_source("default", path)


def test_empty_password_is_refused(tmp_path):
    (tmp_path / "pw").write_text("\n")
    with pytest.raises(CorralVaultError, match="empty password"):
        secret_from_source("default", str(tmp_path / "pw"))
    with pytest.raises(CorralVaultError, match="empty password"):
        secret_from_source("default", script(tmp_path / "s", "echo\n"))


def test_missing_file_names_path_and_id(tmp_path):
    with pytest.raises(CorralVaultError, match=r"nope was not found \(vault id 'dev'\)"):
        secret_from_source("dev", str(tmp_path / "nope"))
    with pytest.raises(CorralVaultError, match="is a directory"):
        secret_from_source("dev", str(tmp_path))


def test_prompts():
    prompt = answers("pw1")
    assert secret_from_source("dev", "prompt", prompt) == b"pw1"
    assert prompt.asked == ["Vault password (dev): "]
    prompt = answers("new", "new")
    assert secret_from_source("default", "prompt_ask_vault_pass", prompt, confirm=True) == b"new"
    assert prompt.asked == ["New Vault password: ", "Confirm New Vault password: "]
    with pytest.raises(CorralVaultError, match="do not match"):
        secret_from_source("default", "prompt", answers("a", "b"), confirm=True)
    with pytest.raises(CorralVaultError, match="end of input"):
        secret_from_source("default", "prompt", answers())


def test_secrets_from_options_order_and_labels(tmp_path):
    (tmp_path / "a").write_text("A")
    (tmp_path / "b").write_text("B")
    prompt = answers("C")
    secrets = secrets_from_options(vault_ids=[f"dev@{tmp_path / 'a'}"], vault_password_files=[str(tmp_path / "b")],
                                   ask_vault_pass=True, vault_pass="D", prompt=prompt)
    assert secrets == [("dev", b"A"), ("default", b"B"), ("default", b"C"), ("default", b"D")]
    assert all(isinstance(secret, VaultSecret) for _, secret in secrets)


def test_auto_prompt_only_when_nothing_else_is_given(tmp_path):
    (tmp_path / "a").write_text("A")
    assert secrets_from_options(prompt=answers("P"), auto_prompt=True) == [("default", b"P")]
    assert secrets_from_options(vault_password_files=[str(tmp_path / "a")], prompt=answers(),
                                auto_prompt=True) == [("default", b"A")]
    assert secrets_from_options() == []


def test_select_encrypt_secret():
    one = [("dev", VaultSecret("x"))]
    assert select_encrypt_secret(one) == one[0]
    two = [("dev", VaultSecret("x")), ("prod", VaultSecret("y"))]
    assert select_encrypt_secret(two, "prod") == two[1]
    with pytest.raises(CorralVaultError, match="dev, prod are available"):
        select_encrypt_secret(two)
    with pytest.raises(CorralVaultError, match="'qa'"):
        select_encrypt_secret(two, "qa")
    with pytest.raises(CorralVaultError, match="required"):
        select_encrypt_secret([])
    same_id = [("default", VaultSecret("x")), ("default", VaultSecret("y"))]
    assert select_encrypt_secret(same_id) == same_id[0]


def test_configured_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ansible.cfg of the machine's user
    config = Config(env={"ANSIBLE_VAULT_IDENTITY_LIST": "dev@a, prod@b",
                         "ANSIBLE_VAULT_PASSWORD_FILE": "/p"}, cwd=str(tmp_path))
    assert with_configured_sources(config, ["qa@c"]) == (["dev@a", "prod@b", "qa@c"], ["/p"])
    assert with_configured_sources(config, [], ["/cli"]) == (["dev@a", "prod@b"], ["/cli"])
    assert with_configured_sources(Config(env={}, cwd=str(tmp_path))) == ([], [])
