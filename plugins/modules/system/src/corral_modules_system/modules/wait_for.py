#!/usr/bin/python3
"""wait_for: wait for a port, a file or a text in a file (or for them to go away)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: wait_for
short_description: Wait for a condition before continuing
description:
  - Waits until a TCP port accepts connections (or stops accepting them), a file exists (optionally containing
    a regular expression) or is removed, or simply for O(timeout) seconds when neither O(port) nor O(path) is
    given.
options:
  host:
    description: The host whose port to check.
    type: str
    default: 127.0.0.1
  port:
    type: int
  path:
    type: path
  state:
    description:
      - C(started)/C(present) wait until it is there, C(stopped)/C(absent) until it is gone; C(drained) waits until
        the port (on O(host)'s addresses) has no active TCP connection left, as the target's C(/proc/net/tcp) and
        C(/proc/net/tcp6) show them.
    type: str
    choices: [absent, drained, present, started, stopped]
    default: started
  search_regex:
    description: With O(path) or O(port), a regular expression the file's content (or the port's banner) must match.
    type: str
  timeout:
    description: Seconds to wait at most.
    type: int
    default: 300
  delay:
    description: Seconds to wait before the first check.
    type: int
    default: 0
  sleep:
    description: Seconds between checks.
    type: int
    default: 1
  active_connection_states:
    description: The TCP states that count as an active connection for O(state=drained).
    type: list
    elements: str
    default: [ESTABLISHED, FIN_WAIT1, FIN_WAIT2, SYN_RECV, SYN_SENT, TIME_WAIT]
  exclude_hosts:
    description: Hosts or addresses whose connections O(state=drained) does not count (only with that state).
    type: list
    elements: str
  connect_timeout:
    description: Seconds for each connection attempt.
    type: int
    default: 5
  msg:
    description: The failure message instead of the default one.
    type: str
"""

EXAMPLES = r"""
- wait_for:
    port: 8080
    delay: 2
    timeout: 60

- wait_for:
    path: /var/log/app.log
    search_regex: started
"""

RETURN = r"""
elapsed:
  description: Seconds waited.
  returned: always
  type: int
match_groups:
  description: The groups of O(search_regex)'s match.
  returned: when search_regex matched
  type: list
"""

import datetime
import os
import re
import socket
import time

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info


def _port_open(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _search_port(host: str, port: int, regex, timeout: float):
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            data = b""
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
                match = regex.search(data.decode("utf-8", "replace"))
                if match:
                    return match
    except OSError:
        return None
    return None


#: the TCP states a drained port may still show, with the code /proc/net/tcp* gives them
_TCP_STATES = {"ESTABLISHED": "01", "FIN_WAIT1": "04", "FIN_WAIT2": "05", "SYN_RECV": "03", "SYN_SENT": "02",
               "TIME_WAIT": "06"}
_PROC_TCP = {socket.AF_INET: "/proc/net/tcp", socket.AF_INET6: "/proc/net/tcp6"}
_ANY = {socket.AF_INET: "0" * 8, socket.AF_INET6: "0" * 32}
#: an IPv4-mapped IPv6 address as /proc/net/tcp6 writes it: its prefix, and the mapped any-address
_MAPPED_PREFIX, _MAPPED_ANY = "0000000000000000FFFF0000", "0000000000000000FFFF000000000000"


def _proc_addresses(host: str) -> set[tuple[int, str]]:
    """``(family, address)`` for each address ``host`` resolves to (an IPv4 one also IPv4-mapped in IPv6),
    written as /proc/net/tcp* writes them: each 32-bit word in host byte order, in hex."""
    found = set()
    for family, _type, _proto, _name, sockaddr in socket.getaddrinfo(host, 80, 0, 0, socket.SOL_TCP):
        ip = str(sockaddr[0])
        pairs = [(family, ip)] + ([(socket.AF_INET6, "::ffff:" + ip)] if family == socket.AF_INET else [])
        for fam, address in pairs:
            packed = socket.inet_pton(fam, address)
            words = (int.from_bytes(packed[i:i + 4], "little") for i in range(0, len(packed), 4))
            found.add((int(fam), "".join(f"{word:08X}" for word in words)))
    return found


def _active_connections(port: int, hosts: set[tuple[int, str]], excluded: set[tuple[int, str]],
                        states: list[str]) -> int:
    """How many TCP connections on local ``port`` of one of ``hosts`` are in one of ``states``, from a
    remote address not in ``excluded``."""
    codes = {_TCP_STATES[state] for state in states}
    wanted_port = f"{port:04X}"
    count = 0
    for family, source in _PROC_TCP.items():
        try:
            with open(source) as handle:
                rows = [line.split() for line in handle.read().splitlines()[1:]]
        except OSError:
            continue
        for row in rows:
            if len(row) < 4 or row[3] not in codes:
                continue
            local_ip, local_port = row[1].split(":")
            if local_port != wanted_port or (family, row[2].split(":")[0]) in excluded:
                continue
            if ((family, local_ip) in hosts or (family, _ANY[family]) in hosts
                    or (local_ip.startswith(_MAPPED_PREFIX) and (family, _MAPPED_ANY) in hosts)):
                count += 1
    return count


def _wait_drained(module: AnsibleModule, start: datetime.datetime) -> None:
    """Exit once O(port) has no active connection left; fail at O(timeout)."""
    params = module.params
    host, port = params["host"], params["port"]
    hosts = _proc_addresses(host)
    excluded = set().union(*(_proc_addresses(name) for name in params["exclude_hosts"] or []))
    deadline = time.monotonic() + params["timeout"]
    while time.monotonic() < deadline:
        if _active_connections(port, hosts, excluded, params["active_connection_states"]) == 0:
            module.exit_json(changed=False, state="drained", port=port, search_regex=params["search_regex"],
                             match_groups=[], match_groupdict={}, path=None,
                             elapsed=(datetime.datetime.now() - start).seconds)
        time.sleep(params["sleep"])
    module.fail_json(msg=params["msg"] or f"Timeout when waiting for {host}:{port} to drain",
                     elapsed=(datetime.datetime.now() - start).seconds)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "host": {"type": "str", "default": "127.0.0.1"},
            "timeout": {"type": "int", "default": 300},
            "connect_timeout": {"type": "int", "default": 5},
            "delay": {"type": "int", "default": 0},
            "port": {"type": "int"},
            "active_connection_states": {"type": "list", "elements": "str",
                                         "default": ["ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "SYN_RECV", "SYN_SENT",
                                                     "TIME_WAIT"]},
            "path": {"type": "path"},
            "search_regex": {"type": "str"},
            "state": {"type": "str", "default": "started",
                      "choices": ["absent", "drained", "present", "started", "stopped"]},
            "exclude_hosts": {"type": "list", "elements": "str"},
            "sleep": {"type": "int", "default": 1},
            "msg": {"type": "str"},
        },
    )
    params = module.params
    host, port, path, state = params["host"], params["port"], params["path"], params["state"]
    if port and path:
        module.fail_json(msg="port and path parameter can not both be passed to wait_for", elapsed=0)
    if path and state in ("stopped", "drained"):
        module.fail_json(msg=f"state={state} should only be used for checking a port in the wait_for module",
                         elapsed=0)
    if params["exclude_hosts"] is not None and state != "drained":
        module.fail_json(msg="exclude_hosts should only be with state=drained", elapsed=0)
    for name in params["active_connection_states"]:
        if name not in _TCP_STATES:
            module.fail_json(msg=f"unknown active_connection_state ({name}) defined", elapsed=0)
    regex = re.compile(params["search_regex"], re.MULTILINE) if params["search_regex"] else None
    start = datetime.datetime.now()
    if params["delay"]:
        time.sleep(params["delay"])
    deadline = time.monotonic() + params["timeout"]

    def elapsed() -> int:
        return (datetime.datetime.now() - start).seconds

    if not port and not path and state != "drained":
        time.sleep(params["timeout"])
        module.exit_json(changed=False, elapsed=elapsed(), state=state)
    if state == "drained":
        _wait_drained(module, start)

    while True:
        if path:
            exists = os.path.exists(path)
            if state in ("absent",):
                if not exists:
                    module.exit_json(changed=False, elapsed=elapsed(), path=path, state=state)
            elif exists:
                match = None
                if regex is not None:
                    try:
                        with open(path, encoding="utf-8", errors="replace") as handle:
                            match = regex.search(handle.read())
                    except OSError:
                        match = None
                if regex is None or match:
                    found = path_info(path)
                    found.update(changed=False, elapsed=elapsed(), port=port, search_regex=params["search_regex"],
                                 match_groups=list(match.groups()) if match else [],
                                 match_groupdict=match.groupdict() if match else {})
                    module.exit_json(**found)
        else:
            remaining = max(deadline - time.monotonic(), 0.1)
            connect_timeout = min(params["connect_timeout"], remaining)
            if state in ("stopped", "drained"):
                if not _port_open(host, port, connect_timeout):
                    module.exit_json(changed=False, elapsed=elapsed(), port=port, state=state)
            elif regex is not None:
                match = _search_port(host, port, regex, connect_timeout)
                if match:
                    module.exit_json(changed=False, elapsed=elapsed(), port=port, state=state,
                                     match_groups=list(match.groups()), match_groupdict=match.groupdict())
            elif _port_open(host, port, connect_timeout):
                module.exit_json(changed=False, elapsed=elapsed(), port=port, state=state)
        if time.monotonic() >= deadline:
            break
        time.sleep(min(params["sleep"], max(deadline - time.monotonic(), 0)))

    if params["msg"]:
        message = params["msg"]
    elif path:
        message = (f"Timeout when waiting for {path} to be absent." if state == "absent" else
                   f"Timeout when waiting for file {path}" if regex is None else
                   f"Timeout when waiting for string {params['search_regex']} in file {path}")
    elif state in ("stopped", "drained"):
        message = f"Timeout when waiting for {host}:{port} to stop."
    elif regex is not None:
        message = f"Timeout when waiting for search string {params['search_regex']} in {host}:{port}"
    else:
        message = f"Timeout when waiting for {host}:{port}"
    module.fail_json(msg=message, elapsed=elapsed())


if __name__ == "__main__":
    main()
