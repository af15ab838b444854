"""``make release-check``: what a release tarball must pass before it is published.

    python -m tests.release.check <tarball> --importer-python <venv>/bin/python

1. its file list: the collection, none of the developers' tooling (``SHIPPED_NOT``);
2. the galaxy importer (``galaxy-importer``, in its local mode: no container, so no ansible-test; it loads
   every plugin's docs and runs ansible-lint on the collection): it must succeed with no warning;
3. the docsite ``antsibull-docs sphinx-init`` sets up, rendered by Sphinx from the installed tarball: no
   warning that comes from the collection's own docs. Without a network intersphinx cannot load Ansible's
   own inventory, so references into Ansible's docs (``common_return_values``, other collections' plugins)
   stay unresolved here; those, and only those, are not counted.

Prints what it checked; exits 1 with the reasons when something fails.
"""

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Top-level names and paths that must not ship (galaxy.yml build_ignore).
SHIPPED_NOT = (".ci/", ".cache/", ".git/", ".gitignore", ".ansible-lint", ".hypothesis/", ".pytest_cache/", ".venv/",
               "Makefile", "pytest.ini", "requirements-", "tools/", "tests/benchmarks/", "tests/matrix/", "tests/output/",
               "tests/simulators/specs/", "tests/release/")
MUST_SHIP = ("MANIFEST.json", "FILES.json", "README.md", "LICENSE", "meta/runtime.yml", "changelogs/changelog.yaml",
             "docs/docsite/links.yml", "plugins/modules/finbourne_role.py", "roles/people/meta/argument_specs.yml")
IMPORTER_CONFIG = """[galaxy-importer]
LOG_LEVEL_MAIN = INFO
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = True
"""
UNDEFINED_LABEL = re.compile(r"WARNING: undefined label: '([^']+)'")


def file_list_problems(names):
    problems = ["%s is in the tarball" % n for n in names if n.startswith(SHIPPED_NOT) or "/__pycache__/" in n]
    problems += ["%s is not in the tarball" % n for n in MUST_SHIP if n not in names]
    return problems


def importer_problems(tarball, python, workdir):
    config = workdir / "galaxy-importer.cfg"
    config.write_text(IMPORTER_CONFIG)
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=str(config), HOME=str(workdir / "importer-home"),
               PATH="%s:%s" % (Path(python).parent, os.environ.get("PATH", "")))
    proc = subprocess.run([python, "-m", "galaxy_importer.main", str(tarball)], cwd=str(workdir), env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    output = proc.stdout + proc.stderr
    problems = [line for line in output.splitlines() if re.match(r"\s*(WARNING|ERROR)\b", line)]
    if proc.returncode != 0 or "Importer processing completed successfully" not in output:
        problems.append("galaxy-importer failed (exit code %d):\n%s" % (proc.returncode, output[-3000:]))
    return problems


def docsite_problems(tarball, workdir):
    bindir = Path(sys.executable).parent
    collections = workdir / "collections"
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), HOME=str(workdir / "docs-home"),
               PATH="%s:%s" % (bindir, os.environ.get("PATH", "")))
    env.pop("PYTHONPATH", None)

    def run(*cmd):
        proc = subprocess.run([str(c) for c in cmd], cwd=str(workdir), env=env, capture_output=True, text=True,
                              timeout=900, check=False)
        return proc.returncode, proc.stdout + proc.stderr

    rc, out = run(bindir / "ansible-galaxy", "collection", "install", "--force", tarball, "-p", collections)
    if rc:
        return ["ansible-galaxy cannot install the tarball:\n" + out[-2000:]]
    site = workdir / "docsite"
    site.mkdir(mode=0o700)
    rc, out = run(bindir / "antsibull-docs", "sphinx-init", "--use-current", "--fail-on-error", "--dest-dir", site,
                  "identity.cloud")
    if rc:
        return ["antsibull-docs sphinx-init failed:\n" + out[-2000:]]
    with open(site / "conf.py", "a") as conf:
        conf.write("\nintersphinx_mapping = {}  # no network here: see tests/release/check.py\n")
    (site / "rst").mkdir(mode=0o700, exist_ok=True)
    rc, out = run(bindir / "antsibull-docs", "--config-file", site / "antsibull-docs.cfg", "collection", "--use-current",
                  "--fail-on-error", "--cleanup", "everything", "--dest-dir", site / "rst", "identity.cloud")
    problems = [line for line in out.splitlines() if "identity.cloud" in line and re.search(r"warn|error", line, re.I)]
    if rc:
        return problems + ["antsibull-docs collection failed:\n" + out[-3000:]]
    warnings = site / "warnings.txt"
    rc, out = run(bindir / "sphinx-build", "-M", "html", site / "rst", site / "build", "-c", site, "-w", warnings,
                  "--keep-going", "-q")
    if rc:
        problems.append("sphinx-build failed:\n" + out[-3000:])
    for line in warnings.read_text().splitlines() if warnings.exists() else []:
        label = UNDEFINED_LABEL.search(line)
        if label and not label.group(1).startswith("ansible_collections.identity.cloud."):
            continue  # a reference into Ansible's own docs, which intersphinx resolves where it can reach them
        if line.strip():
            problems.append(line)
    pages = list((site / "build" / "html" / "collections" / "identity" / "cloud").glob("*_module.html"))
    if not pages:
        problems.append("the docsite has no module pages")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball")
    parser.add_argument("--importer-python", required=True, help="the python of galaxy-importer's virtualenv")
    args = parser.parse_args(argv)
    tarball = Path(args.tarball).resolve()
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
    failures = {"file list": file_list_problems(names)}
    with tempfile.TemporaryDirectory(prefix="identity-cloud-release-") as tmp:
        failures["galaxy-importer"] = importer_problems(tarball, args.importer_python, Path(tmp))
        failures["docsite"] = docsite_problems(tarball, Path(tmp))
    for check, problems in failures.items():
        print("%s: %s" % (check, "ok" if not problems else "%d problem(s)" % len(problems)))
        for problem in problems:
            print("  " + problem)
    return 1 if any(failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
