"""Vault secrets and where they come from.

A secret is a :class:`VaultSecret` paired with a vault id (a label; ``default``
when none is given).  :func:`secrets_from_options` builds the list from the
options Ansible users know:

``--vault-id label@source`` (several)
    ``source`` is a password file, an executable that prints the password, or
    ``prompt``.  An executable whose name (without extension) ends in
    ``-client`` is a *client script*: it is run with ``--vault-id label`` and
    exit status 2 means "no secret for that id".  ``--vault-id source`` without a
    label uses ``default``.
``--vault-password-file path`` (several)
    The same as ``--vault-id default@path``.
``--ask-vault-pass``
    Prompt for the ``default`` secret.
``vault_pass``
    The API's ``passwords=dict(vault_pass=...)``: the ``default`` secret.

A password file is read whole and stripped of surrounding whitespace; a script's
output is stripped of line breaks only.  An empty password is an error.
"""
from __future__ import annotations

import getpass
import os
import stat
from collections.abc import Callable, Iterable
from typing import Any

from corral.errors import CorralVaultError
from corral.parsing.vault_format import DEFAULT_VAULT_ID, VaultFormatError, check_vault_id

__all__ = [
    "VaultSecret",
    "DEFAULT_VAULT_ID",
    "parse_vault_id",
    "secret_from_source",
    "secrets_from_options",
    "select_encrypt_secret",
    "with_configured_sources",
]

PROMPT_SOURCES = ("prompt", "prompt_ask_vault_pass")

Prompt = Callable[[str], str]


class VaultSecret(bytes):
    """A vault password.  Built from bytes or text (UTF-8); its ``repr`` never
    shows the password.  ``.bytes`` is the password (Ansible's API)."""

    def __new__(cls, value: bytes | bytearray | str) -> VaultSecret:
        if isinstance(value, str):
            value = value.encode("utf-8")
        return super().__new__(cls, value)

    @property
    def bytes(self) -> bytes:
        return bytes(self)

    def __repr__(self) -> str:
        return "VaultSecret(<hidden>)"

    __str__ = __repr__


def parse_vault_id(spec: str) -> tuple[str, str]:
    """Split ``label@source`` into ``(label, source)``; without ``@`` the label is
    ``default``."""
    label, sep, source = spec.partition("@")
    if not sep:
        return DEFAULT_VAULT_ID, spec
    if not label or not source:
        raise CorralVaultError(f"Invalid vault id {spec!r}: expected 'label@source'")
    try:
        check_vault_id(label)
    except VaultFormatError as exc:
        raise CorralVaultError(str(exc)) from exc
    return label, source


def _nonempty(password: bytes, label: str, origin: str) -> VaultSecret:
    if not password:
        raise CorralVaultError(f"Invalid vault password for vault id '{label}': {origin} gave an empty password")
    return VaultSecret(password)


def _is_executable(path: str) -> bool:
    return bool(os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))


def _is_client_script(path: str) -> bool:
    return os.path.splitext(os.path.basename(path))[0].endswith("-client")


def _run_script(path: str, label: str) -> VaultSecret:
    import subprocess       # here: only a password script needs it
    client = _is_client_script(path)
    argv = [path, "--vault-id", label] if client else [path]
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except OSError as exc:
        raise CorralVaultError(f"Could not run vault password script {path}: {exc.strerror}") from exc
    errors = proc.stderr.decode("utf-8", "replace").strip()
    detail = f": {errors}" if errors else ""
    if client and proc.returncode == 2:
        raise CorralVaultError(f"Vault password client script {path} found no secret for vault id '{label}'{detail}")
    if proc.returncode != 0:
        kind = "client script" if client else "script"
        raise CorralVaultError(f"Vault password {kind} {path} exited with status {proc.returncode}{detail}")
    return _nonempty(proc.stdout.strip(b"\r\n"), label, f"vault password script {path}")


def _read_file(path: str, label: str) -> VaultSecret:
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise CorralVaultError(f"Could not read vault password file {path}: {exc.strerror}") from exc
    return _nonempty(content.strip(), label, f"vault password file {path}")


def _ask(label: str, prompt: Prompt, confirm: bool, default_wording: bool) -> VaultSecret:
    suffix = "" if default_wording else f" ({label})"
    new = "New " if confirm else ""
    try:
        password = prompt(f"{new}Vault password{suffix}: ")
        if confirm and prompt(f"Confirm {new}Vault password{suffix}: ") != password:
            raise CorralVaultError(f"Passwords do not match (vault id '{label}')")
    except EOFError as exc:
        raise CorralVaultError(f"No vault password was entered for vault id '{label}' (end of input)") from exc
    return _nonempty(password.encode("utf-8"), label, "the prompt")


def secret_from_source(label: str, source: str, prompt: Prompt = getpass.getpass,
                       confirm: bool = False) -> VaultSecret:
    """Load one secret: ``source`` is ``prompt``, an executable or a file.

    ``confirm`` asks twice at a prompt (for a new password).  Raises
    :class:`CorralVaultError` naming the source and the vault id.
    """
    if source in PROMPT_SOURCES:
        return _ask(label, prompt, confirm, default_wording=source == "prompt_ask_vault_pass")
    path = os.path.abspath(os.path.expanduser(source))
    if not os.path.exists(path):
        raise CorralVaultError(f"The vault password file {path} was not found (vault id '{label}')")
    if os.path.isdir(path):
        raise CorralVaultError(f"The vault password file {path} is a directory (vault id '{label}')")
    if _is_executable(path):
        return _run_script(path, label)
    return _read_file(path, label)


def secrets_from_options(vault_ids: Iterable[str] = (), vault_password_files: Iterable[str] = (),
                         ask_vault_pass: bool = False, vault_pass: str | bytes | None = None,
                         prompt: Prompt = getpass.getpass, *, confirm: bool = False,
                         auto_prompt: bool = False) -> list[tuple[str, VaultSecret]]:
    """Build ``[(vault_id, secret), ...]`` from command line style options.

    Order: each ``vault_ids`` entry, then each password file, then the
    ``--ask-vault-pass`` prompt, then ``vault_pass``.  ``confirm`` makes every
    prompt ask twice (new passwords).  ``auto_prompt`` prompts for the default
    secret when no other option gave one (``corral-vault`` does this).
    """
    specs = [parse_vault_id(spec) for spec in vault_ids]
    specs += [(DEFAULT_VAULT_ID, path) for path in vault_password_files]
    if ask_vault_pass or (auto_prompt and not specs and vault_pass is None):
        specs.append((DEFAULT_VAULT_ID, "prompt_ask_vault_pass"))
    secrets = [(label, secret_from_source(label, source, prompt, confirm)) for label, source in specs]
    if vault_pass is not None:
        secrets.append((DEFAULT_VAULT_ID, _nonempty(VaultSecret(vault_pass), DEFAULT_VAULT_ID, "vault_pass")))
    return secrets


def select_encrypt_secret(secrets: list[tuple[str, VaultSecret]],
                          encrypt_vault_id: str | None = None) -> tuple[str, VaultSecret]:
    """The ``(vault_id, secret)`` to encrypt with: the one named by
    ``encrypt_vault_id``, else the only one given.  Several distinct ids without
    ``encrypt_vault_id`` is an error, as in Ansible."""
    if not secrets:
        raise CorralVaultError("A vault password is required to encrypt: use --vault-id, "
                               "--vault-password-file or --ask-vault-pass")
    if encrypt_vault_id:
        for vault_id, secret in secrets:
            if vault_id == encrypt_vault_id:
                return vault_id, secret
        raise CorralVaultError(f"Did not find a vault secret for --encrypt-vault-id '{encrypt_vault_id}' "
                               f"(given: {', '.join(sorted({v for v, _ in secrets}))})")
    ids = list(dict.fromkeys(vault_id for vault_id, _ in secrets))
    if len(ids) > 1:
        raise CorralVaultError(f"The vault ids {', '.join(ids)} are available to encrypt; "
                               "choose one with --encrypt-vault-id")
    return secrets[0]


def with_configured_sources(config: Any, vault_ids: Iterable[str] = (),
                           vault_password_files: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Add the configured sources to command line ones, as Ansible does: the
    ``vault_identity_list`` setting comes before ``--vault-id`` entries, and the
    ``vault_password_file`` setting is used when no ``--vault-password-file`` is
    given.  ``config`` is a :class:`corral.config.Config`."""
    files = list(vault_password_files)
    if not files and config.get("vault_password_file"):
        files = [config.get("vault_password_file")]
    return list(config.get("vault_identity_list") or []) + list(vault_ids), files
