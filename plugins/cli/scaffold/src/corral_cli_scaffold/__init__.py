"""corral-cli-scaffold: ``corral-plugins new KIND NAME`` writes a plugin distribution.

The distribution it writes (``corral-KIND-NAME``, package ``corral_KIND_NAME``)
holds a ``pyproject.toml`` with the entry point, licence metadata and the
dependency on ``corral-core``, a working minimal implementation, a pytest test
that uses the ``pytest-corral`` kit, and a README.  :func:`generate` is the
same from Python.
"""
from corral_cli_scaffold.generate import KINDS, ScaffoldError, generate

__all__ = ["KINDS", "ScaffoldError", "generate"]
