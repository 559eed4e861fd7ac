"""What each kernel setting (:data:`corral.config.SETTINGS`) means, in one or two
sentences: shown by ``corral-config list`` and written into ``corral-config init``'s
file.  Plugins describe their own options where they declare them."""
from __future__ import annotations

__all__ = ["DESCRIPTIONS"]

DESCRIPTIONS: dict[str, str] = {
    "forks": "How many hosts run a task at once (the number of worker processes).",
    "inventory": "Inventory sources used when -i is not given: files, directories, scripts or host lists.",
    "stdout_callback": "The callback that prints the run on the screen (default, minimal, oneline, json, ...).",
    "load_callback_plugins": ("The ad-hoc CLI (corral) uses the configured stdout_callback, when it is not "
                              "'default', instead of minimal (bin_ansible_callbacks)."),
    "callbacks_enabled": "More callbacks to run beside the stdout callback (profile_tasks, junit, log_plays, ...).",
    "host_key_checking": "Refuse SSH hosts whose key is not known or has changed.",
    "remote_user": "The user to log in as on managed hosts (default: the connection's own default).",
    "remote_port": "The port to connect to on managed hosts (default: the connection's own default).",
    "private_key_file": "The private key file SSH authenticates with.",
    "timeout": "Seconds to wait for a connection to a host to be made.",
    "duplicate_dict_key": "What a YAML mapping that repeats a key gives: warn, error or ignore.",
    "transport": "The connection plugin used when a host or play names none.",
    "strategy": "How a play's hosts go through its tasks: linear (task by task), free, or host_pinned (free, "
                "at most forks hosts in the play at once).",
    "executor": "The executor plugin that runs hosts' work: forking (worker processes), inline, or another one "
                "installed (ray).",
    "connection_cache_size": "How many hosts' connections (with their module servers) stay open at once; "
                             "0 means as many as forks.",
    "gathering": "When plays gather facts: implicit (unless gather_facts: false), explicit (only when asked), "
                 "smart (only hosts without cached facts).",
    "gather_subset": "Which facts gathering collects by default (all, min, hardware, network, ...; !x excludes).",
    "nocolor": "Never color the output.",
    "force_color": "Color the output even when it is not a terminal.",
    "roles_path": "Directories searched for roles, after the roles/ folder beside the playbook.",
    "inject_invocation": "Keep the module's arguments (invocation) in registered and shown results, as "
                         "ansible-core's inject_invocation does.",
    "interpreter_python": "The Python interpreter modules run with on managed hosts; auto discovers it.",
    "hash_behaviour": "How dictionaries from different variable sources combine: replace (the later wins whole) "
                      "or merge (recursively).",
    "any_errors_fatal": "A task failing on any host ends the play for every host.",
    "force_handlers": "Run notified handlers even on hosts that failed.",
    "error_on_undefined_vars": "A template using an undefined variable fails the task.",
    "vault_password_file": "The file (or script) giving the vault password.",
    "vault_identity_list": "Vault identities to use, as label@source.",
    "fact_caching": "The cache plugin facts are kept in between runs (memory: not kept; jsonfile ...).",
    "fact_caching_connection": "Where the fact cache plugin keeps its data (a directory for jsonfile).",
    "fact_caching_timeout": "Seconds cached facts stay valid (0: forever).",
    "fact_caching_prefix": "What the fact cache plugin puts before each host's key (jsonfile: its file name).",
    "remote_tmp": "The directory on managed hosts under which tasks make their temporary directories.",
    "python_module_rlimit_nofile": "The soft limit of open files Python modules run with (0: unchanged).",
    "local_tmp": "The directory on the controller under which runs make their temporary directories.",
    "allow_world_readable_tmpfiles": "When becoming an unprivileged user fails to share files any other way, "
                                     "make them world-readable (unsafe; off by default).",
    "common_remote_group": "A group the login user and the become user share, used to give the become user "
                           "access to temporary files.",
    "log_path": "A file that receives everything the run prints.",
    "no_log": "Hide every task's output and arguments, as no_log: true on each task.",
    "become": "Run tasks with privilege escalation.",
    "become_method": "How to escalate privileges: sudo, su, runuser, ...",
    "become_user": "The user tasks become.",
    "become_ask_pass": "Ask for the privilege escalation password at start.",
    "vars_plugins_enabled": "The vars plugins that give host and group variables (host_group_vars reads "
                            "group_vars/ and host_vars/).",
    "run_vars_plugins": "When vars plugins run: demand (when variables are needed) or start (once, at start).",
    "inventory_enable_plugins": "The inventory plugins tried, in order, on each inventory source.",
    "inventory_unparsed_failed": "An inventory source no plugin can parse is an error, not a warning.",
    "inventory_any_unparsed_failed": "Any inventory source that fails to parse is an error.",
    "pipelining": "Send modules to hosts on the connection's stdin instead of copying them as files first.",
    "localhost_warning": "Warn when the inventory has no hosts at all (only the implicit localhost is there).",
    "transform_invalid_group_chars": "What inventories do with group names that are not valid variable names: "
                                     "never (keep, warn), always (replace with _, warn), ignore (keep), "
                                     "silently (replace).",
}
