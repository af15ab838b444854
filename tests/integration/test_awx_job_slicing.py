"""A sliced AWX job: two slices on two execution nodes share SailPoint's rate limit through awx_job_slice_count.

The shared limiter (plugins/module_utils/rate_limit.py) counts in a file on one machine; each execution node
of a sliced job has its own. The README's AWX section says to divide ``rate_limit`` by the slice count in
``module_defaults``; here two ansible-runner jobs run at once, like two slices on two nodes (each its own
private data dir and token cache folder, hence its own limiter file), with the AWX extra variables
``awx_job_slice_count`` / ``awx_job_slice_number``, against the SailPoint simulator enforcing a low limit
for the client id both use. Divided, the simulator answers no 429 and never sees more than its limit in a
window; the same jobs without ``awx_job_slice_count`` (each node takes the whole limit) collect 429s, so the
test can tell the two apart.
"""

import sys
from pathlib import Path

import ansible_runner
import pytest
import yaml

from tests.conftest import REPO, ansible_env
from tests.integration.test_sailpoint_source_info import seed_sources

LIMIT, PERIOD = 10, 3  # the simulator's limit for the client id: 10 requests per 3 s
SOURCES = 5  # each slice reads them with health and connections: 11 requests per slice

PLAYBOOK = """
- name: A SailPoint job that AWX slices across execution nodes
  hosts: all
  gather_facts: false
  module_defaults:
    group/identity.cloud.sailpoint:
      rate_limit: "{{ (sailpoint_rate_limit / (awx_job_slice_count | default(1) | int)) | int }}"
      rate_limit_period: %(period)d
  tasks:
    - name: Wait until every slice is ready (AWX starts the slices together when it has the capacity)
      ansible.builtin.include_tasks: barrier.yml

    - name: Read the sources with their health and connections
      identity.cloud.sailpoint_source_info:
        include_health: true
        include_connections: true
      register: sources
""" % {"period": PERIOD}

BARRIER = """
- name: Say this slice is ready
  ansible.builtin.file:
    path: "{{ barrier_dir }}/ready-{{ awx_job_slice_number | default(inventory_hostname) }}"
    state: touch
    mode: "0600"
- name: Wait for the other slices
  ansible.builtin.wait_for:
    path: "{{ barrier_dir }}/ready-{{ item }}"
    timeout: 120
  loop: "{{ barrier_names }}"
"""


def run_slices(tmp_path, sim, sliced):
    """Two jobs at once, one host each, as two slices of one job template on two nodes."""
    project = tmp_path / "project"
    project.mkdir(parents=True)
    (project / "slice.yml").write_text(PLAYBOOK)
    (project / "barrier.yml").write_text(BARRIER)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    runners, threads = [], []
    for number in (1, 2):
        node = tmp_path / ("node%d" % number)
        (node / "inventory").mkdir(parents=True)
        (node / "inventory" / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"desk-%d" % number: {
            "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
        envvars = dict((k, v) for k, v in ansible_env(node).items()
                       if k.startswith(("ANSIBLE_", "IDENTITY_CLOUD_", "PYTHONPATH", "PATH")))
        envvars.update(sim.connection_env())  # what the SailPoint credential type injects
        envvars["IDENTITY_CLOUD_TOKEN_CACHE_DIR"] = str(node / "tokens")  # each node: its own limiter file
        extravars = {"sailpoint_rate_limit": LIMIT, "barrier_dir": str(barrier)}
        if sliced:
            extravars.update(awx_job_slice_count=2, awx_job_slice_number=number, barrier_names=[1, 2])
        else:
            extravars["barrier_names"] = ["desk-1", "desk-2"]
        thread, runner = ansible_runner.run_async(
            private_data_dir=str(node), project_dir=str(project), playbook="slice.yml", envvars=envvars,
            extravars=extravars, suppress_env_files=True, quiet=True, ident="slice%d" % number)
        threads.append(thread)
        runners.append(runner)
    for thread in threads:
        thread.join(300)
    for runner in runners:
        assert runner.status == "successful", runner.stdout.read()[-4000:]
    return runners


def sources_read(runner):
    for event in runner.events:
        data = event.get("event_data", {})
        if event["event"] == "runner_on_ok" and data.get("task") == "Read the sources with their health and connections":
            return sorted(s["name"] for s in data["res"]["sources"])
    raise AssertionError("the SailPoint task did not run")


def busiest_window(sim):
    """The most API requests the simulator served in any window of PERIOD seconds."""
    times = sorted(e["time"] for e in sim.log if not e["auth"] and e["status"] != 429)
    return max((sum(1 for t in times[i:] if t < start + PERIOD) for i, start in enumerate(times)), default=0)


@pytest.mark.no_random_faults  # counts 429 answers: only the simulator's rate limit may send them
def test_slices_divide_the_rate_limit(tmp_path, sailpoint_sim):
    sim = sailpoint_sim
    seed_sources(sim, SOURCES)
    sim.rate_limit = (LIMIT, PERIOD)

    runners = run_slices(tmp_path / "sliced", sim, sliced=True)
    for runner in runners:
        assert sources_read(runner) == ["src-%03d" % n for n in range(SOURCES)]
    served = [e for e in sim.log if not e["auth"]]
    assert len(served) >= 2 * (1 + 2 * SOURCES), "the slices sent fewer requests than the test needs"
    assert [e["path"] for e in served if e["status"] == 429] == []
    assert busiest_window(sim) <= LIMIT

    # The control: without awx_job_slice_count each node takes the whole limit, and together they exceed it.
    sim.reset()
    seed_sources(sim, SOURCES)
    sim.rate_limit = (LIMIT, PERIOD)
    run_slices(tmp_path / "unsliced", sim, sliced=False)
    assert [e for e in sim.log if e["status"] == 429], "two nodes at the whole limit each got no 429"


def test_readme_documents_the_sliced_form():
    readme = (REPO / "README.md").read_text()
    assert "awx_job_slice_count" in readme and "rate_limit" in readme
    assert Path(__file__).name in readme
