"""What the SailPoint SDK judges share: the simulator they drive, the driver options, and running a driver
under sailpoint 1.4.2 (the last release with ``sailpoint.v2024``), which cannot share the test virtualenv
(same package name): ``make pytest`` builds ``.cache/sdk-sailpoint-1.4.2`` and the driver runs there as a
subprocess that prints its report as the last line of JSON."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID, CLIENT_SECRET, SailPointSimulator

ROOT = Path(__file__).resolve().parents[2]
LEGACY_VENV = ROOT / ".cache" / "sdk-sailpoint-1.4.2"
LEGACY_PYTHON = LEGACY_VENV / "bin" / "python"


def simulator():
    """A started simulator without a rate limit (the drivers' calls are about the API's shape, not its
    pacing) and with short tasks; the caller stops it."""
    server = SailPointSimulator(rate_limit=None, task_delay=0.02)
    server.start()
    return server


def options(sim, flavor):
    return {"flavor": flavor, "base_url": sim.url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "owner_id": ADMIN_ID}


def run_legacy(driver_module, sim):
    """The report of ``driver_module`` run by sailpoint 1.4.2 against ``sim`` through ``/v2024``."""
    if not LEGACY_PYTHON.exists():
        pytest.fail("the 1.4.2 SDK virtualenv is missing: `make pytest` (or `make %s/.installed`) builds it"
                    % LEGACY_VENV.relative_to(ROOT))
    answer = subprocess.run([str(LEGACY_PYTHON), str(Path(driver_module.__file__)), json.dumps(options(sim, "v2024"))],
                            capture_output=True, text=True, timeout=300, env=dict(os.environ, PYTHONPATH=""), check=False)
    assert answer.returncode == 0, answer.stderr[-3000:]
    report = json.loads(answer.stdout.strip().splitlines()[-1])
    assert report["sdk"] == "1.4.2"
    return report
