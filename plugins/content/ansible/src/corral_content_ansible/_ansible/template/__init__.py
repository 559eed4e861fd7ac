"""``ansible.template``: the ``Templar`` plugins use, and the trust markers of
Ansible 2.19+ (corral trusts what is not marked unsafe).

``Templar`` is corral's :class:`corral.template.Templar` with the methods Ansible
2.19+ added (``copy_with_new_env``, ``evaluate_expression``, ``is_template``);
plugins written for Ansible get their run's templar as one (:meth:`Templar.of`).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.template import Templar as _KernelTemplar
from corral.template import is_template
from corral.utils.unsafe import is_unsafe

__all__ = ["Templar", "trust_as_template", "is_trusted_as_template"]


class Templar(_KernelTemplar):
    """A templar with Ansible's API over corral's."""

    @classmethod
    def of(cls, templar: Any) -> Any:
        """``templar`` (corral's) as an Ansible ``Templar`` sharing its environment and variables."""
        if templar is None or isinstance(templar, cls):
            return templar
        return cls(loader=getattr(templar, "_loader", None), variables=templar.available_variables,
                   environment=templar.template_environment)

    def copy_with_new_env(self, environment_class: Any = None, **overrides: Any) -> "Templar":
        """A templar over ``available_variables`` (when given), sharing this one's environment."""
        variables: Mapping[str, Any] = overrides.pop("available_variables", self.available_variables)
        return Templar(loader=self._loader, variables=variables, environment=self.template_environment)

    def copy_with_new_vars(self, variables: Mapping[str, Any]) -> "Templar":
        return Templar(loader=self._loader, variables=variables, environment=self.template_environment)

    def evaluate_expression(self, expression: str, *, local_variables: Mapping[str, Any] | None = None,
                            escape_backslashes: bool = True) -> Any:
        """The value of the Jinja2 expression ``expression`` (no ``{{ }}``)."""
        return self.template("{{ " + str(expression) + " }}", extra_vars=local_variables)

    def template(self, value: Any, fail_on_undefined: bool = True, extra_vars: Mapping[str, Any] | None = None,
                 **ansible_options: Any) -> Any:
        """Render ``value``; Ansible's keyword arguments (``preserve_trailing_newlines``,
        ``escape_backslashes``, ``convert_bare``, ``overrides``...) are accepted: corral
        keeps trailing newlines and renders natively, as Ansible 2.19+ does."""
        return super().template(value, fail_on_undefined=fail_on_undefined, extra_vars=extra_vars)

    def is_template(self, data: Any) -> bool:
        return is_template(data)

    @property
    def environment(self) -> Any:
        """The Jinja2 environment (deprecated in Ansible 2.19, with its warning)."""
        from ansible.utils.display import Display
        Display().deprecated("Direct access to the `environment` attribute is deprecated.", version="2.23",
                             collection_name="ansible.builtin",
                             help_text="Consider using `copy_with_new_env` or passing `overrides` to `template`.")
        return super().environment


def trust_as_template(value: Any) -> Any:
    """``value`` as a template to render (strings are templates unless marked unsafe)."""
    return str(value) if isinstance(value, str) and is_unsafe(value) else value


def is_trusted_as_template(value: Any) -> bool:
    """Whether ``value`` would be rendered as a template."""
    return isinstance(value, str) and not is_unsafe(value) and is_template(value)
