"""The standard callbacks are found through their entry points (group corral.callback)."""
from __future__ import annotations

import pytest

from corral.errors import CorralPluginError
from corral.plugins.callback import CallbackBase
from corral.plugins.manager import PluginManager


@pytest.mark.parametrize("name,dist", [("default", "corral-callback-default"), ("json", "corral-callback-json"),
                                       ("minimal", "corral-callback-minimal"),
                                       ("oneline", "corral-callback-oneline")])
def test_standard_callback_is_installed_and_loads(name, dist):
    manager = PluginManager()
    info = {i.name: i for i in manager.installed("callback")}[name]
    assert info.distribution == dist
    cls = manager.callback_class(name)
    assert issubclass(cls, CallbackBase)
    assert cls.CALLBACK_NAME == name and cls.CALLBACK_TYPE == "stdout"


def test_tree_callback_is_an_aggregate_that_must_be_enabled():
    cls = PluginManager().callback_class("tree")
    assert cls.CALLBACK_TYPE == "aggregate" and cls.CALLBACK_NEEDS_ENABLED is True


def test_unknown_callback_lists_installed_ones():
    with pytest.raises(CorralPluginError, match="installed callback plugins: .*default.*json"):
        PluginManager().callback_class("nope")
