"""pytest fixtures for corral plugin authors (the ``pytest11`` plugin ``corral``).

Fixtures (see :mod:`pytest_corral.plugin`): ``corral_inventory`` (an
:class:`InventoryBuilder`: hosts, groups and variables, as a file or in memory),
``corral_run`` (a :class:`PlaybookRunner`: run a playbook or one task in process,
get the results and events), ``corral_ssh_user`` (a non-root user
with keys, a password and password-protected sudo), ``corral_su_user`` (a second
user to ``su`` to), ``corral_sshd`` (an OpenSSH server on 127.0.0.1-127.0.0.8),
``corral_jump_sshd`` (a second server used as a jump host),
``corral_sshd_factory`` (start more servers, e.g. one to kill),
``corral_ssh_inventory`` (write an INI inventory pointing at a server) and
``corral_ssh_options`` (the ``ConnectionOptions`` that reach a server).
The classes behind them are in :mod:`pytest_corral.inventory`,
:mod:`pytest_corral.runs` and :mod:`pytest_corral.sshd`; :class:`Venv`
(:mod:`pytest_corral.venv`) is a fresh virtual environment to install
distributions into and run their tools.
"""
from pytest_corral.inventory import InventoryBuilder
from pytest_corral.runs import PlaybookRunner
from pytest_corral.sshd import SshdError, SshServer, SshUser, create_user, delete_user
from pytest_corral.venv import Venv, VenvError

__all__ = ["InventoryBuilder", "PlaybookRunner", "SshServer", "SshUser", "SshdError", "Venv", "VenvError",
           "create_user", "delete_user"]
