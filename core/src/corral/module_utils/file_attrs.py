"""File modes: octal and symbolic (``u+rwx,g-w,o=r``, ``a+X``) as ``chmod`` reads them;
the names of ``lsattr``'s attribute letters."""
from __future__ import annotations

import stat

from corral.module_utils._lazy import lazy_module

re = lazy_module("re")    # only a symbolic or octal-string mode needs it
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["parse_mode", "format_mode", "ModeError", "ATTRIBUTE_NAMES"]

#: ``lsattr`` letters and the names Ansible reports for them (``stat``'s ``attributes``)
ATTRIBUTE_NAMES = {
    "A": "noatime", "a": "append", "c": "compressed", "C": "nocow", "d": "nodump", "D": "dirsync",
    "e": "extents", "E": "encrypted", "h": "blocksize", "i": "immutable", "I": "indexed",
    "j": "journalled", "N": "inline", "s": "zero", "S": "synchronous", "t": "notail", "T": "blockroot",
    "u": "undelete", "X": "compressedraw", "Z": "compresseddirty",
}

_CLASS_BITS = {
    "u": {"r": stat.S_IRUSR, "w": stat.S_IWUSR, "x": stat.S_IXUSR},
    "g": {"r": stat.S_IRGRP, "w": stat.S_IWGRP, "x": stat.S_IXGRP},
    "o": {"r": stat.S_IROTH, "w": stat.S_IWOTH, "x": stat.S_IXOTH},
}
_CLASS_MASK = {"u": 0o4700, "g": 0o2070, "o": 0o1007}
_CLAUSE = r"^([ugoa]*)([-+=])([rwxXstugo]*)$"
_OCTAL = r"[0-7]{1,5}"


class ModeError(ValueError):
    """A mode that is neither octal nor valid symbolic notation."""


def format_mode(mode: int) -> str:
    """Return ``mode``'s permission bits as Ansible shows them (``'0644'``)."""
    return "0%03o" % stat.S_IMODE(mode)


def parse_mode(mode: Any, current: int, is_dir: bool, umask: int = 0o022) -> int:
    """Return the permission bits that ``mode`` gives a file whose mode is ``current``.

    ``mode`` is an int (used as is: YAML ``0644`` is already 420), an octal string
    (``'0644'``, ``'644'``, ``'1777'``) or symbolic clauses separated by commas.
    ``'preserve'`` is the caller's business.
    """
    if isinstance(mode, int) and not isinstance(mode, bool):
        return mode
    text = str(mode).strip()
    if re.fullmatch(_OCTAL, text):
        return int(text, 8)
    new = stat.S_IMODE(current)
    for clause in text.split(","):
        match = re.match(_CLAUSE, clause)
        if not match:
            raise ModeError(f"bad symbolic permission for mode: {clause}")  # the clause, as ansible-core names it
        who, op, perms = match.groups()
        use_umask = not who
        classes = "ugo" if (not who or "a" in who) else who
        for cls in classes:
            bits = _symbolic_bits(cls, perms, new, is_dir or bool(current & 0o111))
            if use_umask and op != "=":
                bits &= ~umask
            if op == "+":
                new |= bits
            elif op == "-":
                new &= ~bits
            else:
                new = (new & ~_CLASS_MASK[cls]) | bits
    return new


def _symbolic_bits(cls: str, perms: str, current: int, has_exec: bool) -> int:
    bits = 0
    for perm in perms:
        if perm in "rwx":
            bits |= _CLASS_BITS[cls][perm]
        elif perm == "X":
            if has_exec:
                bits |= _CLASS_BITS[cls]["x"]
        elif perm == "s":
            bits |= {"u": stat.S_ISUID, "g": stat.S_ISGID, "o": 0}[cls]
        elif perm == "t":
            bits |= stat.S_ISVTX if cls == "o" else 0
        else:  # copy another class's bits: u=g
            for sub in "rwx":
                if current & _CLASS_BITS[perm][sub]:
                    bits |= _CLASS_BITS[cls][sub]
    return bits
