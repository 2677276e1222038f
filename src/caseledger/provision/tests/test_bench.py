from __future__ import annotations

import pytest

from caseledger.provision import bench

pytestmark = pytest.mark.django_db


def test_the_bench_generates_a_school_and_reports_the_figures() -> None:
    size = bench.Size(
        pupils=40, on_register=20, interventions=3, groups_per_intervention=2, years=1
    )
    figures = bench.run(size=size, runs=2)
    assert figures["school"]["pupils"] == 40 and figures["school"]["interventions"] == 3
    assert figures["school"]["on_register"] == 20 and figures["school"]["groups"] == 6
    assert figures["school"]["sessions"] > 0 and figures["school"]["places"] > 0
    assert figures["smaller_school"]["pupils"] == 4
    assert set(figures["pages"]) == {
        "provision_map",
        "school_wide_reports",
        "provision_map_all_years",
        "school_wide_reports_all_years",
    }
    for page in figures["pages"].values():
        assert set(page) >= {"p50_ms", "p95_ms", "max_ms", "queries", "queries_smaller_school"}
        assert page["p50_ms"] <= page["p95_ms"] <= page["max_ms"]
        assert page["constant_queries"] is True
