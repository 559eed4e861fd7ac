"""One module in a fresh interpreter, with the runtime library the controller compiled.

A module server (:mod:`corral.executor.module_server`) pays off from a host's second
module on; a host that runs one module in the whole run (the ad-hoc CLI's one task,
``ModuleRequest.alone``) would start it for nothing.  Such a module runs instead as
``<interpreter> -c 'import sys;exec(sys.stdin.buffer.read(N))'``, whose stdin carries,
in one write: this runner's source (``N`` bytes), ``>I`` and the runtime library as
the controller compiled it (possibly empty), then the module payload up to the end of
stdin.  The runner makes ``sys.modules['__corral_server__'].compile`` serve the
library's code from that blob (when the target's bytecode is the controller's: same
magic number, no ``-O``) and executes the payload in the interpreter itself: no fork,
no frames, nothing left running.  Exit status, stdout and stderr are the payload's, as
from ``<interpreter> -``.
"""
from __future__ import annotations

import shlex
import struct

__all__ = ["INLINE_SOURCE", "inline_arguments", "inline_stdin"]

INLINE_SOURCE = rb'''
import sys, marshal, zlib
_rest = sys.stdin.buffer.read()
_size = int.from_bytes(_rest[:4], "big")
_blob, _payload = _rest[4:4 + _size], _rest[4 + _size:]
del _rest
_precompiled = {}
if _blob and not sys.flags.optimize:
    try:
        _magic, _entries = marshal.loads(zlib.decompress(_blob))
        if _magic == sys.modules["_frozen_importlib_external"].MAGIC_NUMBER:
            _precompiled = _entries
    except Exception:
        _precompiled = {}
del _blob


class _Hooks(type(sys)):
    """``sys.modules['__corral_server__']``: the payload compiles its sources with it."""

    @staticmethod
    def compile(source, filename, mode="exec"):
        if _precompiled:
            data = source.encode("utf-8", "surrogateescape")
            code = _precompiled.get((filename, mode, len(data), zlib.crc32(data)))
            if code is not None:
                return marshal.loads(code)
        return compile(source, filename, mode)


sys.modules["__corral_server__"] = _Hooks("__corral_server__")
exec(compile(_payload, "<corral module>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
'''


def inline_arguments() -> str:
    """The interpreter's arguments (shell-quoted) that run one module; its stdin is
    :func:`inline_stdin`."""
    return "-c " + shlex.quote(f"import sys;exec(sys.stdin.buffer.read({len(INLINE_SOURCE)}))")


def inline_stdin(payload: bytes, precompiled: bytes = b"") -> bytes:
    """What :func:`inline_arguments` reads: the runner, the compiled library, the payload."""
    return INLINE_SOURCE + struct.pack(">I", len(precompiled)) + precompiled + payload
