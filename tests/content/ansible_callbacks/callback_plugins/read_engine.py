"""A callback written for Ansible that writes, as JSON lines on stdout, what callbacks
commonly read from the engine's objects (their types and values)."""
import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: read_engine
type: aggregate
short_description: what callbacks read from the engine
description: Writes the attributes of plays, tasks, results and stats as JSON lines.
"""

TASK_ATTRIBUTES = ("name", "tags", "when", "notify", "loop", "no_log", "check_mode", "become", "delegate_to",
                   "ignore_errors", "resolved_action")


def described(value):
    """``[type, value]``: the type as the base type callbacks test for (``list``, not its
    engine's subclass)."""
    for base in (bool, str, list, dict):
        if isinstance(value, base):
            return [base.__name__, value]
    return [type(value).__name__, value]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "read_engine"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, **record):
        print("READ " + json.dumps(record, sort_keys=True, default=str))

    def v2_playbook_on_play_start(self, play):
        self._play = play
        all_vars = play.get_variable_manager().get_vars(play=play)
        self._write(play_hosts=described(play.hosts), play_name=play.get_name(), play_serial=described(play.serial),
                    play_vars=play.get_vars(), blocks=[len(b) for b in play.get_tasks()],
                    hosts_all=list(all_vars["vars"]["ansible_play_hosts_all"]))

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._write(task=task.get_name(), **{a: described(getattr(task, a)) for a in TASK_ATTRIBUTES})

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(failed=result._task.get_name(), exception=result._result.get("exception"))

    def v2_runner_on_ok(self, result):
        if result._task.get_name() == "roles so far":
            self._write(role_names=result._result["ansible_play_role_names"])

    def v2_playbook_on_stats(self, stats):
        self._write(summary=stats.summarize("localhost"), custom=stats.custom)
