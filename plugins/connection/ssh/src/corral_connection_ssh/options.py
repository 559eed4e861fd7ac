"""The settings the ``ssh``/``paramiko`` connection reads, declared as Ansible's ssh and
paramiko connection plugins document theirs (``DOCUMENTATION``: host variables,
``ANSIBLE_*``/``CORRAL_*`` environment variables, config file keys, command line
values, task keywords).  The kernel resolves them per host and task; within one
source the last listed name wins.  ``docs/ssh.md`` says how they combine with
OpenSSH arguments and ``~/.ssh/config``.
"""
from __future__ import annotations

from corral.plugins.options import Option, options_from_documentation

__all__ = ["DOCUMENTATION", "SSH_OPTIONS"]

DOCUMENTATION = """
name: ssh
short_description: One paramiko Transport per host, reused by every task
options:
  remote_addr:
    description: Address of the host to connect to (the inventory hostname when unset).
    vars: [{name: ansible_host}, {name: ansible_ssh_host}, {name: ansible_paramiko_host}]
  port:
    description: Remote port; else -p/Port in the ssh arguments or ssh config, else 22.
    type: int
    ini: [{section: defaults, key: remote_port}]
    env: [{name: ANSIBLE_REMOTE_PORT}]
    vars: [{name: ansible_port}, {name: ansible_ssh_port}, {name: ansible_paramiko_port}]
    keyword: [{name: port}]
  remote_user:
    description: User to log in as; else -l/User in the ssh arguments or ssh config, else the local user.
    ini: [{section: defaults, key: remote_user}]
    env: [{name: ANSIBLE_REMOTE_USER}]
    vars: [{name: ansible_user}, {name: ansible_ssh_user}, {name: ansible_paramiko_user}]
    cli: [{name: remote_user}]
    keyword: [{name: remote_user}]
  password:
    description: Password to authenticate with (-k/--ask-pass), tried after the keys.
    secret: true
    vars: [{name: ansible_password}, {name: ansible_ssh_pass}, {name: ansible_ssh_password},
           {name: ansible_paramiko_pass}, {name: ansible_paramiko_password}]
    cli: [{name: conn_pass}]
  timeout:
    description: Seconds to wait for the TCP connection, the SSH handshake, a channel, a become prompt
      or an SFTP reply; else ConnectTimeout in the ssh arguments or ssh config, else 10.
    type: int
    default: 10
    ini: [{section: defaults, key: timeout}, {section: ssh_connection, key: timeout}]
    env: [{name: ANSIBLE_TIMEOUT}, {name: ANSIBLE_SSH_TIMEOUT}]
    vars: [{name: ansible_timeout}, {name: ansible_ssh_timeout}]
    cli: [{name: timeout}]
  private_key_file:
    description: Private key to offer first (before -i/IdentityFile keys, the agent and the default keys).
    type: path
    ini: [{section: defaults, key: private_key_file}]
    env: [{name: ANSIBLE_PRIVATE_KEY_FILE}]
    vars: [{name: ansible_private_key_file}, {name: ansible_ssh_private_key_file}]
    cli: [{name: private_key_file}]
  private_key_passphrase:
    description: Passphrase of an encrypted private key.
    secret: true
    vars: [{name: ansible_private_key_passphrase}, {name: ansible_ssh_private_key_passphrase}]
  host_key_checking:
    description: Refuse hosts whose key is not in known_hosts (a changed key is always refused);
      StrictHostKeyChecking no/accept-new in the ssh arguments or ssh config turns it off too.
    type: bool
    default: true
    ini: [{section: defaults, key: host_key_checking}, {section: ssh_connection, key: host_key_checking},
          {section: paramiko_connection, key: host_key_checking}]
    env: [{name: ANSIBLE_HOST_KEY_CHECKING}, {name: ANSIBLE_SSH_HOST_KEY_CHECKING},
          {name: ANSIBLE_PARAMIKO_HOST_KEY_CHECKING}]
    vars: [{name: ansible_host_key_checking}, {name: ansible_ssh_host_key_checking},
           {name: ansible_paramiko_host_key_checking}]
  record_host_keys:
    description: Append the keys of unknown hosts to the first user known_hosts file when checking is off.
    type: bool
    default: false
    ini: [{section: paramiko_connection, key: record_host_keys}]
    env: [{name: ANSIBLE_PARAMIKO_RECORD_HOST_KEYS}]
    vars: [{name: ansible_paramiko_record_host_keys}, {name: ansible_ssh_record_host_keys}]
  known_hosts_file:
    description: Known hosts files read after UserKnownHostsFile and before /etc/ssh/ssh_known_hosts
      (comma-separated).
    type: list
    vars: [{name: ansible_known_hosts_file}, {name: ansible_ssh_known_hosts_file}]
  look_for_keys:
    description: Offer ~/.ssh/id_ed25519, id_ecdsa and id_rsa when no key file is named.
    type: bool
    default: true
    ini: [{section: paramiko_connection, key: look_for_keys}]
    env: [{name: ANSIBLE_PARAMIKO_LOOK_FOR_KEYS}]
    vars: [{name: ansible_ssh_look_for_keys}]
  allow_agent:
    description: Offer the keys of a running ssh-agent (SSH_AUTH_SOCK) unless IdentitiesOnly is set.
    type: bool
    default: true
    vars: [{name: ansible_ssh_allow_agent}]
  ssh_config_file:
    description: The ssh config file to read instead of ~/.ssh/config (-F in the ssh arguments wins).
    type: path
    vars: [{name: ansible_ssh_config_file}]
  ssh_args:
    description: OpenSSH arguments (-o Key=Value, -J, -p, -l, -i, -F) read with the common and extra ones.
    ini: [{section: ssh_connection, key: ssh_args}]
    env: [{name: ANSIBLE_SSH_ARGS}]
    vars: [{name: ansible_ssh_args}]
  ssh_common_args:
    description: OpenSSH arguments for every connection to the host (-o ProxyCommand=..., -J bastion).
    ini: [{section: ssh_connection, key: ssh_common_args}]
    env: [{name: ANSIBLE_SSH_COMMON_ARGS}]
    vars: [{name: ansible_ssh_common_args}]
    cli: [{name: ssh_common_args}]
  ssh_extra_args:
    description: More OpenSSH arguments, read after the common ones.
    ini: [{section: ssh_connection, key: ssh_extra_args}]
    env: [{name: ANSIBLE_SSH_EXTRA_ARGS}]
    vars: [{name: ansible_ssh_extra_args}]
    cli: [{name: ssh_extra_args}]
  sftp_extra_args:
    description: Arguments for OpenSSH's sftp program; when set, files travel through that program
      (logging in as the connection does, in batch mode) instead of the session's SFTP channel.
    ini: [{section: ssh_connection, key: sftp_extra_args}]
    env: [{name: ANSIBLE_SFTP_EXTRA_ARGS}]
    vars: [{name: ansible_sftp_extra_args}]
    cli: [{name: sftp_extra_args}]
  scp_extra_args:
    description: Arguments for OpenSSH's scp program; when set (and sftp_extra_args is not), files
      travel through scp (logging in as the connection does, in batch mode).
    ini: [{section: ssh_connection, key: scp_extra_args}]
    env: [{name: ANSIBLE_SCP_EXTRA_ARGS}]
    vars: [{name: ansible_scp_extra_args}]
    cli: [{name: scp_extra_args}]
  reconnection_retries:
    description: How many times a failed login is retried on network errors (not on authentication or
      host key failures), with a backoff; else ConnectionAttempts - 1, else 0.
    type: int
    default: 0
    ini: [{section: connection, key: retries}, {section: ssh_connection, key: retries}]
    env: [{name: ANSIBLE_SSH_RETRIES}]
    vars: [{name: ansible_paramiko_retries}, {name: ansible_ssh_retries}]
  pipelining:
    description: Accepted for compatibility; module payloads always travel on stdin.
    type: bool
    default: true
    ini: [{section: connection, key: pipelining}, {section: ssh_connection, key: pipelining}]
    env: [{name: ANSIBLE_PIPELINING}, {name: ANSIBLE_SSH_PIPELINING}]
    vars: [{name: ansible_pipelining}, {name: ansible_ssh_pipelining}]
"""

#: the declared options, by name (``SshConnection.OPTIONS``)
SSH_OPTIONS: dict[str, Option] = options_from_documentation(DOCUMENTATION)
