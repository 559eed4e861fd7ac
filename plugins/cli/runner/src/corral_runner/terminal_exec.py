"""``python -m corral_runner.terminal_exec COMMAND...``: make standard input (a
pseudo-terminal's slave, the process a session leader) the controlling terminal,
then become ``COMMAND``.  When ``corral-runner`` ends (``corral-runner stop`` kills it),
the terminal hangs up and SIGHUP ends the run with it.

The step between a ``subprocess`` start (``start_new_session=True``) and the command,
so that prompts read from ``/dev/tty`` (``BECOME password:``) reach ``corral-runner``,
without running Python code between ``fork`` and ``exec`` in a threaded parent.
Exit code 127 with a message when ``COMMAND`` cannot be run.
"""
from __future__ import annotations

import fcntl
import os
import sys
import termios


def main(argv: list[str]) -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    try:
        os.execvp(argv[0], argv)
    except OSError:
        sys.stderr.write(f"The command was not found or was not executable: {argv[0]}.\n")
        sys.stderr.flush()
        os._exit(127)


if __name__ == "__main__":
    main(sys.argv[1:])
