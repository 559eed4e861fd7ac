"""corral.plugins.portable: the importable reference of a plugin registered in code,
and the refusal, naming the inline executor, of one another process cannot import."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import corral_connection_local
from corral.errors import CorralPluginError
from corral.plugins.manager import PluginManager
from corral.plugins.portable import PortablePlugins, reference_of, resolve


@pytest.fixture
def plugin_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "throwaway_plugins.py").write_text(
        "from corral.plugins import hookimpl\n"
        "class Shout:\n"
        "    @hookimpl\n"
        "    def corral_template_filters(self):\n"
        "        return {'shout': lambda text: text.upper()}\n"
        "INSTANCE = Shout()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import throwaway_plugins
    yield throwaway_plugins
    sys.modules.pop("throwaway_plugins", None)


def test_modules_classes_and_module_level_instances_have_references(plugin_module) -> None:
    assert reference_of(corral_connection_local, "local") == "corral_connection_local"
    assert reference_of(plugin_module.Shout, "shout") == "throwaway_plugins:Shout"
    assert reference_of(plugin_module.INSTANCE, "shout") == "throwaway_plugins:INSTANCE"
    assert resolve("throwaway_plugins:INSTANCE") is plugin_module.INSTANCE


def test_objects_other_processes_cannot_import_are_refused(plugin_module) -> None:
    class Local:
        pass

    for plugin in (Local(), Local, plugin_module.Shout()):
        with pytest.raises(CorralPluginError, match="'inline' executor"):
            reference_of(plugin, "throwaway")


def test_another_manager_registers_the_references(plugin_module, tmp_path: Path) -> None:
    controller = PluginManager()
    controller.register(plugin_module.INSTANCE, name="shout")
    shipped = controller.portable_plugins()
    assert shipped.plugins == (("throwaway_plugins:INSTANCE", "shout"),)
    assert str(tmp_path) in shipped.path
    worker = PluginManager()
    PortablePlugins(shipped.plugins, shipped.path).register_into(worker.register)
    assert worker.template_filters()["shout"]("hi") == "HI"
