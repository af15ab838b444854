"""A smoke run of the SailPoint governance benchmark (tests/benchmarks/sailpoint_governance.py) at a tiny size,
so that it keeps working between its real runs (5,000 entitlements and 500 access profiles, minutes at the
vendor's rate limit, outside ``make test``)."""

import pytest

from tests.benchmarks import sailpoint_governance

# the benchmark starts its own simulator process, which random faults do not reach
pytestmark = pytest.mark.no_random_faults

ENTITLEMENTS, ACCESS_PROFILES = 120, 6


def test_governance_benchmark_measures_every_figure_at_a_tiny_size(capsys):
    rows = sailpoint_governance.main(["--entitlements", str(ENTITLEMENTS), "--access-profiles", str(ACCESS_PROFILES),
                                      "--limit", "1000", "--latency", "0", "--settle", "0"])
    by_phase = dict((row["phase"], row) for row in rows)
    assert sorted(by_phase) == ["access profiles", "entitlements"]
    # every entitlement requestable, one in ten privileged: two patches, 50 ids a bulk-update call
    privileged = len(range(0, ENTITLEMENTS, 10))
    assert by_phase["entitlements"]["writes"] == -(-(ENTITLEMENTS - privileged) // 50) + -(-privileged // 50)
    assert by_phase["access profiles"]["writes"] == ACCESS_PROFILES  # one create each
    for row in rows:
        assert row["converged_writes"] == 0 and row["converged_reads"] >= 1, row
        assert row["raw"] > 0 and row["task"] > 0 and row["run"] > row["task"], row
    out = capsys.readouterr().out
    assert "| entitlements |" in out and "target <= 1.2" in out
