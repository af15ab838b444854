"""Run a command and append its peak resident memory in KiB to a file (what GNU time's ``-a -f %M``
does, with Python alone): ``python peak.py OUTFILE COMMAND [ARG...]``; exits with the command's code.

``harness.peak_rss_wrapper`` puts it in front of each module process.
"""

import resource
import subprocess
import sys


def main(argv):
    out, cmd = argv[0], argv[1:]
    code = subprocess.call(cmd)
    with open(out, "a") as handle:
        handle.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
