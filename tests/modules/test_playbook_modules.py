"""The remaining modules through corral-playbook on localhost: a first run changes
the system, a second run and a check-mode run report changed=0."""
from __future__ import annotations

import http.server
import os
import subprocess
import threading
import uuid


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: ANN002
        pass


def test_modules_are_idempotent_through_the_playbook(tmp_path, playbook):
    site = tmp_path / "site"
    site.mkdir()
    (site / "data.txt").write_text("served\n")
    handler = lambda *a, **kw: _Quiet(*a, directory=str(site), **kw)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"

    origin = tmp_path / "origin"
    origin.mkdir()
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e")
    for command in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "one"]):
        subprocess.run(["git", *command], cwd=origin, env=env, check=True)

    work = tmp_path / "work"
    work.mkdir()
    (work / "conf").write_text("port=80\nhost=a\n")
    suffix = uuid.uuid4().hex[:6]
    group = f"corralpb{suffix}"
    key = "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    tasks = f"""
    - setup: {{gather_subset: ["!all"], filter: ["ansible_distribution"]}}
    - stat: {{path: {work}/conf}}
      register: conf
    - assert: {{that: [conf.stat.exists, "conf.stat.isreg"]}}
    - slurp: {{src: {work}/conf}}
      register: slurped
    - assert: {{that: ["(slurped.content | b64decode).startswith('port=80')"]}}
    - find: {{paths: {work}, patterns: "conf"}}
      register: found
    - assert: {{that: ["found.matched == 1"]}}
    - replace: {{path: {work}/conf, regexp: "^port=80$", replace: "port=8080"}}
    - blockinfile: {{path: {work}/conf, block: "extra=1"}}
    - wait_for: {{path: {work}/conf, search_regex: "port=8080", timeout: 5}}
    - get_url: {{url: "{url}/data.txt", dest: {work}/data.txt}}
    - uri: {{url: "{url}/data.txt", return_content: true}}
      register: page
    - assert: {{that: ["page.content == 'served\\\\n'", "page.status == 200"]}}
    - git: {{repo: {origin}, dest: {work}/checkout}}
    - group: {{name: {group}}}
    - cron: {{name: job, job: /bin/true, cron_file: {work}/crontab, user: root}}
    - known_hosts: {{name: example.com, key: "{key}", path: {work}/known_hosts}}
    - archive: {{path: {work}/conf, dest: {work}/conf.tar.gz, force_archive: true}}
    - file: {{path: {work}/unpacked, state: directory}}
    - unarchive: {{src: {work}/conf.tar.gz, dest: {work}/unpacked, remote_src: true}}
    """
    try:
        first = playbook(tasks, "--diff")
        assert first["rc"] == 0, first["stdout"]
        changed = [t.get("changed") for t in first["tasks"]]
        assert changed.count(True) == 10, changed
        assert (work / "conf").read_text() == ("port=8080\nhost=a\n# BEGIN ANSIBLE MANAGED BLOCK\nextra=1\n"
                                               "# END ANSIBLE MANAGED BLOCK\n")
        assert (work / "data.txt").read_text() == "served\n"
        assert (work / "unpacked" / "conf").exists()
        assert first["tasks"][0]["ansible_facts"]["ansible_distribution"]
        second = playbook(tasks)
        failures = [(t.get("action"), t.get("msg")) for t in second["tasks"] if t.get("failed")]
        changes = [t.get("action") for t in second["tasks"] if t.get("changed")]
        assert second["rc"] == 0, (failures, second["stderr"][-2000:])
        assert second["stats"]["changed"] == 0, changes
        # in check mode uri is skipped (as in Ansible), so its assert cannot run
        without_asserts = "\n".join(line for line in tasks.splitlines() if "- assert:" not in line)
        checked = playbook(without_asserts, "--check")
        assert checked["rc"] == 0 and checked["stats"]["changed"] == 0
    finally:
        httpd.shutdown()
        httpd.server_close()
        subprocess.run(["groupdel", group], capture_output=True)
