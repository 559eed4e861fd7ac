"""Installs ``corral-content-ansible.pth`` beside the package (regular and editable
installs): it makes ``import ansible`` fall back to corral's own ``ansible`` API when
no ansible-core is installed (see ``corral_content_ansible.fallback_finder``)."""
from __future__ import annotations

import os

from setuptools import setup
from setuptools.command.build_py import build_py

_PTH = "corral-content-ansible.pth"


class BuildPyWithPth(build_py):
    """``build_py`` that also puts the ``.pth`` file at the root of what is installed."""

    def run(self) -> None:
        super().run()
        # an editable wheel installs from install_lib, a regular one from build_lib
        root = self.get_finalized_command("install").install_lib if self.editable_mode else self.build_lib
        self.copy_file(os.path.join(os.path.dirname(os.path.abspath(__file__)), "src", _PTH),
                       os.path.join(root, _PTH))


setup(cmdclass={"build_py": BuildPyWithPth})
