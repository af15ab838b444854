"""``make demo``: start the three simulators, run playbooks/demo.yml twice, show that the second run changes nothing.

The playbook reads its connection settings from the vendors' environment variables; here they
point at the simulators, which ``python -m tests.simulators`` prints as ``NAME=value`` lines.
``--ansible-playbook PATH`` runs another ansible-core's ansible-playbook (for example one in a venv of 2.16).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLLECTIONS = REPO / ".cache" / "collections"
RECAP = re.compile(r"^localhost\s*:.*?changed=(\d+).*?failed=(\d+)", re.M)


def link_collection():
    """ansible-playbook finds the collection as ansible_collections/identity/cloud under COLLECTIONS."""
    link = COLLECTIONS / "ansible_collections" / "identity" / "cloud"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)


def start_simulators(env_file):
    proc = subprocess.Popen([sys.executable, "-m", "tests.simulators", "--env-file", str(env_file)], cwd=str(REPO),
                            stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        if env_file.exists() and env_file.read_text().endswith("\n"):
            settings = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
            return proc, settings
        if proc.poll() is not None:
            sys.exit("the simulators did not start (exit code %s)" % proc.returncode)
        time.sleep(0.1)
    proc.terminate()
    sys.exit("the simulators did not start within 60 s")


def run_playbook(env, title, ansible_playbook):
    print("\n==== %s ====" % title, flush=True)
    cmd = [ansible_playbook, str(REPO / "playbooks" / "demo.yml")]
    proc = subprocess.run(cmd, cwd=str(REPO), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    print(proc.stdout, flush=True)
    recap = RECAP.search(proc.stdout)
    if proc.returncode != 0 or recap is None:
        sys.exit("the demo playbook failed (exit code %d)" % proc.returncode)
    return int(recap.group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ansible-playbook", default=str(Path(sys.executable).parent / "ansible-playbook"),
                        help="the ansible-playbook to run (default: the one beside this Python)")
    args = parser.parse_args(argv)
    link_collection()
    with tempfile.TemporaryDirectory(prefix="identity-cloud-demo-") as tmp:
        proc, settings = start_simulators(Path(tmp) / "simulators.env")
        try:
            env = dict(os.environ)
            env.update(settings)
            env.update({
                "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
                "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
                "ANSIBLE_LOCALHOST_WARNING": "false",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "ANSIBLE_HOME": str(Path(tmp) / "ansible-home"),
                "IDENTITY_CLOUD_TOKEN_CACHE_DIR": str(Path(tmp) / "tokens"),
            })
            first = run_playbook(env, "first run: creates everything", args.ansible_playbook)
            second = run_playbook(env, "second run: the same playbook again", args.ansible_playbook)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print("first run: %d changed tasks; second run: %d changed tasks" % (first, second))
    if first == 0 or second != 0:
        sys.exit("the demo should change things on the first run and nothing on the second")
    print("Idempotent: the second run changed nothing.")


if __name__ == "__main__":
    main()
