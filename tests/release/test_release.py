"""``make release VERSION=x.y.z`` on a copy of the tracked files: the changelog released, and a tarball that
ships only the collection and passes the galaxy importer and the antsibull-docs docsite (tests/release/check.py).

``make release-test`` runs it (in ``make test``) with ``RELEASE_TOOLS`` naming galaxy-importer's virtualenv.
The working tree itself is never changed.
"""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.release.check import file_list_problems

VERSION = "9.8.7"


def tracked_copy(target):
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=str(REPO), check=True, capture_output=True).stdout
    for name in tracked.decode("utf-8").split("\0"):
        if name and (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(str(REPO / name), str(target / name))


def test_release_on_a_copy(tmp_path):
    tools = os.environ.get("RELEASE_TOOLS")
    if not tools:
        pytest.fail("RELEASE_TOOLS (galaxy-importer's virtualenv) is not set: run make release-test")
    copy = tmp_path / "tree"
    tracked_copy(copy)
    released = yaml.safe_load((copy / "changelogs" / "changelog.yaml").read_text())["releases"] or {}
    fragments = sorted(p.name for p in (copy / "changelogs" / "fragments").glob("*.yml"))
    if not fragments:  # right after a release: the next one needs a change to announce
        (copy / "changelogs" / "fragments").mkdir(exist_ok=True)
        (copy / "changelogs" / "fragments" / "release-test.yml").write_text(
            "---\nminor_changes:\n  - A change made by the release test.\n")
        fragments = ["release-test.yml"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "MAKE", "MFLAGS"))}
    # as a user types it: the project's virtualenv is not on PATH
    venv_bin = Path(sys.executable).parent.absolute()
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p).absolute() != venv_bin)
    proc = subprocess.run(["make", "--no-print-directory", "release-changelog", "release-check", "VERSION=" + VERSION,
                           "VENV=" + str(Path(sys.executable).parent.parent), "RELEASE_TOOLS=" + tools,
                           "--old-file", tools + "/.installed"],  # make release-test installed it
                          cwd=str(copy), env=env, capture_output=True, text=True, timeout=1500, check=False)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "file list: ok" in proc.stdout and "galaxy-importer: ok" in proc.stdout and "docsite: ok" in proc.stdout

    assert yaml.safe_load((copy / "galaxy.yml").read_text())["version"] == VERSION
    changes = yaml.safe_load((copy / "changelogs" / "changelog.yaml").read_text())
    assert list(changes["releases"]) == list(released) + [VERSION]  # the earlier releases are kept
    assert sorted(changes["releases"][VERSION]["fragments"]) == fragments
    assert list((copy / "changelogs" / "fragments").glob("*.yml")) == []
    notes = (copy / "CHANGELOG.rst").read_text()
    assert "v%s\n" % VERSION in notes and "Minor Changes" in notes

    tarball = copy / ".cache" / "release" / ("identity-cloud-%s.tar.gz" % VERSION)
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
        manifest = yaml.safe_load(archive.extractfile("MANIFEST.json").read())
    assert manifest["collection_info"]["version"] == VERSION
    assert manifest["collection_info"]["repository"].startswith("https://github.com/")
    assert "CHANGELOG.rst" in names
    # the working tree is untouched: the release happened in the copy
    assert yaml.safe_load((REPO / "galaxy.yml").read_text())["version"] != VERSION


def test_the_file_list_check_can_fail():
    names = ["MANIFEST.json", "tools/demo.py", "pytest.ini", ".ci/run", "tests/benchmarks/__init__.py",
             "plugins/modules/__pycache__/x.pyc"]
    problems = file_list_problems(names)
    for name in names[1:]:
        assert "%s is in the tarball" % name in problems
    assert "README.md is not in the tarball" in problems
