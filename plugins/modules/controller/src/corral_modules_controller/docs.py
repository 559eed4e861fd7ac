"""The documentation of the controller actions, for ``corral-doc``: the options each
takes (the same names, types, defaults, aliases and choices as Ansible's actions of
the same names), described in corral's words.  Each action class carries its text as
``DOCUMENTATION`` (YAML, as a module's ``DOCUMENTATION`` string)."""
from __future__ import annotations

__all__ = ["ACTION_DOCS"]

ACTION_DOCS: dict[str, str] = {
    "add_host": """
short_description: Add a host (and its groups) to the run's in-memory inventory
description:
  - Adds a host to the inventory of the running playbook, in the given groups; later plays can target it.
  - Other keys of the task's arguments become the host's variables.
options:
  name:
    description: The host's name (and C(:port)).
    type: str
    required: true
    aliases: [host, hostname]
  groups:
    description: The groups to put the host in (created when they do not exist).
    type: list
    elements: str
    aliases: [group, groupname]
""",
    "assert": """
short_description: Check that expressions are true
description:
  - Evaluates each condition of O(that) like a C(when) and fails the task at the first false one.
options:
  that:
    description: The conditions (raw Jinja2 expressions, as C(when) takes them), all of which must be true.
    type: list
    elements: str
    required: true
  fail_msg:
    description: The message of the failure when a condition is false.
    type: str
    aliases: [msg]
  success_msg:
    description: The message when every condition is true.
    type: str
  quiet:
    description: Say less when the assertion passes.
    type: bool
    default: false
""",
    "debug": """
short_description: Print a message or a variable during the run
description:
  - Shows O(msg), or the value of the variable O(var), in the task's result, when the run's verbosity reaches O(verbosity).
options:
  msg:
    description: The message to show.
    type: str
    default: Hello world!
  var:
    description:
      - The name of a variable (or an expression) to show; cannot be used with O(msg).
      - It is already templated as an expression, so it needs no C({{ }}).
    type: str
  verbosity:
    description: The verbosity (the number of C(-v)) the run needs for the message to show; else the task is skipped.
    type: int
    default: 0
""",
    "fail": """
short_description: Fail the task with a message
description:
  - Fails the task, usually under a C(when) condition.
options:
  msg:
    description: The message of the failure.
    type: str
    default: Failed as requested from task
""",
    "group_by": """
short_description: Put hosts in groups named by a key
description:
  - Adds the host to the group named by O(key) (created when it does not exist), for later plays to target.
options:
  key:
    description: The group's name, usually templated from the host's variables.
    type: str
    required: true
  parents:
    description: The groups the new group becomes a child of.
    type: list
    elements: str
    default: all
""",
    "include_vars": """
short_description: Load variables from files during the run
description:
  - Reads YAML or JSON files (one, or a directory's) and sets their variables for the host, or under O(name).
options:
  free-form:
    description: A file to load, given as the task's bare argument.
  file:
    description: The file to load (relative to the role's or playbook's C(vars) folder, then the task's).
    type: path
  dir:
    description: A directory whose files are loaded, in alphabetical order.
    type: path
  name:
    description: Put the variables under this one variable instead of at the top level.
    type: str
  depth:
    description: How many levels of subdirectories of O(dir) to read; 0 reads them all.
    type: int
    default: 0
  files_matching:
    description: Load only the files of O(dir) whose names match this regular expression.
    type: str
  ignore_files:
    description: Names of files in O(dir) not to load.
    type: list
    elements: str
  extensions:
    description: The file extensions loaded from O(dir).
    type: list
    elements: str
    default: [json, yaml, yml]
  ignore_unknown_extensions:
    description: Skip the files of O(dir) with other extensions instead of failing.
    type: bool
    default: false
  hash_behaviour:
    description: How the loaded mappings combine with the variables already set (C(merge) them or C(replace) them).
    type: str
    choices: [replace, merge]
""",
    "pause": """
short_description: Wait for a time or for the operator
description:
  - Pauses the play for O(seconds) or O(minutes), or until the operator presses Enter at the O(prompt).
options:
  minutes:
    description: How many minutes to wait.
  seconds:
    description: How many seconds to wait.
  prompt:
    description: The text shown while waiting for input.
  echo:
    description: Whether the operator's typing is shown.
    type: bool
    default: 'yes'
""",
    "set_fact": """
short_description: Set variables (and cacheable facts) of the host
description:
  - Sets each key of the arguments as a variable of the host for the rest of the run.
options:
  key_value:
    description: The variables to set, as C(key=value) pairs or a mapping.
    required: true
  cacheable:
    description: Also store the variables in the fact cache, as facts.
    type: bool
    default: false
""",
    "set_stats": """
short_description: Record custom statistics of the run
description:
  - Adds data to the statistics shown at the end of the run (with C(show_custom_stats)).
options:
  data:
    description: The statistics to record.
    type: dict
    required: true
  per_host:
    description: Keep the data for each host apart.
    type: bool
    default: false
  aggregate:
    description: Combine the data with what was recorded before, instead of replacing it.
    type: bool
    default: true
""",
    "validate_argument_spec": """
short_description: Check arguments against an argument specification
description:
  - Validates O(provided_arguments) (the task's variables by default) against O(argument_spec), as a role's entry point does.
options:
  argument_spec:
    description: The specification (option names with C(type), C(required), C(choices)...).
    required: true
  provided_arguments:
    description: The arguments to check.
""",
}
