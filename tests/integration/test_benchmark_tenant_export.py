"""A smoke run of the tenant export benchmark (tests/benchmarks/tenant_export.py) at a tiny size, so that it keeps
working between its real runs (10,000 identities, 2,000 users, 500 sources: out of ``make test``)."""

import pytest

from tests.benchmarks import tenant_export

# the benchmark starts its own simulators' process, which random faults do not reach
pytestmark = pytest.mark.no_random_faults


def test_tenant_export_benchmark_measures_every_figure_at_a_tiny_size(capsys):
    row = tenant_export.main(["--identities", "24", "--groups", "4", "--users", "6", "--sources", "3",
                              "--latency", "0", "--concurrency", "4", "--out", "-"])
    # the export wrote every person and source (check_export stops a short one) and only read
    assert row["exported"]["sources"] == 3 and row["exported"]["schemas"] == 9  # account, group and the seeded one
    assert row["exported"]["memberships"] == 24
    assert row["writes"] == {"(b)": 0, "(c)": 0}
    # the plain script reads what the role reads; the role's modules also look the realm up once each
    assert row["reads"]["(c)"] > 24 + 3 * 7 and row["reads"]["(b)"] >= row["reads"]["(c)"]
    for key in ("floor", "export", "raw", "controller_peak_mb", "module_peak_mb", "raw_peak_mb"):
        assert row[key] > 0, key
    out = capsys.readouterr().out
    assert "## Targets" in out and "net of the floor" in out and "| (c) plain script, the same reads |" in out
