"""``corral-vault``: encrypt, decrypt, view, create, edit and rekey vault files,
and encrypt strings for inline ``!vault`` values, as ``ansible-vault`` does.

Errors go to standard error as ``ERROR! <message>``; the exit status is 0 on
success, 1 for a vault or file error, 2 for a usage error, 5 for options that do
not fit together, 99 when interrupted and 250 for an unexpected error.
"""
from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import traceback
from typing import Callable

from corral.cli.completion import parse
from corral.cli.options import show_config_file
from corral.cli.signals import Terminated, die_by_sigterm, interrupt_handlers
from corral.cli.version import add_version_option
from corral.config import Config
from corral.display import Display
from corral.errors import CorralError, CorralOptionsError, CorralVaultError
from corral.parsing import vault_editor
from corral.parsing.vault import (
    VaultLib,
    VaultSecret,
    secrets_from_options,
    select_encrypt_secret,
    with_configured_sources,
)

__all__ = ["main", "build_parser"]

STDIO = vault_editor.STDIO
Secrets = list[tuple[str, VaultSecret]]


def _prompt(text: str, hidden: bool = True) -> str:
    """Ask for a password (or a string): hidden on a terminal unless ``hidden``
    is false, else one line of standard input (so scripts can pipe it).  End of
    input raises :class:`EOFError`."""
    if sys.stdin.isatty():
        return getpass.getpass(text) if hidden else input(text)
    sys.stderr.write(text)
    sys.stderr.flush()
    line = sys.stdin.buffer.readline()  # the buffer: data after the line stays for the caller
    sys.stderr.write("\n")
    if not line:
        raise EOFError
    return line.decode("utf-8", "surrogateescape").rstrip("\r\n")


def _secrets(args: argparse.Namespace, *, confirm: bool = False) -> Secrets:
    config = Config()
    for warning in config.warnings:
        print(f"[WARNING]: {warning}", file=sys.stderr)
    vault_ids, password_files = with_configured_sources(config, args.vault_ids or [],
                                                        args.vault_password_files or [])
    return secrets_from_options(vault_ids=vault_ids, vault_password_files=password_files,
                                ask_vault_pass=args.ask_vault_pass, prompt=_prompt,
                                confirm=confirm, auto_prompt=True)


def _encrypt_secret(args: argparse.Namespace) -> tuple[Secrets, str, VaultSecret]:
    secrets = _secrets(args, confirm=True)
    vault_id, secret = select_encrypt_secret(secrets, args.encrypt_vault_id)
    return secrets, vault_id, secret


def _check_output(args: argparse.Namespace, files: list[str]) -> None:
    if args.output and len(files) > 1:
        raise CorralOptionsError("At most one input file may be used with the --output option")


def _check_tty(args: argparse.Namespace) -> None:
    if not args.skip_tty_check and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CorralOptionsError("not a tty, editor cannot be opened (use --skip-tty-check to open it anyway)")


def _single_file(args: argparse.Namespace) -> str:
    if len(args.files) != 1:
        raise CorralOptionsError(f"corral-vault {args.action} takes exactly one file name")
    if args.files[0] == STDIO:
        raise CorralOptionsError(f"corral-vault {args.action} needs a file, not standard input")
    return args.files[0]


def _done(message: str) -> None:
    print(message, file=sys.stderr)


# -- actions -----------------------------------------------------------------------

def _encrypt(args: argparse.Namespace) -> int:
    files = args.files or [STDIO]
    _check_output(args, files)
    secrets, vault_id, secret = _encrypt_secret(args)
    vault = VaultLib(secrets)
    for path in files:
        vault_editor.encrypt_file(vault, path, secret, vault_id, args.output)
    _done("Encryption successful")
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    files = args.files or [STDIO]
    _check_output(args, files)
    vault = VaultLib(_secrets(args))
    for path in files:
        vault_editor.decrypt_file(vault, path, args.output)
    _done("Decryption successful")
    return 0


def _view(args: argparse.Namespace) -> int:
    vault = VaultLib(_secrets(args))
    plaintext = b"".join(vault_editor.view_file(vault, path) for path in args.files)
    _page(plaintext)
    return 0


def _page(text: bytes) -> None:
    """Show text through ``$PAGER`` (default ``less``) on a terminal, else print it."""
    if sys.stdout.isatty():
        pager = os.environ.get("PAGER") or "less"
        try:
            subprocess.run(pager, input=text, shell=True, check=False)  # noqa: S602 - the user's own pager
            return
        except OSError:
            pass
    sys.stdout.buffer.write(text)
    sys.stdout.buffer.flush()


def _create(args: argparse.Namespace) -> int:
    path = _single_file(args)
    _check_tty(args)
    if os.path.lexists(path):
        raise CorralVaultError(f"File '{path}' already exists; use 'edit' to change it")
    _, vault_id, secret = _encrypt_secret(args)
    vault_editor.create_file(path, secret, vault_id)
    return 0


def _edit(args: argparse.Namespace) -> int:
    path = _single_file(args)
    _check_tty(args)
    if not os.path.exists(path):
        raise CorralVaultError(f"File '{path}' does not exist; use 'create' to make a new vault file")
    secrets = _secrets(args)
    secret = vault_id = None
    if args.encrypt_vault_id:
        vault_id, secret = select_encrypt_secret(secrets, args.encrypt_vault_id)
    vault_editor.edit_file(VaultLib(secrets), path, secret=secret, vault_id=vault_id)
    return 0


def _rekey(args: argparse.Namespace) -> int:
    vault = VaultLib(_secrets(args))
    new_ids = [args.new_vault_id] if args.new_vault_id else []
    new_files = [args.new_vault_password_file] if args.new_vault_password_file else []
    new_secrets = secrets_from_options(vault_ids=new_ids, vault_password_files=new_files, prompt=_prompt,
                                       confirm=True, auto_prompt=True)
    new_vault_id, new_secret = select_encrypt_secret(new_secrets, args.encrypt_vault_id)
    for path in args.files:
        vault_editor.rekey_file(vault, path, new_secret, new_vault_id)
    _done("Rekey successful")
    return 0


def _encrypt_string(args: argparse.Namespace) -> int:
    secrets, vault_id, secret = _encrypt_secret(args)  # first: its prompts read standard input too
    items = _strings_to_encrypt(args)
    vault = VaultLib(secrets)
    text = "".join(vault_editor.format_encrypted_string(vault.encrypt(plaintext, secret, vault_id), name)
                   for name, plaintext in items)
    vault_editor.write_output(args.output or STDIO, text.encode("ascii"))
    _done("Encryption successful")
    return 0


def _strings_to_encrypt(args: argparse.Namespace) -> list[tuple[str | None, bytes]]:
    """``[(name or None, plaintext)]`` from the arguments, ``--stdin-name``,
    ``--prompt`` or standard input (read at most once)."""
    names = list(args.names or [])
    if bool(args.stdin_name) + args.strings.count(STDIO) > 1:
        raise CorralOptionsError("Standard input can be read only once (--stdin-name and '-' both read it)")

    def from_stdin() -> bytes:
        if sys.stdin.isatty():
            print("Reading the string to encrypt from standard input (end with ctrl-d, twice if the "
                  "text does not end with a newline)", file=sys.stderr)
        data = sys.stdin.buffer.read()
        if not data:
            raise CorralVaultError("Standard input was empty; nothing to encrypt")
        return data

    items: list[tuple[str | None, bytes]] = []
    if args.stdin_name:
        items.append((args.stdin_name, from_stdin()))
    if args.prompt:
        try:
            answer = _prompt("String to encrypt: ", hidden=not args.show_input)
        except EOFError as exc:
            raise CorralVaultError("No string to encrypt was entered (end of input)") from exc
        if not answer:
            raise CorralVaultError("The string to encrypt is empty")
        items.append((names.pop(0) if names else None, answer.encode("utf-8")))
    for value in args.strings:
        plaintext = from_stdin() if value == STDIO else value.encode("utf-8", "surrogateescape")
        if not plaintext:
            raise CorralVaultError("The string to encrypt is empty")
        items.append((names.pop(0) if names else None, plaintext))
    if not items:
        items.append((names.pop(0) if names else None, from_stdin()))
    return items


# -- parser ------------------------------------------------------------------------

def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault-id", dest="vault_ids", action="append", metavar="VAULT_ID",
                        help="a vault identity 'label@source' (source: a password file, an executable "
                             "that prints the password, or 'prompt'); may be given several times")
    secrets = common.add_mutually_exclusive_group()
    secrets.add_argument("-J", "--ask-vault-pass", "--ask-vault-password", dest="ask_vault_pass",
                         action="store_true", help="ask for the vault password")
    secrets.add_argument("--vault-password-file", "--vault-pass-file", dest="vault_password_files",
                         action="append", metavar="FILE",
                         help="a file holding the vault password, or an executable that prints it")
    common.add_argument("-v", "--verbose", dest="verbosity", action="count", default=0,
                        help="more output; -vvv shows a traceback with errors")
    return common


def _add_encrypt_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encrypt-vault-id", metavar="VAULT_ID",
                        help="the vault id to encrypt with (required when several are given)")


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", metavar="FILE", help="write the result to FILE ('-' for standard output)")


def build_parser() -> argparse.ArgumentParser:
    """The ``corral-vault`` argument parser."""
    parser = argparse.ArgumentParser(prog="corral-vault",
                                     description="Encrypt and decrypt Ansible Vault compatible files.")
    add_version_option(parser)
    # as ansible-vault: accepted before the action, where it changes nothing (each
    # action counts its own -v)
    parser.add_argument("-v", "--verbose", dest="verbosity", action="count", default=0,
                        help="more output; give it after the action (as ansible-vault, it counts there)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = _common_options()

    def action(name: str, help_text: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(func=func)
        return sub

    sub = action("create", "Create a new encrypted file with $EDITOR.", _create)
    _add_encrypt_id(sub)
    sub.add_argument("--skip-tty-check", action="store_true", help="open the editor even without a terminal")
    sub.add_argument("files", nargs="+", metavar="FILE")

    sub = action("decrypt", "Decrypt files in place (or into --output).", _decrypt)
    _add_output(sub)
    sub.add_argument("files", nargs="*", metavar="FILE", help="files to decrypt ('-' or none: standard input)")

    sub = action("edit", "Edit an encrypted file with $EDITOR.", _edit)
    _add_encrypt_id(sub)
    sub.add_argument("--skip-tty-check", action="store_true", help="open the editor even without a terminal")
    sub.add_argument("files", nargs="+", metavar="FILE")

    sub = action("view", "Show the plaintext of encrypted files.", _view)
    sub.add_argument("files", nargs="+", metavar="FILE")

    sub = action("encrypt", "Encrypt files in place (or into --output).", _encrypt)
    _add_encrypt_id(sub)
    _add_output(sub)
    sub.add_argument("files", nargs="*", metavar="FILE", help="files to encrypt ('-' or none: standard input)")

    sub = action("encrypt_string", "Encrypt strings for inline '!vault' YAML values.", _encrypt_string)
    _add_encrypt_id(sub)
    _add_output(sub)
    sub.add_argument("-p", "--prompt", action="store_true", help="prompt for the string to encrypt")
    sub.add_argument("--show-input", action="store_true", help="do not hide the string typed at the prompt")
    sub.add_argument("-n", "--name", dest="names", action="append", metavar="NAME",
                     help="the variable name of the next string; may be given several times")
    sub.add_argument("--stdin-name", metavar="NAME", help="encrypt standard input as variable NAME")
    sub.add_argument("strings", nargs="*", metavar="STRING", help="strings to encrypt ('-': standard input)")

    sub = action("rekey", "Encrypt files again with a new password.", _rekey)
    sub.add_argument("--encrypt-vault-id", metavar="VAULT_ID",
                     help="the new vault id to encrypt with: it must be the one the new password has")
    new_secret = sub.add_mutually_exclusive_group()
    new_secret.add_argument("--new-vault-id", metavar="VAULT_ID", help="the new vault identity 'label@source'")
    new_secret.add_argument("--new-vault-password-file", metavar="FILE", help="the new vault password file")
    sub.add_argument("files", nargs="+", metavar="FILE")
    return parser



def main(argv: list[str] | None = None) -> int:
    """Run ``corral-vault`` with ``argv`` (default: the command line); return the
    exit status."""
    parser = build_parser()
    try:
        args = parse(parser, argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    try:
        with interrupt_handlers():   # SIGTERM, too, runs the cleanup of decrypted temp files
            if args.verbosity:
                show_config_file(Display(), Config(), args.verbosity, prog=parser.prog)
            return args.func(args)
    except CorralOptionsError as exc:
        return _fail(args, exc, 5)
    except CorralError as exc:
        return _fail(args, exc, 1)
    except Terminated:
        die_by_sigterm()
        return 143
    except KeyboardInterrupt:
        print("ERROR! User interrupted execution", file=sys.stderr)
        return 99
    except Exception as exc:  # noqa: BLE001 - last resort: report, never a bare traceback
        return _fail(args, exc, 250, prefix="Unexpected error, this is a bug in corral: ")


def _fail(args: argparse.Namespace, exc: BaseException, status: int, prefix: str = "") -> int:
    if args.verbosity >= 3:
        traceback.print_exception(exc, file=sys.stderr)
    print(f"ERROR! {prefix}{exc}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
