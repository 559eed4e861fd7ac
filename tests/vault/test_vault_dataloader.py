"""Decryption through the kernel's DataLoader: whole vaulted files and inline
``!vault`` values."""
from __future__ import annotations

import pytest

from corral.errors import CorralVaultError
from corral.parsing.dataloader import DataLoader
from corral.parsing.vault import VaultLib, VaultSecret, is_vault_value, secrets_from_options

SECRETS = [("default", VaultSecret("pw")), ("dev", VaultSecret("devpw"))]


def loader_with(secrets, basedir) -> DataLoader:
    loader = DataLoader()
    loader.set_basedir(str(basedir))
    loader.set_vault_secrets(secrets)
    return loader


def inline(name: str, plaintext: str, vault_id: str | None = None) -> str:
    vaulttext = VaultLib(SECRETS).encrypt(plaintext, vault_id=vault_id).decode()
    return f"{name}: !vault |\n" + "".join(f"  {line}\n" for line in vaulttext.splitlines())


def test_fully_vaulted_yaml_file(tmp_path):
    (tmp_path / "vars.yml").write_bytes(VaultLib(SECRETS).encrypt("user: app\nports: [1, 2]\n"))
    loader = loader_with(SECRETS, tmp_path)
    assert loader.load_from_file("vars.yml") == {"user": "app", "ports": [1, 2]}
    text, was_vaulted = loader.get_text_file_contents("vars.yml")
    assert was_vaulted and text.startswith("user: app")


def test_inline_vault_value(tmp_path):
    (tmp_path / "vars.yml").write_text("plain: 1\n" + inline("password", "s3cret")
                                       + inline("token", "t0k", vault_id="dev"))
    data = loader_with(SECRETS, tmp_path).load_from_file("vars.yml")
    assert data["plain"] == 1
    assert is_vault_value(data["password"]) and data["password"] == "s3cret"
    assert data["token"] == "t0k"


def test_cached_file_copies_share_decrypted_values(tmp_path):
    (tmp_path / "vars.yml").write_text(inline("password", "s3cret"))
    loader = loader_with(SECRETS, tmp_path)
    first, second = loader.load_from_file("vars.yml"), loader.load_from_file("vars.yml")
    assert first is not second and first["password"] == second["password"] == "s3cret"


def test_secrets_from_the_api_password(tmp_path):
    (tmp_path / "vars.yml").write_bytes(VaultLib(SECRETS).encrypt("a: 1\n"))
    loader = loader_with(secrets_from_options(vault_pass="pw"), tmp_path)
    assert loader.load_from_file("vars.yml") == {"a": 1}


def test_wrong_password_names_the_file(tmp_path):
    (tmp_path / "vars.yml").write_bytes(VaultLib(SECRETS).encrypt("a: 1\n"))
    with pytest.raises(CorralVaultError, match=r"vars.yml.*vault ids tried: default"):
        loader_with([("default", VaultSecret("wrong"))], tmp_path).load_from_file("vars.yml")
    with pytest.raises(CorralVaultError, match="no vault secrets"):
        loader_with([], tmp_path).load_from_file("vars.yml")


def test_inline_value_with_wrong_password_fails_when_used(tmp_path):
    (tmp_path / "vars.yml").write_text(inline("password", "s3cret"))
    data = loader_with([("default", VaultSecret("wrong"))], tmp_path).load_from_file("vars.yml")
    with pytest.raises(CorralVaultError, match="vault ids tried: default"):
        str(data["password"])


def test_plain_files_are_untouched(tmp_path):
    (tmp_path / "plain.txt").write_bytes(b"$NOT_A_VAULT\n")
    loader = loader_with([], tmp_path)
    assert loader.get_text_file_contents("plain.txt") == ("$NOT_A_VAULT\n", False)
