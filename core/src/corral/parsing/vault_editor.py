"""File operations behind ``corral-vault``: encrypt, decrypt, view, create,
edit, rekey and encrypt_string.

Every function raises :class:`corral.errors.CorralVaultError` naming the file;
none writes anything unless the whole operation succeeded, and files are
replaced atomically.  The path ``-`` means standard input (or output).
"""
from __future__ import annotations

import os
import sys

from corral.errors import CorralVaultError
from corral.parsing.vault import VaultLib, VaultSecret, is_encrypted
from corral.parsing.vault_files import atomic_write, edit_privately
from corral.parsing.vault_format import parse_envelope

__all__ = [
    "read_input",
    "write_output",
    "encrypt_file",
    "decrypt_file",
    "view_file",
    "create_file",
    "edit_file",
    "rekey_file",
    "format_encrypted_string",
]

STDIO = "-"
PRIVATE_MODE = 0o600
YAML_INDENT = " " * 10


def _label(path: str) -> str:
    return "stdin" if path == STDIO else path


def read_input(path: str) -> bytes:
    """Read a file's bytes, or standard input for ``-``."""
    if path == STDIO:
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CorralVaultError(f"Unable to read source file '{path}': {exc.strerror}") from exc


def write_output(path: str, data: bytes) -> None:
    """Write ``data`` atomically to ``path`` with mode ``0600`` (as ``ansible-vault``
    does for encrypt and decrypt: the file may hold plaintext), or to standard output
    for ``-``."""
    if path == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    atomic_write(path, data, mode=PRIVATE_MODE)


def encrypt_file(vault: VaultLib, path: str, secret: VaultSecret, vault_id: str,
                 output: str | None = None) -> None:
    """Encrypt ``path`` in place (or into ``output``); already encrypted input is
    an error."""
    plaintext = read_input(path)
    if is_encrypted(plaintext):
        raise CorralVaultError(f"Input '{_label(path)}' is already encrypted")
    write_output(output or path, vault.encrypt(plaintext, secret, vault_id))


def decrypt_file(vault: VaultLib, path: str, output: str | None = None) -> None:
    """Decrypt ``path`` in place (or into ``output``)."""
    write_output(output or path, vault.decrypt(read_input(path), filename=_label(path)))


def view_file(vault: VaultLib, path: str) -> bytes:
    """The plaintext of ``path``."""
    return vault.decrypt(read_input(path), filename=_label(path))


def create_file(path: str, secret: VaultSecret, vault_id: str, editor: list[str] | None = None) -> None:
    """Open an editor on an empty private file and save the result encrypted as
    the new file ``path`` (which must not exist)."""
    if os.path.lexists(path):
        raise CorralVaultError(f"File '{path}' already exists; use 'edit' to change it")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise CorralVaultError(f"Cannot create '{path}': directory '{directory}' does not exist")
    plaintext = edit_privately(b"", suffix=_suffix(path), editor=editor)
    atomic_write(path, VaultLib().encrypt(plaintext, secret, vault_id))


def edit_file(vault: VaultLib, path: str, editor: list[str] | None = None,
              secret: VaultSecret | None = None, vault_id: str | None = None) -> bool:
    """Decrypt ``path`` into a private file, run the editor, and save the result
    encrypted again.  Returns whether the file was rewritten: it is left alone
    when the plaintext did not change and no new secret was asked for.

    Without ``secret`` the file is encrypted again with the secret that opened it,
    under the vault id of its header.
    """
    vaulttext = read_input(path)
    plaintext, _, opened_with = vault.decrypt_and_get_vault_id(vaulttext, filename=path)
    edited = edit_privately(plaintext, suffix=_suffix(path), editor=editor)
    if edited == plaintext and secret is None:
        return False
    if secret is None:
        secret = opened_with
        vault_id = parse_envelope(vaulttext).vault_id  # it just decrypted, so it parses
    atomic_write(path, vault.encrypt(edited, secret, vault_id))
    return True


def rekey_file(vault: VaultLib, path: str, new_secret: VaultSecret, new_vault_id: str) -> None:
    """Encrypt ``path`` again with ``new_secret`` under ``new_vault_id``."""
    plaintext = vault.decrypt(read_input(path), filename=path)
    atomic_write(path, vault.encrypt(plaintext, new_secret, new_vault_id))


def format_encrypted_string(vaulttext: bytes, name: str | None = None) -> str:
    """The YAML for one encrypted string: ``name: !vault |`` (or ``!vault |``
    alone) followed by the vault text indented by ten spaces."""
    head = f"{name}: !vault |" if name else "!vault |"
    body = "".join(f"{YAML_INDENT}{line}\n" for line in vaulttext.decode("ascii").splitlines())
    return f"{head}\n{body}"


def _suffix(path: str) -> str:
    """Keep the file's extension so that the editor picks its syntax mode."""
    return os.path.splitext(path)[1] if path != STDIO else ""
