"""execution-environment.yml builds a context with ansible-builder; meta/execution-environment.yml says the
collection needs no Python or system package (building the image itself needs a container engine and is not
run here)."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import COLLECTIONS, REPO

BIN = Path(sys.executable).parent


def run(*cmd, cwd=REPO):
    proc = subprocess.run([str(c) for c in cmd], cwd=str(cwd), capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_ansible_builder_create(tmp_path):
    run(BIN / "ansible-galaxy", "collection", "build", "--force", "--output-path", REPO / ".cache" / "build")
    context = tmp_path / "context"
    run(BIN / "ansible-builder", "create", "-f", REPO / "execution-environment.yml", "-c", context, "--output-filename", "Containerfile")
    containerfile = (context / "Containerfile").read_text()
    assert "identity-cloud.tar.gz" in containerfile
    assert (context / "_build" / "identity-cloud-0.1.0.tar.gz").is_file()
    assert not (context / "_build" / "requirements.txt").exists()


def test_collection_needs_no_python_package():
    out = run(BIN / "ansible-builder", "introspect", COLLECTIONS)
    assert "python: []" in out and "system: []" in out, out
