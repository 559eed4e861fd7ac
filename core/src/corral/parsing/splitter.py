"""Splitting ``key=value`` argument strings as Ansible does.

``command: chdir=/tmp echo "a b"`` gives ``{'chdir': '/tmp', '_raw_params': 'echo "a b"'}``.

Contracts:

* Tokens are separated by spaces and newlines outside quotes and outside
  ``{{ }}``/``{% %}``/``{# #}`` (a tab does not separate, as in Ansible); a quote preceded by
  a backslash neither opens nor closes a quoted part.
* A token is ``key=value`` when it holds an ``=`` not preceded by a backslash, after its
  first character; the key is what comes before it, whatever it holds (``{{ k }}=v``
  has the key ``{{ k }}``, ``"a=b"`` the key ``"a``: the action decides what it accepts).
  In a free-form string only the given option names are keys.  A token that is no
  ``key=value`` is free-form text, and its ``\\=`` is ``=``.
* A ``key=value`` token's value has its escapes decoded (``\\n``, ``\\t``, ``\\\\``, ``\\"``,
  ``\\xHH``, ``\\uHHHH``, ``\\N{name}``, ...; octal escapes are left alone) and then one pair
  of enclosing quotes removed, in every quoting, as Ansible does.
* Free-form text (``_raw_params``) is the argument string itself, byte for byte: newlines,
  indentation, quoting, runs of spaces, backslashes and a trailing newline are kept.  Only
  the extracted ``key=value`` tokens are cut out, each with the spaces that separate it
  from its neighbours; a token alone on its line takes the line with it, and the lines
  around an extracted token are never joined.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Collection
from dataclasses import dataclass

from corral.errors import CorralParserError

__all__ = ["split_args", "parse_kv", "COMMAND_KEYS", "RAW_PARAM_KEYS"]

# Which actions take free-form text is each action's own trait (``FREE_FORM_KEYS``,
# see corral.plugins.traits); these are the two sets of option names the standard ones use.
#: the only options taken out of a command line (``shell: echo name=foo`` prints ``name=foo``)
COMMAND_KEYS = frozenset({"creates", "removes", "chdir", "executable", "warn", "stdin",
                          "stdin_add_newline", "strip_empty_ends"})
#: options recognised inside the free-form text of the include/import and meta actions
RAW_PARAM_KEYS = COMMAND_KEYS | frozenset({
    "argv", "cmd", "free_form", "decrypt", "file", "name", "dir", "depth", "files_matching",
    "ignore_files", "extensions", "ignore_unknown_extensions", "hash_behaviour"})

_KEY = re.compile(r".(?:[^=]|(?<=\\)=)*?(?<!\\)=", re.S)
#: the escapes Ansible decodes in key=value values (no octal)
_ESCAPE = re.compile(r"""\\(?:U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|N\{[^}]+\}|[\\'"abfnrtv])""")
_SEPARATORS = " \n"


@dataclass(frozen=True)
class _Token:
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    """Token spans of ``text`` (see the module docstring for the splitting rules)."""
    spans: list[_Token] = []
    start: int | None = None
    quote: str | None = None
    depth = 0
    i = 0
    while i < len(text):
        char = text[i]
        pair = text[i:i + 2]
        step = 1
        if quote:
            if char == quote and text[i - 1] != "\\":
                quote = None
        elif char in "\"'" and (i == 0 or text[i - 1] != "\\"):
            quote = char
        elif pair in ("{{", "{%", "{#"):
            depth += 1
            step = 2
        elif pair in ("}}", "%}", "#}") and depth:
            depth -= 1
            step = 2
        elif char in _SEPARATORS and not depth:
            if start is not None:
                spans.append(_Token(start, i))
                start = None
            i += 1
            continue
        if start is None:
            start = i
        i += step
    if quote or depth:
        raise CorralParserError(f"failed at splitting arguments, either an unbalanced jinja2 block "
                                f"or quotes: {text}")
    if start is not None:
        spans.append(_Token(start, len(text)))
    return spans


def split_args(text: str) -> list[str]:
    """The tokens of ``text``, each exactly as written (quotes kept)."""
    return [text[t.start:t.end] for t in _tokens(text)]


def _decode_escapes(value: str) -> str:
    return _ESCAPE.sub(lambda m: codecs.decode(m.group(0), "unicode-escape"), value)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" and value[-2] != "\\":
        return value[1:-1]
    return value


def _cut(left: str, right: str, *, first: bool, last: bool) -> str:
    """The whitespace that replaces ``left`` + an extracted token + ``right``, where
    ``left``/``right`` are the gaps before and after it (``first``/``last``: the token
    begins/ends the whole text)."""
    starts_line = first or "\n" in left
    if "\n" in right:
        if starts_line:   # alone on its line: the line goes, its neighbours stay apart
            return left.rstrip(" ") + right.split("\n", 1)[1]
        return right      # ends a line: the spaces before it go, the newline stays
    if last:
        return left.rstrip(" ") if "\n" in left else ""
    return left


def _join_raw(text: str, tokens: list[_Token], extracted: set[int]) -> str:
    if not extracted:
        return text
    kept = [i for i in range(len(tokens)) if i not in extracted]
    if not kept:
        return ""
    gap = text[:tokens[0].start]
    pieces: list[str] = []
    first = True
    for index, token in enumerate(tokens):
        after = text[token.end:tokens[index + 1].start] if index + 1 < len(tokens) else text[token.end:]
        if index in extracted:
            gap = _cut(gap, after, first=first, last=index + 1 == len(tokens))
            continue
        pieces.append(gap)
        pieces.append(text[token.start:token.end])
        gap = after
        first = False
    pieces.append(gap)
    return "".join(pieces)


def parse_kv(text: str | None, check_raw: bool = False,
             raw_keys: Collection[str] | None = None) -> dict[str, str]:
    """Parse ``k=v k2="v 2" rest`` into a dict.

    Without ``check_raw`` every ``k=v`` token is an option.  With ``check_raw`` only the
    keys in ``raw_keys`` (default :data:`RAW_PARAM_KEYS`) are; every other token stays in
    the free-form text, ``_raw_params``, which keeps the rest of ``text`` exactly.
    """
    if text is None:
        return {}
    text = str(text)
    keys = RAW_PARAM_KEYS if raw_keys is None else raw_keys
    tokens = _tokens(text)
    options: dict[str, str] = {}
    extracted: set[int] = set()
    for index, token in enumerate(tokens):
        word = text[token.start:token.end]
        match = _KEY.match(word)
        key = match.group(0)[:-1].strip() if match else ""
        if match and (not check_raw or key in keys):
            options[key] = _unquote(_decode_escapes(word[match.end():]))
            extracted.add(index)
    if len(extracted) < len(tokens):
        options["_raw_params"] = _join_raw(text, tokens, extracted)
    return options
