"""``ansible.template``: the ``Templar`` plugins use (corral's), and the trust
markers of Ansible 2.19+ (corral trusts what is not marked unsafe)."""
from __future__ import annotations

from typing import Any

from corral.template import Templar, is_template
from corral.utils.unsafe import is_unsafe

__all__ = ["Templar", "trust_as_template", "is_trusted_as_template"]


def trust_as_template(value: Any) -> Any:
    """``value`` as a template to render (strings are templates unless marked unsafe)."""
    return str(value) if isinstance(value, str) and is_unsafe(value) else value


def is_trusted_as_template(value: Any) -> bool:
    """Whether ``value`` would be rendered as a template."""
    return isinstance(value, str) and not is_unsafe(value) and is_template(value)

