#!/usr/bin/python3
"""mine.tools.shell: run a command line with /bin/sh on the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: mine.tools.shell
short_description: Run a command line with /bin/sh
options:
  _raw_params:
    description: The command line (free-form).
    type: str
  chdir:
    description: Change into this directory first.
    type: path
"""

from corral.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(argument_spec={"_raw_params": {"type": "str", "required": True},
                                          "chdir": {"type": "path"}})
    command = module.params["_raw_params"]
    rc, out, err = module.run_command(command, use_unsafe_shell=True, cwd=module.params["chdir"])
    result = {"changed": True, "cmd": command, "rc": rc, "stdout": out.rstrip("\n"), "stderr": err.rstrip("\n")}
    if rc:
        module.fail_json(msg="non-zero return code", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
