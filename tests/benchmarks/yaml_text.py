"""The tenant export's YAML writer: PyYAML's pure-Python emitter (``reference``) against ``dump``'s fast path.

    .venv/bin/python -m tests.benchmarks.yaml_text [--people 12000] [--groups 50] [--repeat 5]

A benchmark, not a test: it prints seconds and the ratio and asserts nothing. The data is people.yml's as
``people_export`` writes it (``stable()``: sorted keys and lists) for PEOPLE people: each with a Beyond Identity
identity in a few of GROUPS groups and a FINBOURNE user with two roles, some with a login of their own, one in
ten suspended with no FINBOURNE user, names with accents and apostrophes. Each figure is the best of REPEAT runs.
It also prints whether the fast path wrote the file (not the reference) and that both texts are the same.
"""

import argparse
import sys
import time

from tests.benchmarks.harness import COLLECTIONS, REPO

FIRST = ("Ada", "Zoë", "Seán", "Grace", "Jürgen", "Li", "O'Neil", "Ana María", "Yes", "Null")
LAST = ("Lovelace", "Hopper", "D'Arcy", "Müller", "Ñúñez", "Smith-Jones", "van der Berg", "True", "123", "Ōtani")


def people(count, groups):
    out = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        email = "person.%05d@example.com" % i
        person = {"username": "person%05d" % i, "email": email, "display_name": "%s %s" % (first, last),
                  "beyond_identity": {"groups": ["Group %03d" % ((i * k) % groups) for k in (1, 7, 13)]}}
        if i % 10 == 9:
            person["state"] = "suspended"
            person["finbourne"] = {"enabled": False}
        else:
            person.update(first_name=first, last_name=last)
            person["finbourne"] = {"roles": ["role-%d" % (i % 10), "reader"], "type": "Personal"}
            if i % 25 == 0:
                person["finbourne"]["login"] = "login-%05d" % i
        out.append(person)
    return {"people_list": out, "people_beyond_identity_realm": "Default",
            "people_beyond_identity_enroll": False, "people_finbourne_activation_email": False}


def best(repeat, function, *args):
    times = []
    for dummy in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=12000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    link = COLLECTIONS / "ansible_collections" / "identity" / "cloud"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(COLLECTIONS))
    from ansible_collections.identity.cloud.plugins.plugin_utils.export import stable
    from ansible_collections.identity.cloud.plugins.plugin_utils.yaml_text import dump, fast, reference

    data = stable(people(args.people, args.groups))
    header = "people.yml: %d people\n\nwritten by the benchmark" % args.people
    slow, expected = best(args.repeat, reference, data, header)
    quick, text = best(args.repeat, dump, data, header)
    print("people %d, %d bytes of YAML, best of %d" % (args.people, len(text.encode("utf-8")), args.repeat))
    print("reference (PyYAML pure-Python emitter)  %8.3f s" % slow)
    print("dump (fast path)                        %8.3f s" % quick)
    print("ratio                                   %8.1f x" % (slow / quick))
    print("fast path taken: %s; same text: %s" % (fast(data) is not None, text == expected))


if __name__ == "__main__":
    main()
