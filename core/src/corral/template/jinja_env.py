"""The Jinja2 side of :mod:`corral.template`: the undefined type, the native
environment and the environments a run renders with.

It is imported when a run first compiles a template (or asks for
:class:`CorralUndefined`), not when :mod:`corral.template` is imported: a run
whose values hold no template (a play with no tasks) never imports Jinja2.
"""
from __future__ import annotations

import functools
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.parser
from jinja2.nativetypes import NativeCodeGenerator, NativeEnvironment

from corral.template import _native_concat, _text, type_name

__all__ = ["CorralUndefined", "NativeEnv", "new_environments", "syntax_environment"]


class CorralUndefined(jinja2.ChainableUndefined, jinja2.StrictUndefined):
    """Undefined that chains through attributes (``a.b.c | default(1)`` works) and
    fails, naming the first missing name, when it is printed, tested or iterated."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "CorralUndefined"

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if self._undefined_obj is jinja2.utils.missing:
            return f"{self._undefined_name!r} is undefined"
        if not isinstance(self._undefined_name, str):
            return f"object of type {type(self._undefined_obj).__name__!r} has no element {self._undefined_name!r}"
        return f"object of type {type_name(self._undefined_obj)!r} has no attribute {self._undefined_name!r}"


class _NativeCodeGenerator(NativeCodeGenerator):
    """Never turn an expression into a string constant at compile time: the value
    of ``{{ 1 + 1 }}`` must stay the integer 2 (only literal text is constant)."""

    def _output_child_to_const(self, node: Any, frame: Any, finalize: Any) -> Any:
        if not isinstance(node, jinja2.nodes.TemplateData):
            raise jinja2.nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)


class NativeEnv(NativeEnvironment):
    """The environment of values: a template that is one expression renders to its
    native value, several parts join as text."""

    code_generator_class = _NativeCodeGenerator
    concat = staticmethod(_native_concat)  # type: ignore[assignment]


def new_environments() -> tuple[NativeEnv, jinja2.Environment]:
    """A new pair of environments with Ansible's settings and Jinja2's own filters,
    tests and globals: native (values keep their final newline, ``"hello {{ x }}\\n"``
    in YAML, as in Ansible) and text (template files; ``None`` renders as nothing)."""
    options: dict[str, Any] = dict(undefined=CorralUndefined, trim_blocks=True, autoescape=False,
                                   extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    return NativeEnv(keep_trailing_newline=True, **options), jinja2.Environment(finalize=_text, **options)


@functools.lru_cache(maxsize=1)
def syntax_environment() -> jinja2.Environment:
    """The environment that parses expressions to check their syntax (Jinja2's
    default syntax; nothing is rendered with it), made once per process."""
    return jinja2.Environment()
