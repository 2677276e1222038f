"""`caseledger bench search`: a small run shows every figure is measured and reported.

The figures mean nothing at this size (run `caseledger bench search` for those); what matters
is that the JSON holds each measurement, the worker's caseload is 30 cases, the generated
documents are searchable, and the upload's memory is measured on a real 20 MB request."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from caseledger.cases.models import Case
from caseledger.search.bench import BENCH_WORKER, CASELOAD
from caseledger.search.models import SearchEntry, SearchKind
from caseledger.vault.models import Document

pytestmark = pytest.mark.django_db


def test_a_small_search_bench_reports_every_measurement() -> None:
    out = io.StringIO()
    call_command(
        "bench",
        "search",
        "--notes",
        "400",
        "--documents",
        "60",
        "--runs",
        "3",
        stdout=out,
        stderr=io.StringIO(),
    )
    figures = json.loads(out.getvalue())
    assert figures["target"] == "search"
    for who in ("worker", "admin"):
        for size in ("one_word", "two_words"):
            measured = figures[who][size]
            assert measured["p95_ms"] >= measured["p50_ms"] > 0
    caseload = Case.objects.filter(allocated_worker__email=BENCH_WORKER).count()
    assert figures["worker"]["cases"] == caseload
    # 400 notes make only a few bench cases; at the bench's real size the worker has 30.
    assert 1 <= caseload <= CASELOAD
    assert Document.objects.filter(title__startswith="Bench:").count() == 60
    assert SearchEntry.objects.filter(kind=SearchKind.DOCUMENT).count() >= 60
    upload = figures["upload_20mb_pdf"]
    assert upload["request_bytes"] > upload["bytes"] == 20 * 1024 * 1024
    assert upload["peak_memory_growth_mb"] >= 0
    assert Document.objects.filter(title__startswith="Bench upload").count() == 1
