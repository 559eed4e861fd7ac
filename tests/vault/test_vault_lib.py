"""VaultLib and inline vault values."""
from __future__ import annotations

import copy
import pickle

import pytest

from corral.errors import CorralVaultError
from corral.parsing.vault import (
    EncryptedValue,
    VaultLib,
    VaultSecret,
    is_encrypted,
    is_vault_value,
    redact_vault,
    unvault,
)
from corral.utils.unsafe import is_unsafe


def lib(*pairs: tuple[str, str]) -> VaultLib:
    return VaultLib([(vault_id, VaultSecret(password)) for vault_id, password in pairs])


def test_encrypt_decrypt_text_and_bytes():
    vault = lib(("default", "pw"))
    assert vault.decrypt(vault.encrypt("héllo")) == "héllo".encode()
    assert vault.decrypt(vault.encrypt(b"\x00\xff").decode()) == b"\x00\xff"
    assert is_encrypted(vault.encrypt(b""))


def test_encrypt_header_follows_the_secret_used():
    vault = lib(("dev", "a"), ("prod", "b"))
    assert vault.encrypt("x").startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert vault.encrypt("x", vault_id="prod").startswith(b"$ANSIBLE_VAULT;1.2;AES256;prod\n")
    assert vault.decrypt_and_get_vault_id(vault.encrypt("x", vault_id="prod"))[1] == "prod"
    assert lib(("default", "a")).encrypt("x").startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    assert VaultLib().encrypt("x", secret="given").startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    with pytest.raises(CorralVaultError):
        VaultLib().encrypt("x")


def test_matching_vault_id_is_tried_first():
    # Both secrets open the data; the one whose id the header names must win.
    vaulttext = lib(("b", "same")).encrypt("x")
    plaintext, vault_id, _ = lib(("a", "same"), ("b", "same")).decrypt_and_get_vault_id(vaulttext)
    assert (plaintext, vault_id) == (b"x", "b")


def test_other_ids_are_tried_when_the_label_does_not_match():
    vaulttext = lib(("dev", "pw")).encrypt("x")
    assert lib(("prod", "other"), ("elsewhere", "pw")).decrypt(vaulttext) == b"x"


def test_wrong_password_names_file_and_ids():
    vaulttext = lib(("dev", "pw")).encrypt("x")
    with pytest.raises(CorralVaultError) as err:
        lib(("prod", "no"), ("default", "nope")).decrypt(vaulttext, filename="group_vars/all.yml")
    message = str(err.value)
    assert "group_vars/all.yml" in message and "prod, default" in message and "'dev'" in message


def test_tampered_and_truncated_data_fail_cleanly():
    vault = lib(("default", "pw"))
    vaulttext = vault.encrypt("a secret long enough to span lines " * 4)
    lines = vaulttext.splitlines()
    middle = bytearray(lines[2])
    middle[10] = ord("0") if middle[10] != ord("0") else ord("1")
    tampered = b"\n".join(lines[:2] + [bytes(middle)] + lines[3:])
    truncated = b"\n".join(lines[:-2])
    for damaged in (tampered, truncated, vaulttext[:-5]):
        with pytest.raises(CorralVaultError, match="f.yml"):
            vault.decrypt(damaged, filename="f.yml")


def test_not_a_vault_and_no_secrets():
    with pytest.raises(CorralVaultError, match="not vault encrypted"):
        lib(("default", "pw")).decrypt(b"a: 1\n", filename="plain.yml")
    with pytest.raises(CorralVaultError, match="no vault secrets"):
        VaultLib().decrypt(lib(("default", "pw")).encrypt("x"), filename="v.yml")


def test_vaultlib_pickles_with_its_secrets():
    vault = pickle.loads(pickle.dumps(lib(("dev", "pw"))))
    assert vault.decrypt(lib(("dev", "pw")).encrypt("x")) == b"x"


def test_encrypted_value_is_lazy_and_acts_as_its_plaintext():
    vault = lib(("default", "pw"))
    value = EncryptedValue(vault.encrypt("Secret Text").decode(), vault)
    assert value._plaintext is None  # nothing decrypted yet
    assert value.data == "Secret Text" and str(value) == "Secret Text"
    assert value == "Secret Text" and value != "other" and "Secret Text" == value
    assert len(value) == 11 and "Text" in value and value[0] == "S" and value[:6] == "Secret"
    assert value.upper() == "SECRET TEXT" and value.split() == ["Secret", "Text"]
    assert value + "!" == "Secret Text!" and ">" + value == ">Secret Text"
    assert f"{value:>12}" == " Secret Text" and "%s" % value == "Secret Text"
    assert hash(value) == hash("Secret Text") and {value: 1}["Secret Text"] == 1
    assert sorted([value, "A"]) == ["A", value]
    assert list(value)[:2] == ["S", "e"]


def test_encrypted_value_never_shows_plaintext_in_repr_and_is_unsafe():
    vault = lib(("default", "pw"))
    value = EncryptedValue.from_plaintext("hidden", vault)
    assert "hidden" not in repr(value)
    assert is_unsafe(value) and is_vault_value(value) and not is_vault_value("hidden")
    assert value.is_encrypted() and value.ciphertext.startswith("$ANSIBLE_VAULT;1.1;AES256\n")


def test_encrypted_value_copies_and_pickles_without_plaintext():
    vault = lib(("default", "pw"))
    value = EncryptedValue(vault.encrypt("s").decode(), vault)
    value.ansible_pos = ("vars.yml", 3, 7)
    assert value.data == "s"
    assert copy.deepcopy({"k": value})["k"] is value and copy.copy(value) is value
    payload = pickle.dumps(value)
    assert b"_plaintext" not in payload
    restored = pickle.loads(payload)
    assert restored == "s" and restored.ansible_pos == ("vars.yml", 3, 7)


def test_encrypted_value_error_names_the_yaml_position():
    value = EncryptedValue(lib(("default", "pw")).encrypt("s").decode(), lib(("default", "wrong")))
    value.ansible_pos = ("group_vars/all.yml", 4, 11)
    with pytest.raises(CorralVaultError, match=r"group_vars/all.yml, line 4, column 11"):
        str(value)


def test_unvault_and_redact():
    vault = lib(("default", "pw"))
    value = EncryptedValue.from_plaintext("pw123", vault)
    data = {"user": "app", "pass": value, "list": [value, ("t", value)]}
    assert unvault(data) == {"user": "app", "pass": "pw123", "list": ["pw123", ("t", "pw123")]}
    assert type(unvault(data)["pass"]) is str
    redacted = redact_vault(data)
    assert redacted["pass"] == {"__ansible_vault": value.ciphertext}
    assert "pw123" not in repr(redacted)


def test_derived_keys_are_cached_per_secret_and_salt():
    from corral.parsing.vault_format import _derive

    vaulttext = lib(("default", "pw")).encrypt("x")
    before = _derive.cache_info().hits
    for _ in range(3):
        assert lib(("default", "pw")).decrypt(vaulttext) == b"x"  # a new VaultLib each time, as DataLoader does
    assert _derive.cache_info().hits >= before + 3
