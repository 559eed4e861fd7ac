"""iptables, run as root in a new network namespace (the machine's firewall is untouched): rules,
policies, user chains and flushes; rule texts and results as ansible-core 2.21 reports them for the
same tasks (observed with the oracle), and a second run that changes nothing."""
from __future__ import annotations

from .namespaces import run_in_namespaces

TASKS = """
- iptables: {chain: INPUT, protocol: tcp, destination_port: "22", jump: ACCEPT, comment: ssh, ctstate: [NEW, ESTABLISHED]}
- iptables: {chain: INPUT, policy: DROP}
- iptables: {chain: MYCHAIN, chain_management: true}
- iptables: {chain: INPUT, source: 10.0.0.0/8, jump: DROP, action: insert, rule_num: "1"}
- iptables: {table: nat, chain: POSTROUTING, out_interface: eth0, jump: MASQUERADE}
- iptables: {chain: INPUT, protocol: tcp, destination_ports: ["80", "443:445"], jump: ACCEPT, syn: match, match: [multiport]}
- iptables:
    chain: INPUT
    protocol: tcp
    tcp_flags: {flags: [ALL], flags_set: [ACK, SYN]}
    jump: LOG
    log_prefix: "x: "
    log_level: info
    limit: 5/minute
    limit_burst: "10"
- iptables: {chain: OLD, chain_management: true}
- iptables: {chain: OLD, chain_management: true, state: absent}
- iptables: {chain: INPUT, jump: ACCEPT, source: 192.0.2.1, state: absent}
- command: iptables-save
  changed_when: false
"""


def test_rules_policies_and_chains_in_a_network_namespace(tmp_path) -> None:
    first, second = run_in_namespaces(tmp_path, TASKS, ["net"], runs=2)
    results = first["tasks"]
    assert results[0] | {"action": None} == {
        "action": None, "chain": "INPUT", "chain_management": False, "changed": True, "flush": False,
        "ip_version": "ipv4", "state": "present", "table": "filter", "wait": None,
        "rule": "-p tcp -j ACCEPT --destination-port 22 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment ssh"}
    assert [task["changed"] for task in results[:10]] == [True] * 7 + [True, True, False]
    assert results[6]["rule"] == ("-p tcp --tcp-flags ALL ACK,SYN -j LOG --log-prefix x:  --log-level info "
                                  "-m limit --limit 5/minute --limit-burst 10")
    saved = [line for line in results[10]["stdout_lines"] if not line.startswith("#")]
    assert saved == [
        "*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":MYCHAIN - [0:0]",
        "-A INPUT -s 10.0.0.0/8 -j DROP",
        "-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment ssh -j ACCEPT",
        "-A INPUT -p tcp -m multiport --dports 80,443:445 -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT",
        "-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN,ACK -m limit --limit 5/min --limit-burst 10 "
        "-j LOG --log-prefix \"x: \" --log-level 6",
        "COMMIT", "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
        ":POSTROUTING ACCEPT [0:0]", "-A POSTROUTING -o eth0 -j MASQUERADE", "COMMIT"]
    # the second run finds everything in place, except the chain it creates and deletes again
    assert [task["changed"] for task in second["tasks"][:10]] == [False] * 7 + [True, True, False]


def test_check_mode_flush_and_failures(tmp_path) -> None:
    tasks = """
- iptables: {chain: INPUT, jump: ACCEPT}
  check_mode: true
- iptables: {chain: INPUT, protocol: "!tcp", source: "!1.2.3.4", in_interface: "!lo", match_set: "!admins", match_set_flags: dst}
  check_mode: true
- iptables: {chain: NOPE, jump: ACCEPT}
  ignore_errors: true
- iptables: {jump: ACCEPT}
  ignore_errors: true
- iptables: {chain: INPUT, jump: TEE, log_level: "4", gateway: 1.1.1.1}
  ignore_errors: true
- iptables: {table: nat, flush: true}
- command: iptables -S INPUT
  changed_when: false
"""
    (run,) = run_in_namespaces(tmp_path, tasks, ["net"])
    check, negated, missing_chain, no_chain, log, flush, listing = run["tasks"]
    assert check["changed"] is True and check["rule"] == "-j ACCEPT"
    assert negated["rule"] == "! -p tcp ! -s 1.2.3.4 ! -i lo -m set ! --match-set admins dst"
    assert missing_chain["cmd"] == "/usr/sbin/iptables -t filter -A NOPE -j ACCEPT"
    assert missing_chain["msg"] == "iptables: No chain/target/match by that name."
    assert no_chain["msg"] == "flush is False but all of the following are missing: chain"
    assert log["msg"] == "Logging options can only be used with the LOG jump target."
    assert flush["changed"] is True and flush["chain"] is None and flush["table"] == "nat"
    assert listing["stdout"] == "-P INPUT ACCEPT"
