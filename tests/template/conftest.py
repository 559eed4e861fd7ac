"""Fixtures for the template plugins' tests: the real Templar with the three
template distributions loaded through a PluginManager."""
from __future__ import annotations

from typing import Any, Callable

import jinja2
import pytest
from jinja2 import nodes
from jinja2.nativetypes import NativeCodeGenerator

from corral.parsing.dataloader import DataLoader
from corral.plugins.manager import PluginManager
from corral.template import CorralUndefined, Templar, TemplateEnvironment

TEMPLATE_PLUGINS = ["template:filters", "template:tests", "template:lookups"]


@pytest.fixture(scope="session")
def plugins() -> PluginManager:
    """A PluginManager that loads only the standard template plugins."""
    return PluginManager(allow=TEMPLATE_PLUGINS)


class _RuntimeOutputGenerator(NativeCodeGenerator):
    """Native code generator that computes every ``{{ expression }}`` at render time.

    Jinja2 turns an output expression whose operands are constants into text
    when it compiles the template, and the kernel's native rendering keeps that
    text as it is, so ``{{ 'yes' | bool }}`` renders as ``'True'`` instead of
    ``True`` (reported to the kernel's owner).  These tests are about the
    plugins: they render with this generator until the kernel does the same.
    """

    def _output_child_to_const(self, node: nodes.Expr, frame: Any, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)


def make_environment(plugins: PluginManager) -> TemplateEnvironment:
    """A TemplateEnvironment with the plugins (see _RuntimeOutputGenerator)."""
    environment = TemplateEnvironment(plugins)
    environment.native.code_generator_class = _RuntimeOutputGenerator
    return environment


@pytest.fixture(scope="session")
def template_environment(plugins: PluginManager) -> TemplateEnvironment:
    return make_environment(plugins)


@pytest.fixture
def loader(tmp_path: Any) -> DataLoader:
    """A DataLoader whose base directory (the "playbook directory") is tmp_path."""
    data_loader = DataLoader()
    data_loader.set_basedir(str(tmp_path))
    return data_loader


@pytest.fixture
def render(loader: DataLoader, template_environment: TemplateEnvironment) -> Callable[..., Any]:
    """``render(template, **variables)``: the Templar's result for ``template``."""
    def _render(template: str, **variables: Any) -> Any:
        return Templar(loader, variables, environment=template_environment).template(template)

    return _render


@pytest.fixture
def templar(loader: DataLoader, template_environment: TemplateEnvironment) -> Callable[..., Templar]:
    """``templar(**variables)``: a Templar over those variables."""
    def _templar(**variables: Any) -> Templar:
        return Templar(loader, variables, environment=template_environment)

    return _templar


@pytest.fixture
def undefined() -> jinja2.Undefined:
    """An undefined value of the templar's kind, as a filter receives it."""
    return CorralUndefined(name="missing_var")
