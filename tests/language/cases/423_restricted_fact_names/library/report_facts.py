#!/usr/bin/python
import json

print(json.dumps({"changed": False, "ansible_facts": {
    "ansible_ssh_host_key_rsa_public": "AAAAB3NzaC1yc2E",
    "ansible_ssh_host_key_ed25519_public_keytype": "ssh-ed25519",
    "ansible_docker_gwbridge": {"device": "docker_gwbridge"},
    "ansible_ssh_common_args": "-o ProxyCommand=evil",
    "ansible_local_thing": "x",
    "ansible_host": "elsewhere",
    "ansible_playbook_python": "/bin/false",
    "custom_fact": "kept",
}}))
