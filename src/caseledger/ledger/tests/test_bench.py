"""`caseledger bench ledger`: a small run, to show every measurement is taken and reported.

300 notes and three runs per measurement keep it to a few seconds; the figures themselves mean
nothing at this size (run `caseledger bench ledger` for those). What matters here: the JSON
holds each measurement with its floor and ratio, and the bulk-built chains verify.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caseledger.ledger.models import Entry, EntryStatus
from caseledger.ledger.verify import verify

pytestmark = pytest.mark.django_db


def test_a_small_ledger_bench_reports_every_measurement_and_keeps_the_chains_valid():
    before = Entry.objects.filter(status=EntryStatus.FINAL).count()
    out = io.StringIO()
    call_command(
        "bench", "ledger", "--notes", "300", "--runs", "3", stdout=out, stderr=io.StringIO()
    )
    figures = json.loads(out.getvalue())
    assert {
        "target",
        "database",
        "notes",
        "cases",
        "largest_case",
        "chronology_first_page",
        "finalise_service",
        "finalise_http",
        "verify",
    } <= set(figures)
    assert figures["notes"] == 300
    assert figures["largest_case"]["entries"] == 150
    for name in ("finalise_service", "finalise_http"):
        measured = figures[name]
        assert {"notes_per_second", "p50_ms", "p95_ms", "floor", "ratio"} <= set(measured)
        assert {"notes_per_second", "p50_ms", "p95_ms"} <= set(measured["floor"])
        assert measured["ratio"] > 0
    chronology = figures["chronology_first_page"]
    assert {"p50_ms", "p95_ms", "budget_p95_ms", "floor", "ratio"} <= set(chronology)
    assert {"p50_ms", "p95_ms"} <= set(chronology["floor"])
    throughput = figures["verify"]
    assert {"entries_per_second", "floor", "ratio"} <= set(throughput)
    assert "entries_per_second" in throughput["floor"]
    # 300 bulk notes, 3 through the service, 3 over HTTP, 6 rows of the insert floor.
    assert Entry.objects.filter(status=EntryStatus.FINAL).count() == before + 300 + 3 + 3 + 6
    assert throughput["entries"] == before + 300 + 6 + 6
    assert verify().ok


def test_the_ledger_bench_refuses_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("bench", "ledger", "--notes", "300", stdout=io.StringIO())


def test_bench_still_times_the_pages_by_default():
    out = io.StringIO()
    call_command("bench", "--runs", "1", stdout=out)
    assert "median ms" in out.getvalue()
    assert "case page" in out.getvalue()
