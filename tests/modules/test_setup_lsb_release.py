"""``setup`` computes ``lsb_release -a``'s output instead of running Debian's minimal
``lsb_release`` script (a shell and four pipelines, ~10 ms of CPU) only where the
result is the script's own: each os-release text here is given to the real script
(``LSB_OS_RELEASE``) and to the computation, which must print the same or refuse
(``None``: setup then runs the command).  The machine the tests run on has that script
(Debian 12's lsb-release 12.0-1), as the facts comparison with ansible-core relies on."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from corral_modules_system.modules import setup

SCRIPT_INPUTS = ("ID", "NAME", "PRETTY_NAME", "VERSION_ID", "VERSION_CODENAME", "LSB_OS_RELEASE", "os_release")

COMPUTED = {
    "this host's": Path("/etc/os-release").read_bytes(),
    "empty": b"",
    "comments and blanks": b"# a comment\n\nID=debian\n#NAME=x\nVERSION_ID=13\n",
    "single quotes": b"ID='ubuntu'\nNAME='Ubuntu'\nPRETTY_NAME='Ubuntu 24.04 LTS'\nVERSION_CODENAME='noble'\n",
    "name differs from the id": b'ID=rocky\nNAME="Rocky Linux"\nVERSION_ID="9.4"\n',
    "name equals the id but for case": b'ID=almalinux\nNAME="AlmaLinux"\n',
    "empty values": b'ID=\nNAME=""\nPRETTY_NAME=\'\'\nVERSION_ID=\n',
    "no trailing newline, trailing blanks": b'ID=arch  \nPRETTY_NAME="Arch Linux"',
    "a later line wins": b"ID=a\nID=b\nVERSION_CODENAME=x=y,z:1@2%3+4/5\n",
    "only vendor keys": b"VENDOR_NAME=x\nHOME_URL=\"https://example.org/\"\n",
}
REFUSED = {
    "expansion": b'ID=debian\nPRETTY_NAME="$ID linux"\n',
    "a backslash": b'PRETTY_NAME="a \\" b"\n',
    "a command substitution": b"PRETTY_NAME=\"`id`\"\n",
    "an unquoted blank": b"PRETTY_NAME=a b\n",
    "a lower-case name": b"show_id=false\nID=debian\n",
    "a shell variable": b"PATH=/nowhere\nID=debian\n",
    "a locale variable": b"LC_ALL=C\nID=debian\n",
    "an indented line": b"  ID=debian\n",
    "carriage returns": b"ID=debian\r\n",
    "non-ASCII": "PRETTY_NAME=\"Débian\"\n".encode(),
    "a multi-line value": b"PRETTY_NAME='a\nb'\n",
}


def _script(os_release: Path) -> subprocess.CompletedProcess[str]:
    program = shutil.which("lsb_release")
    assert program is not None, "the test machine has lsb_release (Debian's lsb-release package)"
    env = {k: v for k, v in os.environ.items() if k not in SCRIPT_INPUTS}
    return subprocess.run([program, "-a"], env={**env, "LSB_OS_RELEASE": str(os_release)},
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("name", sorted(COMPUTED))
def test_the_computed_output_is_the_scripts(name: str, tmp_path: Path) -> None:
    os_release = tmp_path / "os-release"
    os_release.write_bytes(COMPUTED[name])
    ran = _script(os_release)
    assert ran.returncode == 0, ran.stderr
    assert setup.minimal_lsb_release_output(COMPUTED[name]) == ran.stdout


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_it_cannot_compute_exactly_is_left_to_the_script(name: str) -> None:
    assert setup.minimal_lsb_release_output(REFUSED[name]) is None


def test_on_this_host_setup_computes_what_lsb_release_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SCRIPT_INPUTS:
        monkeypatch.delenv(name, raising=False)
    ran = subprocess.run(["lsb_release", "-a"], capture_output=True, text=True, timeout=30)
    assert setup._minimal_lsb_release() == ran.stdout


def test_a_script_that_is_not_the_known_one_is_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "lsb_release"
    fake.write_text("#!/bin/sh\necho 'Distributor ID:\tOther'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    assert setup._minimal_lsb_release() is None
    monkeypatch.setenv("PATH", os.environ["PATH"].split(":", 1)[1])
    monkeypatch.setenv("ID", "debian")
    assert setup._minimal_lsb_release() is None
