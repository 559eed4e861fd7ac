"""The terminal scenarios: a playbook, its command-line arguments and what the
operator types, each run in a pseudo-terminal by ``pty_session.py``.

A step is ``(pattern, keys)``: wait until the output matches the regular expression
``pattern`` (bytes), then type ``keys``; :data:`CTRL_C` stands for the terminal's
interrupt key.  The recordings in ``recorded/`` are ansible-core 2.21's transcripts
of the same scenarios (``record.py``).
"""
from __future__ import annotations

import dataclasses

__all__ = ["Scenario", "SCENARIOS", "CTRL_C", "BACKSPACE"]

#: the terminal's interrupt key (sent with ``sendintr``: a key, not a signal)
CTRL_C = "<ctrl-c>"
#: the pseudo-terminal's erase key
BACKSPACE = "\x7f"

INVENTORY = ("h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
             "h2 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n")


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    playbook: str
    steps: tuple[tuple[bytes, str], ...] = ()
    args: tuple[str, ...] = ()
    #: run as a background job of a shell with job control (not the terminal's
    #: foreground process group: the terminal is not the operator's to answer on)
    background: bool = False


_SHOW = '    - debug: msg="{{ r.user_input }}|{{ r.echo }}|{{ r.stdout_lines | length }}|{{ r.rc }}"\n'

SCENARIOS = [
    Scenario("pause_prompts", """\
- hosts: h1
  gather_facts: false
  tasks:
    - name: ask
      pause:
        prompt: Say something
      register: r
""" + _SHOW + """\
    - name: ask quietly
      pause:
        prompt: A secret
        echo: false
      register: r
""" + _SHOW + """\
    - pause:
      register: r
""" + _SHOW, steps=((rb"Say something:", f"ab{BACKSPACE}c\r"), (rb"A secret \(output is hidden\):", f"xy{BACKSPACE}z\r"),
                      (rb"Press enter to continue, Ctrl\+C to interrupt:", "\r"))),
    Scenario("pause_interrupt_continue", """\
- hosts: h1
  gather_facts: false
  tasks:
    - name: wait long
      pause:
        seconds: 30
      register: r
""" + _SHOW + """\
    - name: ask then interrupt
      pause:
        prompt: Interrupt me
      register: r
""" + _SHOW, steps=((rb"abort\)", CTRL_C), (rb"Press 'C' to continue", "c"),
                      (rb"Interrupt me:", "zz"), (rb"zz", CTRL_C), (rb"Press 'C' to continue", "x"), (rb"x", "C"))),
    Scenario("pause_interrupt_abort", """\
- hosts: h1
  gather_facts: false
  tasks:
    - name: ask then abort
      pause:
        minutes: 1
        prompt: Stop here
      register: r
    - debug: msg=never
""", steps=((rb"Stop here:", CTRL_C), (rb"Press 'C' to continue", "a"))),
    Scenario("pause_timed_prompt_reads_nothing", """\
- hosts: h1
  gather_facts: false
  tasks:
    - name: a timed prompt
      pause:
        seconds: 2
        prompt: Not read
      register: r
""" + _SHOW, steps=((rb"Not read:", "typed\r"),)),
    Scenario("pause_in_the_background", """\
- hosts: h1
  gather_facts: false
  tasks:
    - pause:
    - pause:
        seconds: 1
""", background=True),
    Scenario("vars_prompt", """\
- hosts: h1
  gather_facts: false
  vars:
    colour: blue
    question: Your name
  vars_prompt:
    - name: visible
      prompt: "{{ question }}"
      private: false
    - name: secret
      prompt: Password
      confirm: true
    - name: with_default
      prompt: Colour
      default: "{{ colour }}"
      private: false
    - name: no_prompt
    - name: hashed
      prompt: Hash me
      encrypt: sha512_crypt
    - name: raw
      prompt: Raw
      unsafe: true
      private: false
  tasks:
    - debug: msg="{{ visible }}|{{ secret }}|{{ with_default }}|{{ no_prompt }}|{{ raw }}"
    - debug: msg="{{ hashed is match('^[$]6[$]rounds=656000[$][./0-9A-Za-z]{16}[$][./0-9A-Za-z]{86}$') }}"
""", steps=((rb"Your name: ", "Ann\r"), (rb"Password: ", "one\r"), (rb"confirm Password: ", "two\r"),
            (rb"DO NOT MATCH \*+\s+Password: ", "pw\r"), (rb"confirm Password: ", "pw\r"),
            (rb"Colour \[blue\]: ", "\r"), (rb"no_prompt: ", "np\r"), (rb"Hash me: ", "hush\r"),
            (rb"Raw: ", "{{ not templated }}\r"))),
    Scenario("vars_prompt_extra_vars_skip", """\
- hosts: h1
  gather_facts: false
  vars_prompt:
    - name: given
      prompt: Not asked
    - name: asked
      prompt: Asked
      private: false
  tasks:
    - debug: msg="{{ given }}|{{ asked }}"
""", steps=((rb"Asked: ", "yes\r"),), args=("-e", "given=from-the-command-line")),
]
