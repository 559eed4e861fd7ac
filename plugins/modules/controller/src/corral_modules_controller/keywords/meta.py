#!/usr/bin/python3
"""meta: documentation of the keyword."""
from __future__ import annotations

DOCUMENTATION = r"""
module: meta
short_description: Execute Ansible 'actions'
description:
  - Acts on the run itself rather than on a host; the engine runs it.
options:
  free_form:
    description:
      - The action, given directly (there is no option of that name).
      - V(flush_handlers) runs the handlers notified so far.
      - V(refresh_inventory) reads the inventory sources again (the current play's hosts do not change).
      - V(noop) does nothing.
      - V(clear_facts) forgets the facts of the play's hosts, in the fact cache too.
      - V(clear_host_errors) clears the failed state of the play's hosts, for later plays.
      - V(end_play) ends the play for every host, without failing them.
      - V(end_host) ends the play for the current host, without failing it.
      - V(end_batch) ends the current batch (C(serial)); without C(serial) it is V(end_play).
      - V(end_role) ends the current role; an error outside a role or in a handler.
      - V(reset_connection) closes the host's persistent connection.
    choices: [clear_facts, clear_host_errors, end_host, end_play, flush_handlers, noop, refresh_inventory,
              reset_connection, end_batch, end_role]
    required: true
"""

EXAMPLES = r"""
- meta: flush_handlers
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "meta is a keyword of the playbook language, not a module to run"}))
    sys.exit(1)
