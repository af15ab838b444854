"""The execution environment of execution-environment.yml, checked without a container engine.

- ``ansible-builder create`` writes a context that installs the collection from the tarball ``make build``
  left (whatever its version) on the declared Python;
- what the image's pip would install resolves on that Python: ansible-core and ansible-runner as pinned,
  with their dependencies, as wheels for that Python version (``pip install --dry-run --python-version``);
  the same check on Python 3.9 (the awx-ee 24 base) fails, so it is a check that can fail;
- the collection's Python code needs no newer Python than the image's (``vermin``, a static check);
- meta/execution-environment.yml says the collection needs no Python or system package.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import COLLECTIONS, REPO

BIN = Path(sys.executable).parent
EE = yaml.safe_load((REPO / "execution-environment.yml").read_text())
GALAXY = yaml.safe_load((REPO / "galaxy.yml").read_text())


def run(*cmd, cwd=REPO, expect=0):
    proc = subprocess.run([str(c) for c in cmd], cwd=str(cwd), capture_output=True, text=True, timeout=600, check=False)
    if expect is not None:
        assert proc.returncode == expect, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def ee_python_version():
    """'3.11' from the declared interpreter (python_path /usr/bin/python3.11)."""
    path = EE["dependencies"]["python_interpreter"]["python_path"]
    found = re.search(r"python(3\.\d+)$", path)
    assert found, "python_path %s does not name its version" % path
    return found.group(1)


def pins():
    return [EE["dependencies"]["ansible_core"]["package_pip"], EE["dependencies"]["ansible_runner"]["package_pip"]]


def dry_run(python_version, tmp_path):
    report = tmp_path / ("report-%s.json" % python_version)
    proc = run(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
               "--python-version", python_version, "--only-binary=:all:", "--target", tmp_path / "target",
               "--report", report, *pins(), expect=None)
    installed = {}
    if proc.returncode == 0:
        installed = dict((item["metadata"]["name"].lower(), item["metadata"]["version"])
                         for item in json.loads(report.read_text())["install"])
    return proc, installed


def test_ansible_builder_create(tmp_path):
    build = REPO / ".cache" / "build"
    for old in build.glob("identity-cloud-*.tar.gz"):
        old.unlink()  # what make build does: one tarball for the EE's glob to find
    run(BIN / "ansible-galaxy", "collection", "build", "--force", "--output-path", build)
    context = tmp_path / "context"
    run(BIN / "ansible-builder", "create", "-f", REPO / "execution-environment.yml", "-c", context, "--output-filename", "Containerfile")
    containerfile = (context / "Containerfile").read_text()
    assert 'ARG PYCMD="/usr/bin/python%s"' % ee_python_version() in containerfile
    assert 'ARG ANSIBLE_INSTALL_REFS="%s"' % " ".join(pins()) in containerfile
    assert "FROM $EE_BASE_IMAGE AS base" in containerfile and "awx-ee" not in containerfile
    copied = sorted(p.name for p in (context / "_build" / "collection").iterdir())
    assert copied == ["identity-cloud-%s.tar.gz" % GALAXY["version"]]
    assert "RUN mv /build/identity-cloud-*.tar.gz /build/identity-cloud.tar.gz" in containerfile
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert requirements["collections"] == [{"name": "/build/identity-cloud.tar.gz", "type": "file"}]
    assert not (context / "_build" / "requirements.txt").exists()


def test_ee_python_installs_the_pinned_packages(tmp_path):
    version = ee_python_version()
    proc, installed = dry_run(version, tmp_path)
    assert proc.returncode == 0, "pip cannot install %s on Python %s:\n%s" % (pins(), version, proc.stderr[-3000:])
    for pin in pins():
        name, wanted = pin.split("==")
        assert installed.get(name) == wanted, (pin, installed)
    # the ansible-core of the image is the one the test suite runs
    tested = re.search(r"^ansible-core==(\S+)$", (REPO / "requirements-test.txt").read_text(), re.M).group(1)
    assert installed["ansible-core"] == tested


def test_the_same_check_refuses_python_3_9(tmp_path):
    """awx-ee 24's Python: no ansible-core 2.19 for it, which is why the image no longer builds on it."""
    proc, _installed = dry_run("3.9", tmp_path)
    assert proc.returncode != 0
    assert "ansible-core" in proc.stderr


def test_plugins_need_no_newer_python_than_the_ee():
    version = ee_python_version()
    proc = run(BIN / "vermin", "--no-tips", "--no-parse-comments", "--eval-annotations", "--target=%s-" % version,
               "--violations", REPO / "plugins", expect=None)
    assert proc.returncode == 0, "plugins/ needs a newer Python than the EE's %s:\n%s" % (version, proc.stdout[-3000:])
    minimum = run(BIN / "vermin", "--no-tips", "--no-parse-comments", "--eval-annotations", REPO / "plugins").stdout
    found = re.search(r"Minimum required versions: (3\.\d+)", minimum)
    assert found, minimum
    # the README and the runtime promise: Python 3.9+ on the managed side (older EEs too)
    assert tuple(int(n) for n in found.group(1).split(".")) <= (3, 9) <= tuple(int(n) for n in version.split("."))


def test_collection_needs_no_python_package():
    out = run(BIN / "ansible-builder", "introspect", COLLECTIONS).stdout
    assert "python: []" in out and "system: []" in out, out
