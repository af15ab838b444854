"""A smoke run of the scaling benchmark at a small size, so that it keeps working between its real runs
(which take the better part of an hour and stay out of ``make test``)."""

import pytest

from tests.benchmarks import scaling

# the benchmark starts its own simulator process, which random faults do not reach
pytestmark = pytest.mark.no_random_faults

SIZE = 20  # identities, over scaling.GROUPS groups


def test_scaling_benchmark_measures_every_figure_at_a_small_size(capsys):
    rows = scaling.main(["--sizes", str(SIZE), "--uri-sizes", "--repeat", "1", "--out", "-"])
    assert len(rows) == 1
    row = rows[0]
    # each way left every identity in its group (check_result would have stopped the run otherwise)
    assert row["size"] == SIZE and row["runs"] == 1
    assert row["onboard_writes"] == SIZE + scaling.GROUPS  # one create each, one addMembers call per group
    assert row["converged_writes"] == 0 and row["converged_reads"] >= 1
    for key in ("floor", "raw", "raw_0ms", "module", "task", "task_0ms", "converged"):
        assert row[key] > 0, key
    assert row["task"] < row["module"]  # the task is part of the whole run
    assert row["module_sim_cpu_ms"] > 0 and row["raw_sim_cpu_ms"] > 0
    assert row["controller_peak_mb"] > 0 and row["module_peak_mb"] > 0
    assert "uri" not in row
    out = capsys.readouterr().out
    assert "| 20 |" in out and "## Targets" in out and "(b) task at 0 ms s" in out
