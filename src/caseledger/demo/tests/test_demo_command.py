from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from caseledger.cases.models import Case, CaseType
from caseledger.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from caseledger.people.models import Child

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_prints_every_login_with_the_password():
    output = run("--logins")
    assert f"password for every account: {DEMO_PASSWORD}" in output
    for login in DEMO_LOGINS:
        assert login.email in output


def test_demo_loads_once():
    before = Case.objects.count()
    assert "already loaded" in run()
    assert Case.objects.count() == before


def test_demo_has_every_case_type_and_a_sibling_group_with_open_cases():
    assert set(Case.objects.values_list("case_type", flat=True)) == set(CaseType.values)
    walkers = Child.objects.filter(last_name="Walker", organisation__reference_prefix="NMB")
    assert walkers.count() == 3
    assert len({child.household_id for child in walkers}) == 1
    assert Case.objects.filter(child__in=walkers, status="open").count() == 3


def test_scale_generates_children_with_open_allocated_cases():
    before = Case.objects.count()
    output = run("--scale", "40")
    assert "Generated 40 children" in output
    new = Case.objects.filter(organisation__reference_prefix="NMB").order_by("-reference")[:40]
    assert Case.objects.count() == before + 40
    assert all(case.status == "open" and case.allocated_worker_id for case in new)
    assert len({case.reference for case in Case.objects.all()}) == Case.objects.count()


def test_bench_reports_times_and_query_counts():
    out = StringIO()
    call_command("bench", "--runs", "3", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["page", "median", "ms", "p95", "ms", "queries"]
    assert any(line.startswith("caseload, allocated to me") for line in lines)


def test_demo_refuses_production_settings(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded with production settings"):
        run()
