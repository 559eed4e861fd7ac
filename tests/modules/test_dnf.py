"""dnf (and yum, routed to it, and dnf5) against stand-ins for dnf and rpm (dnf does not run here): shell scripts
that record their arguments and keep the installed packages in a file. The module's commands and flags,
check mode, and a second run that changes nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def test_install_upgrade_remove_through_the_dnf_command(tmp_path, playbook) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("dnf", "dnf5", "rpm"):
        shutil.copy(DATA / "fake_dnf.sh", bin_dir / name)
        (bin_dir / name).chmod(0o755)
    log, installed, updates = tmp_path / "log", tmp_path / "installed", tmp_path / "updates"
    installed.write_text("bash\nold\n")
    updates.write_text("bash\n")
    env = (f"  environment: {{PATH: '{bin_dir}:/usr/bin:/bin', FAKE_LOG: '{log}', FAKE_INSTALLED: '{installed}', "
           f"FAKE_UPDATES: '{updates}'}}\n")
    tasks = [
        "dnf: {name: [httpd, bash]}\n  check_mode: true",
        "dnf: {name: [httpd, bash], enablerepo: [epel], install_weak_deps: false, disable_gpg_check: true}",
        "yum: {name: httpd}",
        "dnf: {name: [bash], state: latest, update_only: true, exclude: [kernel*]}",
        "dnf: {name: [old], state: absent}",
        "dnf: {name: [old], state: absent}",
        "dnf: {name: bash-0.9}",
        "dnf: {list: installed}",
        "package: {name: mod_ssl, state: present}\n  vars: {ansible_pkg_mgr: dnf}",
        "dnf5: {name: [zsh], best: true}",
        "dnf: {name: [zsh], use_backend: dnf5}",
    ]
    run = playbook("\n".join(f"- {task}\n{env}" for task in tasks))
    assert [task.get("changed") for task in run["tasks"]] == [True, True, False, True, True, False, False, False, True,
                                                                  True, False]
    assert run["tasks"][7]["results"] == ["Installed Packages", "bash.x86_64  1.0-1  @System",
                                          "httpd.x86_64  1.0-1  @System", "bash.x86_64  1.0-1  @System"]
    commands = [line for line in log.read_text().splitlines() if not line.startswith("rpm ")]
    assert commands == [
        "dnf install -y --enablerepo=epel --nogpgcheck --setopt=install_weak_deps=False httpd",
        "dnf check-update --exclude=kernel* bash",
        "dnf upgrade -y --exclude=kernel* bash",
        "dnf remove -y old",
        "dnf list installed",
        "dnf install -y mod_ssl",
        "dnf5 install -y --best zsh",
    ]
