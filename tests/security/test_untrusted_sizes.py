"""Issue #10 item 10: untrusted sizes and shapes.

- a YAML alias bomb (billion laughs) in a vars file is answered at once, in bounded
  memory: aliases stay shared references, nothing expands them;
- data nested 300 levels deep works (as in ansible-core), deeper data and long
  chains of variables end the task with Ansible's clean "Recursive loop detected"
  error, never an unexpected exception (rc 250);
- a Jinja syntax error in a template file (template module, template lookup) names
  the file and line, never pastes the template (decrypted, when it is vaulted).

Every run is a real ``corral-playbook`` process; the bomb runs under RLIMIT_AS and
a timeout.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile_encoder import ENCODE_RESULTS_WITH_DUMPS

PLAYBOOK_TOOL = Path(sys.executable).parent / "corral-playbook"
VAULT_TOOL = Path(sys.executable).parent / "corral-vault"

#: nine levels of nine aliases: 9**10 (3.4 billion) strings when expanded
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
x: [*i, *i, *i, *i, *i, *i, *i, *i, *i]
"""

#: the address space a run may use (corral needs ~300 MB; the bomb would need many GB)
MEMORY_LIMIT = 1024 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _playbook(tmp_path: Path, text: str, *args: str, timeout: float = 60,
              inventory: str = "localhost,") -> subprocess.CompletedProcess:
    path = tmp_path / "play.yml"
    path.write_text(text)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), ANSIBLE_NOCOLOR="1")
    return subprocess.run([str(PLAYBOOK_TOOL), "-i", inventory, "-c", "local", *args, str(path)],
                          capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp_path,
                          stdin=subprocess.DEVNULL, preexec_fn=_limit_memory)


def _no_crash(proc: subprocess.CompletedProcess) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode != 250, output[-2000:]
    assert "Traceback" not in output and "Unexpected Exception" not in output, output[-2000:]


def test_alias_bomb_is_answered_at_once_in_bounded_memory(tmp_path):
    (tmp_path / "bomb.yml").write_text(BOMB)
    proc = _playbook(tmp_path, """\
- hosts: localhost
  gather_facts: false
  vars_files: [bomb.yml]
  vars:
    again: "{{ x }}"
  tasks:
    - debug:
        msg: "{{ x | length }} {{ x[0][0][0][0][0][0][0][0] | length }} {{ again | length }}"
      when: x | length == 9
""", timeout=20)
    _no_crash(proc)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert '"msg": "9 9 9"' in proc.stdout


def _recap_ok(stdout: str) -> int:
    """The one host's ``ok=`` count in the PLAY RECAP."""
    return int(stdout.split("PLAY RECAP")[-1].split("ok=")[1].split()[0])


def _nested_list(depth: int) -> str:
    return "[" * depth + '"bottom"' + "]" * depth


def _nested_map(depth: int) -> str:
    return "{n: " * depth + '"bottom"' + "}" * depth


def test_data_nested_300_levels_works(tmp_path):
    # flow style: the form whose loading used to exhaust the recursion limit (rc 250)
    proc = _playbook(tmp_path, f"""\
- hosts: localhost
  gather_facts: false
  vars:
    deep_list: {_nested_list(300)}
    deep_map: {_nested_map(300)}
  tasks:
    - debug:
        msg: "{{{{ deep_list | length }}}} {{{{ deep_map.n.n | length }}}}"
    - set_fact:
        copied: "{{{{ deep_map }}}}"
    - command: cat
      args:
        stdin: "{{{{ copied | to_json }}}}"
      register: echoed
    - assert:
        that: (echoed.stdout | from_json) == deep_map
""")
    _no_crash(proc)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert '"msg": "1 1"' in proc.stdout
    assert _recap_ok(proc.stdout) == 4


def test_data_too_deep_and_variable_chains_fail_the_task_cleanly(tmp_path):
    chain = "\n".join(f'    v{i}: "{{{{ v{i - 1} }}}}"' for i in range(1, 301))
    proc = _playbook(tmp_path, f"""\
- hosts: localhost
  gather_facts: false
  vars:
    too_deep: {_nested_list(900)}
    v0: base
{chain}
  tasks:
    - name: too deep
      debug:
        msg: "{{{{ too_deep }}}}"
      ignore_errors: true
    - name: chain
      debug:
        msg: "{{{{ v300 }}}}"
""")
    _no_crash(proc)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    message = "Recursive loop detected in template: maximum recursion depth exceeded"
    # 2 tasks x (the [ERROR] line, the "caused by" chain, the result), as ansible-core 2.21 lays it out
    assert proc.stdout.count(f"Error while resolving value for 'msg': {message}") == 6
    assert _recap_ok(proc.stdout) == 1


SECRET = "s3cr3t-line-never-shown"


@pytest.mark.parametrize("vaulted", [False, True], ids=["plain", "vaulted"])
def test_template_syntax_error_names_file_and_line_not_the_content(tmp_path, vaulted):
    template = tmp_path / "bad.j2"
    template.write_text(f"{SECRET}\nsecond line\n{{% for x in items %}}\n{{{{ x }}\n{{% endfor %}}\n")
    args: list[str] = []
    if vaulted:
        password = tmp_path / "vault-pass"
        password.write_text("pw\n")
        subprocess.run([str(VAULT_TOOL), "encrypt", "--vault-password-file", str(password), str(template)],
                       check=True, capture_output=True, env=dict(os.environ, HOME=str(tmp_path)))
        assert SECRET not in template.read_text()
        args = ["--vault-password-file", str(password)]
    proc = _playbook(tmp_path, f"""\
- hosts: localhost
  gather_facts: false
  tasks:
    - template:
        src: bad.j2
        dest: {tmp_path}/out
      ignore_errors: true
    - debug:
        msg: "{{{{ lookup('template', 'bad.j2') }}}}"
      ignore_errors: true
""", *args)
    _no_crash(proc)
    output = proc.stdout + proc.stderr
    assert SECRET not in output and "second line" not in output
    where = f"Syntax error in template: unexpected '}}' (template {template}, line 4)"
    # the template task: its [ERROR] line and result; the lookup: its [ERROR] line, the
    # "caused by" chain and the result (ansible-core 2.21's layout)
    assert output.count(where) == 5, output
    assert not (tmp_path / "out").exists()


#: a compromised host's Python: every module result it prints gains a value nested DEPTH levels
DEEP_RESULT_SITECUSTOMIZE = '''
import json, os
_dumps = json.dumps


def dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and "changed" in obj:
        deep = "bottom"
        for _ in range(int(os.environ["DEPTH"])):
            deep = [deep]
        obj = dict(obj, deep=deep)
    return _dumps(obj, *args, **kwargs)


json.dumps = dumps
''' + ENCODE_RESULTS_WITH_DUMPS


@pytest.mark.parametrize("depth", [300, 900])
def test_a_host_returning_deeply_nested_results_cannot_crash_the_run(tmp_path, depth):
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "sitecustomize.py").write_text(DEEP_RESULT_SITECUSTOMIZE)
    python = evil / "python"
    python.write_text(f"#!/bin/sh\nDEPTH={depth} PYTHONPATH={evil} exec {sys.executable} \"$@\"\n")
    python.chmod(0o755)
    (tmp_path / "inventory.ini").write_text(f"hostile ansible_connection=local ansible_python_interpreter={python}\n")
    proc = _playbook(tmp_path, """\
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      register: r
    - debug:
        msg: "{{ r.deep | length }}"
""", inventory=str(tmp_path / "inventory.ini"))
    _no_crash(proc)
    if depth == 300:
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        assert '"msg": 1' in proc.stdout
    else:  # the registered value is kept; using it ends the task as ansible-core does with too deep data
        assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
        assert "Recursive loop detected in template: maximum recursion depth exceeded" in proc.stdout


def test_wrapping_copying_and_rendering_keep_shared_references():
    from corral.parsing.dataloader import copy_tree
    from corral.parsing.yaml_loader import load_yaml
    from corral.plugins.manager import PluginManager
    from corral.template import Templar, TemplateEnvironment
    from corral.utils.unsafe import is_unsafe, wrap_unsafe
    bomb = load_yaml(BOMB)
    for value in (copy_tree(bomb["x"]), wrap_unsafe(bomb["x"]),
                  Templar(None, {"x": bomb["x"]}, environment=TemplateEnvironment(PluginManager())).template(
                      "{{ x }}")):
        assert value[0] is value[8] and value[0][0] is value[1][0]  # aliases stay one object
        assert len(value) == 9 and value[0][0][0][0][0][0][0][0][0][0] == "lol"
    assert is_unsafe(wrap_unsafe(bomb["x"])[3][3][3][3][3][3][3][3][3][3])
    deep = "bottom"
    for _ in range(5000):
        deep = [deep]
    assert wrap_unsafe(deep)[0][0][0] is not deep[0][0][0]  # no recursion limit on wrapping
    assert copy_tree(deep) is not deep
