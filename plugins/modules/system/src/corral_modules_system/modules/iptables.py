#!/usr/bin/python3
"""iptables: one rule, a chain's policy, a flush or a user chain, with the iptables commands."""
from __future__ import annotations

DOCUMENTATION = r"""
module: iptables
short_description: Modify iptables rules
description:
  - Adds one rule to a chain of a table, or removes it (a rule is there when C(iptables -C) finds it), sets a
    built-in chain's O(policy), O(flush)es a chain or a table, or creates and deletes a user chain
    (O(chain_management) with only O(chain) and O(table) given).
  - The rule is built from the options in ansible-core's order, so the result's C(rule) is the same text.
  - Changes the running tables only; saving them across reboots is for C(iptables-save) and the distribution's
    tools.
options:
  table:
    description: The table.
    type: str
    choices: [filter, nat, mangle, raw, security]
    default: filter
  state:
    description: Whether the rule should be there.
    type: str
    choices: [absent, present]
    default: present
  action:
    description: Append a new rule at the end of the chain, or insert it at the top (or at O(rule_num)).
    type: str
    choices: [append, insert]
    default: append
  rule_num:
    description: The position an inserted rule gets.
    type: str
  ip_version:
    description: C(iptables), C(ip6tables) or both.
    type: str
    choices: [ipv4, ipv6, both]
    default: ipv4
  chain:
    description: The chain (required unless O(flush) is set).
    type: str
  protocol:
    description: C(-p); a leading C(!) negates it, as for the other matches below.
    type: str
  source:
    description: C(-s).
    type: str
  destination:
    description: C(-d).
    type: str
  tcp_flags:
    description: C(--tcp-flags), from the lists C(flags) and C(flags_set).
    type: dict
    suboptions:
      flags:
        description: The flags examined.
        type: list
        elements: str
      flags_set:
        description: The flags that must be set.
        type: list
        elements: str
  match:
    description: Match extensions (C(-m NAME) each).
    type: list
    elements: str
    default: []
  jump:
    description: The target (C(-j)).
    type: str
  gateway:
    description: C(--gateway), used with O(jump=TEE) only.
    type: str
  log_prefix:
    description: C(--log-prefix); only with the LOG target.
    type: str
  log_level:
    description: C(--log-level); only with the LOG target.
    type: str
    choices: ['0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug']
  goto:
    description: C(-g).
    type: str
  in_interface:
    description: C(-i).
    type: str
  out_interface:
    description: C(-o).
    type: str
  fragment:
    description: C(-f).
    type: str
  set_counters:
    description: C(-c).
    type: str
  source_port:
    description: C(--source-port).
    type: str
  destination_port:
    description: C(--destination-port).
    type: str
  destination_ports:
    description: C(-m multiport --dports), joined with commas.
    type: list
    elements: str
    default: []
  to_ports:
    description: C(--to-ports).
    type: str
  to_destination:
    description: C(--to-destination).
    type: str
  to_source:
    description: C(--to-source).
    type: str
  syn:
    description: C(--syn) (V(match)) or C(! --syn) (V(negate)).
    type: str
    choices: [ignore, match, negate]
    default: ignore
  set_dscp_mark:
    description: C(--set-dscp), with C(-j DSCP) unless O(jump) is DSCP.
    type: str
  set_dscp_mark_class:
    description: C(--set-dscp-class), with C(-j DSCP) unless O(jump) is DSCP.
    type: str
  comment:
    description: C(-m comment --comment).
    type: str
  ctstate:
    description: C(-m conntrack --ctstate), joined with commas.
    type: list
    elements: str
    default: []
  src_range:
    description: C(-m iprange --src-range).
    type: str
  dst_range:
    description: C(-m iprange --dst-range).
    type: str
  match_set:
    description: C(-m set --match-set NAME FLAGS).
    type: str
  match_set_flags:
    description: The flags of O(match_set).
    type: str
    choices: [src, dst, 'src,dst', 'dst,src', 'dst,dst', 'src,src']
  limit:
    description: C(-m limit --limit).
    type: str
  limit_burst:
    description: C(--limit-burst).
    type: str
  uid_owner:
    description: C(-m owner --uid-owner).
    type: str
  gid_owner:
    description: C(-m owner --gid-owner).
    type: str
  reject_with:
    description: C(--reject-with); implies C(-j REJECT) when O(jump) is not given.
    type: str
  icmp_type:
    description: C(--icmp-type) (C(--icmpv6-type) for IPv6).
    type: str
  flush:
    description: Flush O(chain), or the whole O(table) without a chain; every other option is ignored.
    type: bool
    default: false
  policy:
    description: Set the policy of the built-in O(chain); the rule options are ignored.
    type: str
    choices: [ACCEPT, DROP, QUEUE, RETURN]
  wait:
    description: Seconds to wait for the xtables lock (C(-w)).
    type: str
  chain_management:
    description:
      - With only O(chain) (and O(table)) given, create the chain (V(present)) or delete it (V(absent)).
    type: bool
    default: false
  numeric:
    description: List with C(-n) (no name lookups) when reading a chain's policy or existence.
    type: bool
    default: false
"""

EXAMPLES = r"""
- iptables:
    chain: INPUT
    protocol: tcp
    destination_port: "22"
    ctstate: [NEW]
    jump: ACCEPT
    comment: ssh
- iptables:
    chain: INPUT
    policy: DROP
"""

RETURN = r"""
rule:
  description: The rule's arguments, as one string.
  returned: success
  type: str
chain:
  description: The chain.
  returned: success
  type: str
table:
  description: The table.
  returned: success
  type: str
state:
  description: The state asked for.
  returned: success
  type: str
ip_version:
  description: The IP version.
  returned: success
  type: str
flush:
  description: Whether the chain or table was flushed.
  returned: success
  type: bool
chain_management:
  description: The option as given.
  returned: success
  type: bool
wait:
  description: The option as given.
  returned: success
  type: str
"""

import re
import shlex

from corral.module_utils.basic import AnsibleModule

_BINARIES = {"ipv4": ["iptables"], "ipv6": ["ip6tables"], "both": ["iptables", "ip6tables"]}
_MATCH_OPTIONS = ("protocol", "source", "destination", "match", "tcp_flags", "jump", "gateway", "log_prefix",
                  "log_level", "to_destination", "destination_ports", "to_source", "goto", "in_interface",
                  "out_interface", "fragment", "set_counters", "source_port", "destination_port", "to_ports",
                  "set_dscp_mark", "set_dscp_mark_class", "ctstate", "src_range", "dst_range", "match_set",
                  "limit", "limit_burst", "uid_owner", "gid_owner", "reject_with", "icmp_type", "comment")


def _flag(rule: list[str], flag: str, value: str | None) -> None:
    """``flag value``; a value starting with ``!`` gives ``! flag rest``."""
    if value is None:
        return
    if value.startswith("!"):
        rule.extend(["!", flag, value[1:]])
    else:
        rule.extend([flag, value])


def _extension(rule: list[str], params: dict, name: str) -> None:
    """``-m name``, unless O(match) loads it already."""
    if name not in (params["match"] or []):
        rule.extend(["-m", name])


def build_rule(params: dict, ip_version: str) -> list[str]:
    """The rule's arguments, in the order ansible-core writes them."""
    rule: list[str] = []
    _flag(rule, "-p", params["protocol"])
    _flag(rule, "-s", params["source"])
    _flag(rule, "-d", params["destination"])
    for match in params["match"] or []:
        rule.extend(["-m", match])
    flags = params["tcp_flags"] or {}
    if flags.get("flags") is not None or flags.get("flags_set") is not None:
        rule.extend(["--tcp-flags", ",".join(flags["flags"]), ",".join(flags["flags_set"])])
    jump = params["jump"] or ("REJECT" if params["reject_with"] else None)
    _flag(rule, "-j", jump)
    if jump and jump.upper() == "TEE":
        _flag(rule, "--gateway", params["gateway"])
    _flag(rule, "--log-prefix", params["log_prefix"])
    _flag(rule, "--log-level", params["log_level"])
    _flag(rule, "--to-destination", params["to_destination"])
    if params["destination_ports"]:
        _extension(rule, params, "multiport")
        rule.extend(["--dports", ",".join(params["destination_ports"])])
    _flag(rule, "--to-source", params["to_source"])
    _flag(rule, "-g", params["goto"])
    _flag(rule, "-i", params["in_interface"])
    _flag(rule, "-o", params["out_interface"])
    _flag(rule, "-f", params["fragment"])
    _flag(rule, "-c", params["set_counters"])
    _flag(rule, "--source-port", params["source_port"])
    _flag(rule, "--destination-port", params["destination_port"])
    _flag(rule, "--to-ports", params["to_ports"])
    for option, flag in (("set_dscp_mark", "--set-dscp"), ("set_dscp_mark_class", "--set-dscp-class")):
        if params[option] is not None:
            _flag(rule, flag, params[option])
            if jump != "DSCP":
                rule.extend(["-j", "DSCP"])
    if params["syn"] == "match":
        rule.append("--syn")
    elif params["syn"] == "negate":
        rule.extend(["!", "--syn"])
    if params["ctstate"]:
        _extension(rule, params, "conntrack")
        rule.extend(["--ctstate", ",".join(params["ctstate"])])
    if params["src_range"] or params["dst_range"]:
        _extension(rule, params, "iprange")
        _flag(rule, "--src-range", params["src_range"])
        _flag(rule, "--dst-range", params["dst_range"])
    if params["match_set"]:
        _extension(rule, params, "set")
        _flag(rule, "--match-set", params["match_set"])
        rule.append(params["match_set_flags"])
    if params["limit"] or params["limit_burst"]:
        _extension(rule, params, "limit")
        _flag(rule, "--limit", params["limit"])
        _flag(rule, "--limit-burst", params["limit_burst"])
    if params["uid_owner"] or params["gid_owner"]:
        _extension(rule, params, "owner")
        _flag(rule, "--uid-owner", params["uid_owner"])
        _flag(rule, "--gid-owner", params["gid_owner"])
    _flag(rule, "--reject-with", params["reject_with"])
    _flag(rule, "--icmpv6-type" if ip_version == "ipv6" else "--icmp-type", params["icmp_type"])
    if params["comment"] is not None:
        _extension(rule, params, "comment")
        _flag(rule, "--comment", params["comment"])
    return rule


class _Tables:
    """The commands of one of ``iptables``/``ip6tables`` on one table."""

    def __init__(self, module: AnsibleModule, binary: str) -> None:
        self.module = module
        params = module.params
        self.base = [module.get_bin_path(binary, required=True)]
        if params["wait"]:
            self.base += ["-w", params["wait"]]
        self.base += ["-t", params["table"]]

    def run(self, *args: str, check: bool = True) -> tuple[int, str]:
        command = self.base + list(args)
        rc, out, err = self.module.run_command(command)
        if check and rc != 0:
            self.module.fail_json(cmd=" ".join(shlex.quote(arg) for arg in command), rc=rc, stdout=out, stderr=err,
                                  msg=err.rstrip() or out.rstrip())
        return rc, out

    def listing(self, chain: str | None) -> tuple[int, str]:
        numeric = ["-n"] if self.module.params["numeric"] else []
        return self.run("-L", *([chain] if chain else []), *numeric, check=False)

    def policy(self, chain: str) -> str | None:
        rc, out = self.listing(chain)
        match = re.search(r"\(policy ([A-Z]+)", out.splitlines()[0] if out else "")
        return match.group(1) if match else None

    def has_chain(self, chain: str) -> bool:
        return self.listing(chain)[0] == 0

    def has_rule(self, chain: str, rule: list[str]) -> bool:
        return self.run("-C", chain, *rule, check=False)[0] == 0


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "table": {"type": "str", "default": "filter", "choices": ["filter", "nat", "mangle", "raw", "security"]},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "action": {"type": "str", "default": "append", "choices": ["append", "insert"]},
            "ip_version": {"type": "str", "default": "ipv4", "choices": ["ipv4", "ipv6", "both"]},
            "chain": {"type": "str"},
            "rule_num": {"type": "str"},
            "protocol": {"type": "str"},
            "wait": {"type": "str"},
            "source": {"type": "str"},
            "to_source": {"type": "str"},
            "destination": {"type": "str"},
            "to_destination": {"type": "str"},
            "match": {"type": "list", "elements": "str", "default": []},
            "tcp_flags": {"type": "dict", "default": {}, "options": {
                "flags": {"type": "list", "elements": "str"},
                "flags_set": {"type": "list", "elements": "str"}}},
            "jump": {"type": "str"},
            "gateway": {"type": "str"},
            "log_prefix": {"type": "str"},
            "log_level": {"type": "str",
                          "choices": ["0", "1", "2", "3", "4", "5", "6", "7", "emerg", "alert", "crit", "error",
                                      "warning", "notice", "info", "debug"]},
            "goto": {"type": "str"},
            "in_interface": {"type": "str"},
            "out_interface": {"type": "str"},
            "fragment": {"type": "str"},
            "set_counters": {"type": "str"},
            "source_port": {"type": "str"},
            "destination_port": {"type": "str"},
            "destination_ports": {"type": "list", "elements": "str", "default": []},
            "to_ports": {"type": "str"},
            "set_dscp_mark": {"type": "str"},
            "set_dscp_mark_class": {"type": "str"},
            "comment": {"type": "str"},
            "ctstate": {"type": "list", "elements": "str", "default": []},
            "src_range": {"type": "str"},
            "dst_range": {"type": "str"},
            "match_set": {"type": "str"},
            "match_set_flags": {"type": "str",
                                "choices": ["src", "dst", "src,dst", "dst,src", "dst,dst", "src,src"]},
            "limit": {"type": "str"},
            "limit_burst": {"type": "str"},
            "uid_owner": {"type": "str"},
            "gid_owner": {"type": "str"},
            "reject_with": {"type": "str"},
            "icmp_type": {"type": "str"},
            "syn": {"type": "str", "default": "ignore", "choices": ["ignore", "match", "negate"]},
            "flush": {"type": "bool", "default": False},
            "policy": {"type": "str", "choices": ["ACCEPT", "DROP", "QUEUE", "RETURN"]},
            "chain_management": {"type": "bool", "default": False},
            "numeric": {"type": "bool", "default": False},
        },
        mutually_exclusive=[["set_dscp_mark", "set_dscp_mark_class"], ["flush", "policy"]],
        required_if=[["jump", "TEE", ["gateway"]], ["jump", "tee", ["gateway"]], ["flush", False, ["chain"]]],
        required_together=[["match_set", "match_set_flags"]],
        required_by={"set_dscp_mark": "jump", "set_dscp_mark_class": "jump"},
        supports_check_mode=True,
    )
    params = module.params
    flags = params["tcp_flags"] or {}
    if (flags.get("flags") is None) != (flags.get("flags_set") is None):
        module.fail_json(msg="can only join an iterable")   # ansible-core's message for half a tcp_flags
    if (params["log_prefix"] or params["log_level"]) and params["jump"] is not None and params["jump"] != "LOG":
        module.fail_json(msg="Logging options can only be used with the LOG jump target.")
    chain, state = params["chain"], params["state"]
    result = {"changed": False, "ip_version": params["ip_version"], "table": params["table"], "chain": chain,
              "flush": params["flush"], "rule": "", "state": state, "chain_management": params["chain_management"],
              "wait": params["wait"]}
    only_chain = all(not params[option] for option in _MATCH_OPTIONS if option != "tcp_flags") \
        and all(value is None for value in flags.values())
    for binary in _BINARIES[params["ip_version"]]:
        version = "ipv6" if binary == "ip6tables" else "ipv4"
        tables = _Tables(module, binary)
        rule = build_rule(params, version)
        result["rule"] = " ".join(rule)
        if params["flush"]:
            result["changed"] = True
            if not module.check_mode:
                tables.run("-F", *([chain] if chain else []))
        elif params["policy"]:
            if tables.policy(chain) != params["policy"]:
                result["changed"] = True
                if not module.check_mode:
                    tables.run("-P", chain, params["policy"])
        elif params["chain_management"] and only_chain:
            exists = tables.has_chain(chain)
            if exists != (state == "present"):
                result["changed"] = True
                if not module.check_mode:
                    tables.run("-N" if state == "present" else "-X", chain)
        else:
            exists = tables.has_rule(chain, rule)
            if exists != (state == "present"):
                result["changed"] = True
                if not module.check_mode:
                    if state == "absent":
                        tables.run("-D", chain, *rule)
                    elif params["action"] == "insert":
                        tables.run("-I", chain, *([params["rule_num"]] if params["rule_num"] else []), *rule)
                    else:
                        tables.run("-A", chain, *rule)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
