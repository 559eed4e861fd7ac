"""System modules on localhost."""
from __future__ import annotations

import os
import platform
import pwd

from .conftest import run_module


def test_setup_facts():
    result = run_module("setup")
    facts = result["ansible_facts"]
    assert result["changed"] is False and facts["module_setup"] is True
    assert facts["ansible_system"] == platform.system() and facts["ansible_kernel"] == platform.release()
    assert facts["ansible_user_id"] == pwd.getpwuid(os.getuid()).pw_name
    assert facts["ansible_python"]["version"]["major"] == 3
    assert facts["ansible_hostname"] == platform.node().split(".")[0]
    assert facts["ansible_distribution"] and facts["ansible_os_family"]
    assert facts["ansible_memtotal_mb"] > 0 and facts["ansible_processor_vcpus"] >= 1
    assert facts["ansible_env"]["PATH"] == os.environ["PATH"]
    assert facts["ansible_date_time"]["epoch"].isdigit()
    assert isinstance(facts["ansible_mounts"], list) and "lo" in facts["ansible_interfaces"]


def test_setup_subsets_and_filter(tmp_path):
    (tmp_path / "app.fact").write_text('{"port": 8080}')
    minimal = run_module("setup", {"gather_subset": ["!all"], "fact_path": str(tmp_path)})["ansible_facts"]
    assert "ansible_distribution" in minimal and "ansible_mounts" not in minimal
    assert minimal["ansible_local"] == {"app": {"port": 8080}}
    nothing = run_module("setup", {"gather_subset": ["!all", "!min"]})["ansible_facts"]
    assert nothing == {"gather_subset": ["!all", "!min"], "module_setup": True}
    filtered = run_module("setup", {"filter": ["ansible_distribution*"]})["ansible_facts"]
    assert set(filtered) - {"gather_subset", "module_setup"} == {
        key for key in filtered if key.startswith("ansible_distribution")}
    bad = run_module("setup", {"gather_subset": ["bogus"]})
    assert bad["failed"] is True and "Bad subset 'bogus'" in bad["msg"]
