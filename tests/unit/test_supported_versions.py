"""What meta/runtime.yml promises is what make test runs: every ansible-core minor from requires_ansible's lower
bound to the newest (requirements-test.txt) has a pinned virtualenv of the matrix (tests/matrix, Makefile MATRIX),
the README's table names the releases tested, and the execution environment ships the tested release."""

import re

import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tests.conftest import REPO


def pinned(text, package="ansible-core"):
    found = re.search(r"^%s==(\S+)$" % re.escape(package), text, re.M)
    assert found, "%s is not pinned" % package
    return Version(found.group(1))


def test_every_supported_minor_is_in_the_matrix():
    requires = SpecifierSet(yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())["requires_ansible"])
    newest = pinned((REPO / "requirements-test.txt").read_text())
    assert newest in requires
    lowest = Version(re.search(r">=\s*([\d.]+)", str(requires)).group(1))
    older = ["%d.%d" % (newest.major, minor) for minor in range(lowest.minor, newest.minor)]
    assert older, "no older release to test"
    makefile = (REPO / "Makefile").read_text()
    matrix = re.search(r"^MATRIX \?= (.+)$", makefile, re.M).group(1).split()
    assert matrix == older
    files = sorted(p.name for p in (REPO / "tests" / "matrix").glob("requirements-*.txt"))
    assert files == ["requirements-%s.txt" % minor for minor in older]
    readme = (REPO / "README.md").read_text()
    for minor in older:
        version = pinned((REPO / "tests" / "matrix" / ("requirements-%s.txt" % minor)).read_text())
        assert "%d.%d" % (version.major, version.minor) == minor and version in requires
        assert str(version) in readme, "the README's Supported versions table does not name %s" % version
    assert str(newest) in readme


def test_the_execution_environment_ships_the_tested_release():
    ee = yaml.safe_load((REPO / "execution-environment.yml").read_text())
    assert ee["dependencies"]["ansible_core"]["package_pip"] == "ansible-core==%s" % pinned(
        (REPO / "requirements-test.txt").read_text())
    assert ee["dependencies"]["ansible_runner"]["package_pip"] == "ansible-runner==%s" % pinned(
        (REPO / "requirements-test.txt").read_text(), "ansible-runner")
