"""The byte format: envelopes, encryption, and damaged input."""
from __future__ import annotations

import binascii

import pytest

from corral.parsing.vault_format import (
    Envelope,
    VaultFormatError,
    format_envelope,
    is_vaulttext,
    open_sealed,
    parse_envelope,
    seal,
)

SECRET = b"hunter2"


def test_round_trip_and_layout():
    vaulttext = format_envelope(*seal(b"hello\n", SECRET))
    lines = vaulttext.decode().splitlines()
    assert lines[0] == "$ANSIBLE_VAULT;1.1;AES256"
    assert all(len(line) == 80 for line in lines[1:-1]) and 0 < len(lines[-1]) <= 80
    assert vaulttext.endswith(b"\n")
    envelope = parse_envelope(vaulttext)
    assert (envelope.version, envelope.cipher, envelope.vault_id) == ("1.1", "AES256", None)
    assert len(envelope.salt) == 32 and len(envelope.mac) == 32
    assert open_sealed(envelope, SECRET) == b"hello\n"


def test_label_writes_version_1_2_and_default_writes_1_1():
    assert format_envelope(*seal(b"x", SECRET), vault_id="dev").startswith(b"$ANSIBLE_VAULT;1.2;AES256;dev\n")
    assert format_envelope(*seal(b"x", SECRET), vault_id="default").startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    assert parse_envelope(format_envelope(*seal(b"x", SECRET), vault_id="dev")).vault_id == "dev"


@pytest.mark.parametrize("vault_id", ["a;b", "two\nlines", " padded"])
def test_bad_labels_are_refused(vault_id):
    with pytest.raises(VaultFormatError):
        format_envelope(*seal(b"x", SECRET), vault_id=vault_id)


def test_padding_is_pkcs7_on_16_byte_blocks():
    for size in (0, 1, 15, 16, 17):
        _, _, ciphertext = seal(b"a" * size, SECRET)
        assert len(ciphertext) == (size // 16 + 1) * 16


def test_fresh_salt_each_time():
    assert seal(b"same", SECRET)[0] != seal(b"same", SECRET)[0]


def test_wrong_secret_gives_none():
    envelope = parse_envelope(format_envelope(*seal(b"data", SECRET)))
    assert open_sealed(envelope, b"wrong") is None


def test_tampered_ciphertext_and_mac_give_none():
    envelope = parse_envelope(format_envelope(*seal(b"important data", SECRET)))
    flipped = bytes([envelope.ciphertext[0] ^ 1]) + envelope.ciphertext[1:]
    assert open_sealed(Envelope(**{**envelope.__dict__, "ciphertext": flipped}), SECRET) is None
    bad_mac = bytes([envelope.mac[0] ^ 1]) + envelope.mac[1:]
    assert open_sealed(Envelope(**{**envelope.__dict__, "mac": bad_mac}), SECRET) is None


def test_authentic_but_badly_padded_data_is_a_format_error():
    # Encrypt a block whose last byte is 0 without padding it, MAC included.
    from cryptography.hazmat.primitives import hashes, hmac
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    salt = b"s" * 32
    material = PBKDF2HMAC(hashes.SHA256(), 80, salt, 10000).derive(SECRET)
    encryptor = Cipher(algorithms.AES(material[:32]), modes.CTR(material[64:])).encryptor()
    ciphertext = encryptor.update(b"\0" * 16) + encryptor.finalize()
    mac = hmac.HMAC(material[32:64], hashes.SHA256())
    mac.update(ciphertext)
    envelope = parse_envelope(format_envelope(salt, mac.finalize(), ciphertext))
    with pytest.raises(VaultFormatError, match="padding"):
        open_sealed(envelope, SECRET)


def _truncations(vaulttext: bytes):
    yield vaulttext[:-3]            # odd number of hex digits
    yield vaulttext[:-2]            # a whole byte of the envelope missing
    yield vaulttext[: len(vaulttext) // 2]
    yield vaulttext.splitlines()[0] + b"\n"


def test_truncated_envelopes_are_format_errors_or_fail_authentication():
    vaulttext = format_envelope(*seal(b"some longer plaintext " * 5, SECRET))
    for truncated in _truncations(vaulttext):
        try:
            envelope = parse_envelope(truncated)
        except VaultFormatError:
            continue
        assert open_sealed(envelope, SECRET) is None


@pytest.mark.parametrize("text, message", [
    (b"", "empty"),
    (b"$ANSIBLE_VAULT;1.1\n00", "header"),
    (b"$ANSIBLE_VAULT;1.0;AES\n00", "version"),
    (b"$ANSIBLE_VAULT;1.1;AES128\n00", "cipher"),
    (b"$ANSIBLE_VAULT;1.1;AES256\nzz", "hex"),
    (b"$ANSIBLE_VAULT;1.1;AES256\n" + binascii.hexlify(b"6162\n6364"), "three parts"),
])
def test_malformed_envelopes(text, message):
    with pytest.raises(VaultFormatError, match=message):
        parse_envelope(text)


def test_indented_lines_are_accepted():
    vaulttext = format_envelope(*seal(b"inline", SECRET))
    indented = b"\n".join(b"    " + line for line in vaulttext.splitlines())
    assert open_sealed(parse_envelope(indented), SECRET) == b"inline"


def test_is_vaulttext():
    assert is_vaulttext(b"$ANSIBLE_VAULT;1.1;AES256\n") and is_vaulttext("$ANSIBLE_VAULT;1.2;AES256;x")
    assert not is_vaulttext(b"a: 1\n$ANSIBLE_VAULT") and not is_vaulttext("") and not is_vaulttext(b"  $ANSIBLE_VAULT")
