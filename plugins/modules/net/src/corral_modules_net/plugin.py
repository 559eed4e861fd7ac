"""Hook implementations: the modules of this distribution, the documentation fragment they
share (``url``) and the controller side of ``uri``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, doc_fragments_in, modules_in
from corral_modules_net.actions import UriAction

_DIR = Path(__file__).resolve().parent / "modules"
_FRAGMENTS = Path(__file__).resolve().parent / "doc_fragments"
_DISTRIBUTION = "corral-modules-net"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """Every ``modules/*.py`` file is a module of that name."""
    return modules_in(_DIR, _DISTRIBUTION)


@hookimpl
def corral_module_doc_fragments() -> dict[str, str]:
    """``url``: the options of get_url and uri's common HTTP client."""
    return doc_fragments_in(_FRAGMENTS)


@hookimpl
def corral_actions() -> dict[str, Any]:
    """``uri`` transfers controller files (``src``, multipart ``filename``) first."""
    return {"uri": UriAction}
