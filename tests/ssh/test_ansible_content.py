"""Ansible content over real SSH: a playbook's ``library/`` module with its
``module_utils/``, a collection's module with its own module_utils (relative import),
a collection filter, and become, on two hosts of the test sshd (the targets' own
``/usr/bin/python3``, never corral's)."""
from __future__ import annotations

import json
import textwrap


def _collection(root, namespace: str, name: str) -> None:
    base = root / "ansible_collections" / namespace / name
    (base / "plugins" / "modules").mkdir(parents=True)
    (base / "plugins" / "module_utils").mkdir()
    (base / "plugins" / "filter").mkdir()
    (base / "galaxy.yml").write_text(f"namespace: {namespace}\nname: {name}\nversion: 1.0.0\n")
    (base / "plugins" / "module_utils" / "facts.py").write_text(
        "import os, pwd\n\ndef who():\n    return pwd.getpwuid(os.geteuid()).pw_name\n")
    (base / "plugins" / "modules" / "whoami.py").write_text(textwrap.dedent("""\
        from ansible.module_utils.basic import AnsibleModule
        from ..module_utils.facts import who
        import sys

        def main():
            module = AnsibleModule(argument_spec={'note': {'type': 'str', 'default': 'none'}},
                                   supports_check_mode=True)
            module.exit_json(changed=False, user=who(), note=module.params['note'], python=sys.executable)

        if __name__ == '__main__':
            main()
        """))
    (base / "plugins" / "filter" / "shout.py").write_text(
        "class FilterModule:\n    def filters(self):\n        return {'shout': lambda text: text.upper() + '!'}\n")


def test_library_and_collection_modules_run_over_ssh_with_become(
        corral_ssh_inventory, corral_sshd, corral_ssh_user, tmp_path, cli):
    inventory = corral_ssh_inventory(count=2, become_password=True)
    (tmp_path / "library").mkdir()
    (tmp_path / "module_utils").mkdir()
    (tmp_path / "module_utils" / "wordcount.py").write_text("def count(text):\n    return len(text.split())\n")
    (tmp_path / "library" / "words.py").write_text(textwrap.dedent("""\
        from ansible.module_utils.basic import AnsibleModule
        from ansible.module_utils.wordcount import count
        from ansible.module_utils.common.text.converters import to_text

        module = AnsibleModule(argument_spec={'text': {'type': 'str', 'required': True}})
        module.exit_json(changed=False, words=count(to_text(module.params['text'])))
        """))
    _collection(tmp_path / "collections", "acme", "ops")
    playbook = tmp_path / "site.yml"
    playbook.write_text(textwrap.dedent("""\
        - hosts: ssh
          gather_facts: false
          collections: [acme.ops]
          tasks:
            - words: {text: "one two three"}
              register: counted
            - acme.ops.whoami: {note: "{{ 'hello' | acme.ops.shout }}"}
              register: plain
            - whoami: {}
              become: true
              register: root
            - copy:
                dest: "{{ playbook_dir }}/out-{{ inventory_hostname }}.json"
                content: "{{ {'words': counted.words, 'user': plain.user, 'note': plain.note,
                              'python': plain.python, 'root': root.user} | to_json }}"
              delegate_to: localhost
        """))
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for host in ("host1", "host2"):
        seen = json.loads((tmp_path / f"out-{host}.json").read_text())
        assert seen == {"words": 3, "user": corral_ssh_user.name, "note": "HELLO!",
                        "python": seen["python"], "root": "root"}
        assert not seen["python"].startswith("/root/"), seen   # the target's python, not the controller's
    assert corral_ssh_user.password not in proc.stdout + proc.stderr
