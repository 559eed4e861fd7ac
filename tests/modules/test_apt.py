"""apt against a real apt and dpkg: a local repository of small packages built by the test, plays run
in a mount namespace whose apt and dpkg state are overlays (``apt_sandbox``), by corral and by
ansible-core 2.21 on identical sandboxes. Their registered results are compared task by task (apt's
progress lines and the cache's time aside), with the behaviours that matter also asserted on their
own: update_cache changes only what really changed, a second run changes nothing, policy-rc.d is
in force during the install and restored afterwards, and the machine's own dpkg is untouched."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .apt_sandbox import CORRAL, ORACLE, Package, build_repository, run_plays

POLICY = """\
if [ -x /usr/sbin/policy-rc.d ]; then /usr/sbin/policy-rc.d capt-svc start || echo $? > /srv/capt/policy
else echo none > /srv/capt/policy; fi
"""
PACKAGES = [Package("capt-a", "1.0"), Package("capt-a", "2.0"), Package("capt-dep", "1.0"),
            Package("capt-b", "1.0", depends="capt-dep"), Package("capt-svc", "1.0", postinst=POLICY),
            Package("capt-conf", "1.0", extra={"Conflicts": "capt-a"})]
EXISTING_POLICY = "printf '#!/bin/sh\\nexit 0\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d"

PREPARE = """
- apt: {update_cache: true}
- apt: {name: [capt-a=1.0, capt-b]}
"""

# every kind of change, then the same state asked again: the second play must change nothing
CONVERGE = """
- apt: {update_cache: true}
- apt: {update_cache: true, cache_valid_time: 3600}
- apt: {name: capt-svc, policy_rc_d: 101}
- apt: {upgrade: dist}
- apt: {name: capt-b, state: absent}
- apt: {autoremove: true, purge: true}
- apt: {name: capt-a, state: latest, only_upgrade: true}
- apt: {name: capt-conf, only_upgrade: true}
"""

OPTIONS = """
- apt: {update_cache: true, cache_valid_time: 1}
- apt: {name: capt-a=1.0}
- apt: {name: capt-a, state: latest}
  check_mode: true
- apt: {name: capt-a, state: latest}
- apt: {name: capt-a=1.0}
- apt: {name: capt-a=1.0, allow_downgrade: true}
- apt: {name: capt-conf, fail_on_autoremove: true, default_release: capt, install_recommends: false,
        allow_unauthenticated: true, allow_change_held_packages: true, force: true}
- apt: {name: capt-conf, fail_on_autoremove: true}
  check_mode: true
- command: apt-mark hold capt-a
- apt: {name: capt-a, state: latest}
- apt: {name: capt-a, state: latest, allow_change_held_packages: true}
- apt: {name: "capt-b*"}
  check_mode: true
- apt: {name: capt-a, state: absent, purge: true, autoremove: true}
- apt: {name: capt-a, default_release: nosuch}
- apt: {name: capt-nope}
- apt: {name: capt-a=9.9}
- apt: {name: "capt-a=1=2"}
- apt: {name: [capt-a, "*"], state: latest}
- apt: {name: capt-a, upgrade: wrong}
- apt: {name: capt-a, deb: /x.deb}
- apt: {upgrade: wrong}
- apt: {name: "capt-a>=1.5", state: present}
- apt: {upgrade: safe}
  check_mode: true
- apt: {name: "*", state: latest}
- apt: {clean: true}
- apt: {autoclean: true}
- apt: {name: capt-svc, policy_rc_d: 101}
- command: cat /srv/capt/policy /usr/sbin/policy-rc.d
- apt: {update_cache: true, update_cache_retries: 0}
  check_mode: true
- apt: {update_cache: true}
  check_mode: true
"""

DEBS = """
- apt: {update_cache: true}
- apt: {deb: "{{ repo }}/capt-b_1.0_all.deb"}
  check_mode: true
- apt: {deb: "{{ repo }}/capt-b_1.0_all.deb"}
- apt: {deb: "{{ repo }}/capt-b_1.0_all.deb"}
- apt: {deb: /nonexistent.deb}
- apt: {deb: "{{ repo }}/capt-a_1.0_all.deb", state: absent}
- apt: {name: "capt-*", state: absent, purge: true}
- apt: {autoremove: true}
  check_mode: true
"""


@pytest.fixture(scope="module")
def repository() -> Iterator[Path]:
    """The repository, in a folder apt's unprivileged ``_apt`` user can read (pytest's are private)."""
    folder = Path(tempfile.mkdtemp(prefix="corral-apt-"))
    folder.chmod(0o755)
    yield build_repository(folder / "repo", PACKAGES)
    shutil.rmtree(folder)


def _normal(result: dict[str, Any]) -> dict[str, Any]:
    """A result without what differs between two runs: times, apt's database progress lines."""
    result = {key: value for key, value in result.items()
              if key not in ("delta", "start", "end", "stdout_lines", "stderr_lines")}
    if "cache_update_time" in result:
        assert isinstance(result["cache_update_time"], int) and result["cache_update_time"] > 0
        result["cache_update_time"] = "<time>"
    return json.loads(re.sub(r"\(Reading database[^)]*\)", "", json.dumps(result)))


def _both(tmp_path: Path, repository: Path, plays: list[str], **options: Any) -> list[dict[str, Any]]:
    """Run ``plays`` with ansible-core and with corral; assert their results agree; corral's runs."""
    oracle = run_plays(ORACLE, tmp_path / "oracle", repository, plays, **options)
    corral = run_plays(CORRAL, tmp_path / "corral", repository, plays, **options)
    for index, (expected, got) in enumerate(zip(oracle, corral)):
        assert (got["rc"], got["changed"], got["failed"]) == (expected["rc"], expected["changed"], expected["failed"])
        for number, (want, have) in enumerate(zip(expected["tasks"], got["tasks"])):
            want, have = _normal(want), _normal(have)
            assert have == want, f"play {index}, task {number}: " + "; ".join(
                f"{key}: ansible-core {want.get(key)!r}, corral {have.get(key)!r}"
                for key in sorted(set(want) | set(have)) if want.get(key) != have.get(key))
    return corral


def test_a_second_run_changes_nothing(tmp_path: Path, repository: Path) -> None:
    prepare, first, second = _both(tmp_path, repository, [PREPARE, CONVERGE, CONVERGE], setup=EXISTING_POLICY)
    assert prepare["tasks"][0]["cache_updated"] is True and prepare["tasks"][0]["changed"] is True
    tasks = first["tasks"]
    assert [task["cache_updated"] for task in tasks[:2]] == [False, False]
    assert [task["changed"] for task in tasks] == [False, False, True, True, True, True, False, False]
    assert second["changed"] == 0 and second["failed"] == 0
    assert not subprocess.run(["dpkg-query", "-W", "capt-a"], capture_output=True).stdout


def test_options_act_as_ansible_core_does(tmp_path: Path, repository: Path) -> None:
    (run,) = _both(tmp_path, repository, [OPTIONS], extra_args=("--diff",))
    tasks = run["tasks"]
    assert tasks[0]["cache_updated"] is True
    assert tasks[1]["diff"]["prepared"].endswith("0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.")
    assert "Inst capt-a [1.0] (2.0" in tasks[2]["stdout"] and tasks[3]["changed"] is True
    assert tasks[4]["failed"] and "without --allow-downgrades" in tasks[4]["stderr"]
    assert tasks[5]["changed"] is True and "DOWNGRADED" in tasks[5]["stdout"]
    assert "-t 'capt' -o APT::Install-Recommends=no --allow-unauthenticated" in tasks[6]["msg"]
    assert "--no-remove --simulate install 'capt-conf=1.0'" in tasks[7]["msg"]
    assert tasks[9]["failed"] and tasks[10]["changed"] is True and tasks[11]["changed"] is True
    assert tasks[12]["changed"] is True and "capt-a*" in tasks[12]["stdout"]
    assert tasks[13]["msg"].startswith("Task failed: Module failed: E:The value 'nosuch' is invalid")
    assert tasks[14]["msg"] == "No package matching 'capt-nope' is available"
    assert tasks[15]["msg"] == "no available installation candidate for capt-a=9.9"
    assert tasks[16]["msg"] == "invalid package spec: capt-a=1=2"
    assert tasks[17]["msg"] == "unable to install additional packages when upgrading all installed packages"
    assert tasks[18]["msg"] == tasks[19]["msg"] == "parameters are mutually exclusive: deb|package|upgrade"
    assert tasks[20]["msg"] == "value of upgrade must be one of: dist, full, no, safe, yes, got: wrong"
    assert tasks[21]["changed"] is True and [task["changed"] for task in tasks[22:26]] == [False, False, True, False]
    assert tasks[27]["stdout"] == "101"    # in force during the install, removed afterwards
    assert tasks[28]["msg"] == "Failed to update apt cache after 0 retries: unknown reason"
    assert tasks[29]["changed"] is True and tasks[29]["cache_updated"] is True


def test_policy_rc_d_is_in_force_then_restored(tmp_path: Path, repository: Path) -> None:
    tasks = "- apt: {update_cache: true}\n- apt: {name: capt-svc, policy_rc_d: 101}\n" \
            "- command: cat /srv/capt/policy /usr/sbin/policy-rc.d"
    (run,) = run_plays(CORRAL, tmp_path, repository, [tasks], setup=EXISTING_POLICY)
    assert run["tasks"][2]["stdout"] == "101\n#!/bin/sh\nexit 0"


def test_debs_and_removals(tmp_path: Path, repository: Path) -> None:
    (run,) = _both(tmp_path, repository, [DEBS.replace("{{ repo }}", str(repository))], extra_args=("--diff",))
    check, installed, again = run["tasks"][1:4]
    assert check["changed"] is True and "--simulate" not in check["stdout"]
    assert installed["changed"] is True and "Setting up capt-b (1.0)" in installed["stdout"]
    assert again == {**again, "changed": False, "stdout": "", "diff": ""}
    assert run["tasks"][4]["msg"].startswith("Unable to install package: E:Could not open file /nonexistent.deb")
    assert run["tasks"][5]["msg"] == "deb only supports state=present"
    assert run["tasks"][6]["changed"] is True


def test_an_unsigned_source_needs_allow_unauthenticated(tmp_path: Path, repository: Path) -> None:
    tasks = "- apt: {update_cache: true}\n- apt: {name: capt-a}\n- apt: {name: capt-a, allow_unauthenticated: true}"
    (run,) = _both(tmp_path, repository, [tasks], trusted=False)
    assert run["tasks"][1]["failed"] is True and "cannot be authenticated" in run["tasks"][1]["stdout"]
    assert run["tasks"][2]["changed"] is True and "Setting up capt-a (2.0)" in run["tasks"][2]["stdout"]
