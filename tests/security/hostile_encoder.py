"""For tests that play a hostile host by changing what its modules print: the
``sitecustomize`` they give the target's Python replaces ``json.dumps`` with its own
``dumps``; :data:`ENCODE_RESULTS_WITH_DUMPS`, appended to it, makes the module
runtime's result encoder (``corral.module_utils._jsoncodec``, which calls json's C
accelerator, not ``json.dumps``) use that ``dumps`` too, whenever the runtime is
imported (in a module's own interpreter or in a module server)."""

ENCODE_RESULTS_WITH_DUMPS = '''

import builtins as _builtins, sys as _sys
_real_import = _builtins.__import__


def _hostile_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = _real_import(name, globals, locals, fromlist, level)
    codec = _sys.modules.get("corral.module_utils._jsoncodec")
    if getattr(codec, "dumps", dumps) is not dumps:     # once it is imported (not while it loads)
        codec.dumps = dumps
    return module


_builtins.__import__ = _hostile_import
'''
