"""Interoperability with Ansible Vault.

Fixtures under ``fixtures/`` were recorded with ``ansible-vault`` (see
``fixtures/record.sh``); corral must open them.  When the oracle is installed
(``.oracle/bin/ansible-vault``), files and strings encrypted by corral must open
with it.
"""
from __future__ import annotations

import subprocess

import pytest
import yaml

from corral.parsing.dataloader import DataLoader
from corral.parsing.vault import VaultLib, VaultSecret, is_vault_value

from vault_helpers import DEV_PASSWORD, FIXTURES, ORACLE_VAULT, PASSWORD, clean_env

SECRETS = [("default", VaultSecret(PASSWORD)), ("dev", VaultSecret(DEV_PASSWORD))]
FIXED_SALT = b"corral-fixture-salt-0123456789ab"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name, vault_id", [("vars-1.1.yml", "default"), ("vars-1.2-dev.yml", "dev"),
                                            ("fixed-salt-1.1.vault", "default"),
                                            ("fixed-salt-1.2-dev.vault", "dev")])
def test_ansible_vault_files_decrypt(name, vault_id):
    plaintext, used, _ = VaultLib(SECRETS).decrypt_and_get_vault_id(fixture(name), filename=name)
    assert plaintext == fixture("plain-vars.yml") and used == vault_id


def test_binary_and_empty_fixtures():
    vault = VaultLib(SECRETS[:1])
    assert vault.decrypt(fixture("binary-1.1.vault")) == fixture("plain-binary.bin")
    assert vault.decrypt(fixture("empty-1.1.vault")) == b""


@pytest.mark.parametrize("name, vault_id", [("fixed-salt-1.1.vault", None), ("fixed-salt-1.2-dev.vault", "dev")])
def test_same_salt_gives_byte_identical_output(name, vault_id):
    secret = dict(SECRETS)["dev" if vault_id else "default"]
    ours = VaultLib().encrypt(fixture("plain-vars.yml"), secret=secret, vault_id=vault_id, salt=FIXED_SALT)
    assert ours == fixture(name)


def test_ansible_encrypt_string_values_load():
    loader = DataLoader()
    loader.set_vault_secrets(SECRETS)
    data = loader.load_from_file(str(FIXTURES / "inline-strings.yml"))
    assert data["plain_value"] == "not secret"
    assert is_vault_value(data["secret_default"])
    assert data["secret_default"] == "the default secret"
    assert data["secret_dev"] == "the dev secret: ünïcödé"
    assert data["secret_multiline"] == "line one\nline two\n"
    assert data["nested"]["list"][0] == "in a list"


oracle = pytest.mark.skipif(not ORACLE_VAULT.exists(), reason="the oracle ansible-vault is not installed "
                                                              "(scripts/oracle-venv installs it)")


def oracle_view(tmp_path, vaulttext: bytes, *secret_args: str) -> bytes:
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    (tmp_path / "devpw").write_text(DEV_PASSWORD + "\n")
    (tmp_path / "home").mkdir(exist_ok=True)
    (tmp_path / "v.vault").write_bytes(vaulttext)
    proc = subprocess.run([str(ORACLE_VAULT), "decrypt", *secret_args, "--output", "-", "v.vault"],
                          cwd=tmp_path, capture_output=True, timeout=120, env=clean_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


@oracle
@pytest.mark.parametrize("plaintext", [b"a: 1\n", b"", bytes(range(256)), "ünïcödé ✓\n".encode()])
def test_corral_files_decrypt_with_ansible_vault(tmp_path, plaintext):
    vaulttext = VaultLib(SECRETS[:1]).encrypt(plaintext)
    assert oracle_view(tmp_path, vaulttext, "--vault-password-file", "pw") == plaintext


@oracle
def test_corral_labelled_files_decrypt_with_ansible_vault(tmp_path):
    vaulttext = VaultLib(SECRETS).encrypt(b"labelled\n", vault_id="dev")
    assert vaulttext.startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert oracle_view(tmp_path, vaulttext, "--vault-id", "dev@devpw") == b"labelled\n"


@oracle
def test_corral_encrypt_string_decrypts_with_ansible_vault(tmp_path, run_vault):
    proc = run_vault("encrypt_string", "--vault-id", "dev@devpw", "--name", "token", "tok€n")
    assert proc.returncode == 0, proc.stderr
    vaulttext = yaml.safe_load(proc.stdout.decode().replace("!vault", ""))["token"]
    assert oracle_view(tmp_path, vaulttext.encode(), "--vault-id", "dev@devpw") == "tok€n".encode()


@oracle
def test_corral_cli_output_decrypts_with_ansible_vault(tmp_path, workdir, run_vault):
    (workdir / "f.yml").write_text("k: v\n")
    assert run_vault("encrypt", "--vault-password-file", "pw", "f.yml").returncode == 0
    assert oracle_view(tmp_path, (workdir / "f.yml").read_bytes(), "--vault-password-file", "pw") == b"k: v\n"
