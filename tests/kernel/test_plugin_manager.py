"""Discovery through entry points, registration and calls through pluggy."""
from __future__ import annotations

from typing import Any

import pytest

from corral.errors import CorralPluginError
from corral.plugins import hookimpl
from corral.plugins.callback import CallbackBase
from corral.plugins.manager import PluginManager


def test_entry_point_discovery_finds_the_standard_plugins() -> None:
    plugins = PluginManager()
    found = {(info.kind, info.name): info for kind in ("connection", "strategy", "executor", "callback",
                                                        "inventory", "module", "template")
             for info in plugins.installed(kind)}
    for key, dist in [(("connection", "local"), "corral-connection-local"),
                      (("connection", "ssh"), "corral-connection-ssh"),
                      (("strategy", "linear"), "corral-strategy-linear"),
                      (("strategy", "free"), "corral-strategy-free"),
                      (("executor", "forking"), "corral-executor-forking"),
                      (("callback", "default"), "corral-callback-default"),
                      (("callback", "json"), "corral-callback-json"),
                      (("inventory", "ini"), "corral-inventory-ini"),
                      (("inventory", "host_list"), "corral-inventory-host-list")]:
        assert key in found, key
        assert found[key].distribution == dist
        assert found[key].version


def test_named_plugins_resolve_to_classes() -> None:
    plugins = PluginManager()
    assert plugins.connection_class("local").transport == "local"
    assert plugins.strategy_class("linear").__name__ == "LinearStrategy"
    assert plugins.executor_class("forking").__name__ == "ForkingExecutor"
    assert issubclass(plugins.callback_class("default"), CallbackBase)


def test_a_missing_plugin_names_its_kind_the_installed_ones_and_the_distribution() -> None:
    plugins = PluginManager(allow=["connection:local"])
    with pytest.raises(CorralPluginError) as info:
        plugins.connection_class("ssh")
    message = str(info.value)
    assert "No connection plugin named 'ssh'" in message
    assert "installed connection plugins: local" in message
    assert "corral-connection-ssh" in message


def test_an_unknown_third_party_name_says_how_to_provide_it() -> None:
    with pytest.raises(CorralPluginError) as info:
        PluginManager().callback_class("nonexistent")
    assert "'corral.callback' entry point named 'nonexistent'" in str(info.value)
    assert "default" in str(info.value)


def test_allow_list_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRAL_LOAD_PLUGINS", "local,strategy:linear")
    plugins = PluginManager()
    assert plugins.names("connection") == ["local"]
    assert plugins.names("strategy") == ["linear"]
    assert plugins.names("executor") == []


def test_each_manager_has_its_own_registrations() -> None:
    class Extra:
        @hookimpl
        def corral_template_filters(self) -> dict[str, Any]:
            return {"shout": lambda s: s.upper() + "!"}

    first, second = PluginManager(), PluginManager()
    first.register(Extra())
    assert "shout" in first.template_filters()
    assert "shout" not in second.template_filters()


def test_a_throwaway_plugin_overrides_a_filter_registered_before_it() -> None:
    class Override:
        @hookimpl
        def corral_template_filters(self) -> dict[str, Any]:
            return {"to_json": lambda value: "overridden"}

    plugins = PluginManager()
    assert plugins.template_filters()["to_json"]({}) != "overridden"
    plugins.register(Override())
    assert plugins.template_filters()["to_json"]({}) == "overridden"


def test_callback_exceptions_become_warnings_and_other_callbacks_still_run() -> None:
    warnings: list[str] = []
    seen: list[str] = []

    class Broken(CallbackBase):
        def v2_playbook_on_no_hosts_matched(self) -> None:
            raise RuntimeError("boom")

    class Good(CallbackBase):
        def v2_playbook_on_no_hosts_matched(self) -> None:
            seen.append("good")

    plugins = PluginManager()
    plugins.register_callback(Good(), "good", warnings.append)
    plugins.register_callback(Broken(), "broken", warnings.append)
    plugins.emit("v2_playbook_on_no_hosts_matched")
    assert seen == ["good"]
    assert len(warnings) == 1
    assert "v2_playbook_on_no_hosts_matched" in warnings[0] and "broken" in warnings[0] and "boom" in warnings[0]


def test_callbacks_receive_arguments_positionally_as_in_ansible() -> None:
    got: list[tuple[Any, ...]] = []

    class Old(CallbackBase):
        def v2_runner_on_failed(self, res, ignore):  # other parameter names than the spec's
            got.append((res, ignore))

    class OnlyResult(CallbackBase):
        def v2_runner_on_failed(self, result):
            got.append((result,))

    plugins = PluginManager()
    plugins.register_callback(Old(), "old", print)
    plugins.register_callback(OnlyResult(), "only", print)
    plugins.emit("v2_runner_on_failed", result="R", ignore_errors=True)
    assert sorted(got, key=len) == [("R",), ("R", True)]


def test_a_misspelt_hook_fails_loudly_when_registered() -> None:
    class Typo:
        @hookimpl
        def corral_conection(self, name: str) -> None:  # the typo under test
            return None

    plugins = PluginManager()
    with pytest.raises(CorralPluginError) as caught:
        plugins.register(Typo(), name="typo")
    message = str(caught.value)
    assert "'corral_conection' (did you mean 'corral_connection'?)" in message and "'typo'" in message
    assert plugins.hooks.get_plugin("typo") is None, "the plugin is not left half-registered"


def test_a_misspelt_hook_in_an_installed_plugin_is_a_named_load_failure(tmp_path, monkeypatch) -> None:
    import sys

    from corral.plugins.discovery import EntryPointRecord

    (tmp_path / "corral_typo_plugin.py").write_text(
        "from corral.plugins import hookimpl\n\n"
        "@hookimpl\n"
        "def corral_conection(name):\n"
        "    return None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    warnings: list[str] = []
    plugins = PluginManager(warn=warnings.append)
    ep = EntryPointRecord("typo", "corral_typo_plugin", "corral.connection", "unknown", "", len(sys.path))
    assert plugins._load_entry_point("connection", ep) is None
    assert len(warnings) == 1 and "Failed to load connection plugin 'typo'" in warnings[0]
    assert "did you mean 'corral_connection'?" in warnings[0]
    assert plugins.connection_class("local").__name__ == "LocalConnection", "other plugins still load"
