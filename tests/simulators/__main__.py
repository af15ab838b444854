"""Run simulators from the command line (the demo uses this).

    python -m tests.simulators --vendor finbourne --vendor sailpoint --env-file sims.env

Prints one ``NAME=value`` line per connection setting (URLs, client ids, secrets of the fake
tenants) to stdout and to ``--env-file``, then serves until interrupted.
"""

import argparse
import signal
import sys
import threading

from tests.simulators import SIMULATORS, settings_text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", action="append", choices=sorted(SIMULATORS), help="default: all")
    parser.add_argument("--env-file", help="also write the connection settings here")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to add to every request")
    args = parser.parse_args(argv)
    sims = []
    for vendor in args.vendor or sorted(SIMULATORS):
        sim = SIMULATORS[vendor]()
        sim.latency = args.latency
        sim.start()
        sims.append(sim)
    text = settings_text(sims)
    if args.env_file:
        with open(args.env_file, "w") as out:
            out.write(text)
    sys.stdout.write(text)
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    for sim in sims:
        sim.stop()


if __name__ == "__main__":
    main()
