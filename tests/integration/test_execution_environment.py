"""execution-environment.yml builds a context with ansible-builder; meta/execution-environment.yml declares the
collection's Python needs (building the image itself needs a container engine and is not run here)."""

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
    assert "requests" in (context / "_build" / "requirements.txt").read_text()


def test_collection_declares_its_python_needs():
    out = run(BIN / "ansible-builder", "introspect", COLLECTIONS)
    assert "requests" in out and "identity.cloud" in out, out
