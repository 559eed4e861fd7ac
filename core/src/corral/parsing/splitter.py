"""Splitting ``key=value`` argument strings as Ansible does.

``command: chdir=/tmp echo "a b"`` gives ``{'chdir': '/tmp', '_raw_params': 'echo "a b"'}``:
quotes and Jinja2 expressions keep a token together; for free-form modules only the
module's own option names are taken out of the raw text.
"""
from __future__ import annotations

import re

from corral.errors import CorralParserError

__all__ = ["split_args", "parse_kv", "FREE_FORM_MODULES", "RAW_PARAM_KEYS"]

#: modules whose argument string is a command line, not key=value pairs
FREE_FORM_MODULES = frozenset({
    "command", "shell", "raw", "script", "include_tasks", "import_tasks", "include_vars",
    "import_playbook", "meta", "include_role", "import_role",
    "win_command", "win_shell",
})
#: option names recognised inside a free-form argument string
RAW_PARAM_KEYS = frozenset({"creates", "removes", "chdir", "executable", "warn", "stdin",
                            "stdin_add_newline", "strip_empty_ends", "argv", "cmd", "free_form",
                            "decrypt", "file", "name", "dir", "depth", "files_matching", "ignore_files",
                            "extensions", "ignore_unknown_extensions", "hash_behaviour"})
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)


def split_args(text: str) -> list[str]:
    """Split on whitespace outside quotes and outside ``{{ }}``/``{% %}``/``{# #}``;
    tokens keep their quotes."""
    tokens: list[str] = []
    current: list[str] = []
    quote: str | None = None
    depth = 0
    i = 0
    while i < len(text):
        char = text[i]
        pair = text[i:i + 2]
        if quote:
            current.append(char)
            if char == "\\" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 2
                continue
            if char == quote:
                quote = None
        elif pair in ("{{", "{%", "{#"):
            depth += 1
            current.append(pair)
            i += 2
            continue
        elif pair in ("}}", "%}", "#}") and depth:
            depth -= 1
            current.append(pair)
            i += 2
            continue
        elif char in "\"'" and not depth:
            quote = char
            current.append(char)
        elif char.isspace() and not depth:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
        i += 1
    if quote:
        raise CorralParserError(f"failed at splitting arguments, either an unbalanced jinja2 block "
                                f"or quotes: {text}")
    if current:
        tokens.append("".join(current))
    return tokens


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_kv(text: str, check_raw: bool = False) -> dict[str, str]:
    """Parse ``k=v k2="v 2" rest`` into a dict; non-``k=v`` tokens (and, with
    ``check_raw``, ``k=v`` tokens whose key is not a known option) form
    ``_raw_params``."""
    if text is None:
        return {}
    options: dict[str, str] = {}
    raw: list[str] = []
    for token in split_args(str(text)):
        match = _KEY.match(token)
        if match and (not check_raw or match.group(1) in RAW_PARAM_KEYS):
            options[match.group(1)] = _unquote(match.group(2))
        else:
            raw.append(token)
    if raw:
        options["_raw_params"] = " ".join(raw)
    return options
