"""Stand-in for ansible-test's pip bootstrap script, which it downloads from a host we cannot reach.

ansible-test runs this inside each new sanity virtualenv with pip-install arguments. The
pip of the project's own virtualenv installs what was asked for (ansible-test's pinned
pip, setuptools, wheel) into that virtualenv via ``pip --python``. ``make sanity`` writes
this file into ansible-test's cache with the project interpreter filled in below.
"""

import subprocess
import sys

PROJECT_PYTHON = "@PROJECT_PYTHON@"

# --no-setuptools / --no-wheel are get-pip's own flags, not pip's.
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([PROJECT_PYTHON, "-m", "pip", "--python", sys.executable, "install"] + args))
