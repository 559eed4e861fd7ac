"""Read a run's artifacts with ansible-runner's own reader (run with the oracle's Python).

    .oracle/bin/python read_artifacts.py PRIVATE_DATA_DIR IDENT

Prints JSON: ``status``, ``rc``, ``stats`` and ``events`` as ``ansible_runner.runner.Runner``
loads them from ``artifacts/IDENT/job_events`` (each reduced to its counter, event name,
host, task, play, uuid, parent_uuid, runner_ident and event_data keys), and each host's
events from ``Runner.host_events``.
"""
import json
import os
import sys

from ansible_runner.config.runner import RunnerConfig
from ansible_runner.runner import Runner


def main(private_data_dir, ident):
    config = RunnerConfig(private_data_dir=private_data_dir, ident=ident)
    runner = Runner(config)
    with open(os.path.join(config.artifact_dir, "status")) as handle:
        runner.status = handle.read().strip()
    with open(os.path.join(config.artifact_dir, "rc")) as handle:
        runner.rc = int(handle.read().strip())
    events = []
    for event in runner.events:
        data = event.get("event_data", {})
        events.append({"counter": event["counter"], "event": event["event"], "host": data.get("host"),
                       "task": data.get("task"), "play": data.get("play"), "uuid": event["uuid"],
                       "parent_uuid": event.get("parent_uuid"), "runner_ident": event.get("runner_ident"),
                       "start_line": event["start_line"], "end_line": event["end_line"], "stdout": event["stdout"],
                       "res": data.get("res"), "keys": sorted(data)})
    hosts = sorted({e["host"] for e in events if e["host"]})
    host_events = {host: [e["event"] for e in runner.host_events(host)] for host in hosts}
    json.dump({"status": runner.status, "rc": runner.rc, "stats": runner.stats, "events": events,
               "host_events": host_events}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
