"""The professional reports behind a plan: chosen by the family from the case's documents,
their recommendations checked against Section F (the recommendation_missing flag)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.annotations import choose_reports, report_texts
from caseledger.ehcp.models import PlanVersion
from caseledger.ehcp.services import confirm_plan_sections, plan_flags
from caseledger.ehcp.tests.factories import poppy_case
from caseledger.ehcp.tests.test_plan_services import typed
from caseledger.vault.models import Document
from caseledger.vault.tests.test_services import store

pytestmark = pytest.mark.django_db

SECTIONS = {
    "A": "Poppy likes drawing.",
    "B": "Poppy has a speech sound disorder that makes her hard to understand.",
    "E": "By July 2027 Poppy will be understood by adults in class.",
    "F": "Poppy will have speech and language therapy, 30 minutes every half term, "
    "delivered by a speech and language therapist.",
    "I": "",
}
REPORT = (
    b"Speech and language therapy advice. I recommend weekly speech and language therapy, "
    b"45 minutes, delivered by a qualified speech and language therapist."
)


def stored_report(parent: User, capture: Any) -> Document:
    """The report, read by the worker (which runs once the upload commits)."""
    with capture(execute=True):
        report = store(parent, [poppy_case()], "salt.txt", REPORT, title="SaLT advice")
    return Document.objects.get(pk=report.pk)


def confirmed(parent: User) -> PlanVersion:
    version = typed(parent, poppy_case())
    return confirm_plan_sections(actor=parent, version=version, sections=SECTIONS)


def missing(version: PlanVersion) -> list[str]:
    return [
        state.flag.text
        for state in plan_flags(version)
        if state.flag.code == "recommendation_missing"
    ]


def test_a_chosen_reports_recommendation_watered_down_in_section_f_is_flagged(
    parent: User, django_capture_on_commit_callbacks: Any
) -> None:
    version = confirmed(parent)
    assert missing(version) == []
    report = stored_report(parent, django_capture_on_commit_callbacks)
    assert report_texts(version) == []  # not chosen yet

    choose_reports(actor=parent, version=version, document_ids=[str(report.id)])

    assert [text.strip() for text in report_texts(version)] == [REPORT.decode()]
    (flag,) = missing(version)
    assert "45 minutes" in flag
    event = AuditEvent.objects.get(action=Action.PLAN_REPORTS_CHOSEN, object_id=str(version.id))
    assert event.detail["reports"] == [str(report.id)]
    assert event.changes == {"reports": {"old": 0, "new": 1}}

    # Choosing none again stops the check; choosing the same again records nothing new.
    choose_reports(actor=parent, version=version, document_ids=[])
    assert missing(version) == []
    choose_reports(actor=parent, version=version, document_ids=[])
    assert AuditEvent.objects.filter(action=Action.PLAN_REPORTS_CHOSEN).count() == 2


def test_only_the_familys_documents_on_the_case_can_be_chosen_and_only_by_the_family(
    parent: User, advocate: User, other_parent: User
) -> None:
    version = confirmed(parent)
    with pytest.raises(DomainError) as refused:
        choose_reports(
            actor=parent, version=version, document_ids=["00000000-0000-0000-0000-000000000000"]
        )
    assert refused.value.field == "reports"
    with pytest.raises(NotPermittedError):
        choose_reports(actor=advocate, version=version, document_ids=[])
    with pytest.raises(NotPermittedError):
        choose_reports(actor=other_parent, version=version, document_ids=[])


def test_the_family_chooses_reports_on_a_page_and_others_get_404(
    parent: User,
    advocate: User,
    other_parent: User,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = confirmed(parent)
    report = stored_report(parent, django_capture_on_commit_callbacks)
    url = reverse("ehcp:version-reports", kwargs={"version_id": version.id})
    page = client_for(parent).get(url)
    assert page.status_code == 200
    assert "SaLT advice" in page.content.decode()
    done = client_for(parent).post(url, {"reports": [str(report.id)]})
    assert done.status_code == 302
    assert list(version.reports.all()) == [report]
    detail = client_for(parent).get(
        reverse("ehcp:version-detail", kwargs={"version_id": version.id})
    )
    assert "Recommendation left out or watered down" in detail.content.decode()
    for outsider in (advocate, other_parent):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, {"reports": []}).status_code == 404
    assert list(version.reports.all()) == [report]
