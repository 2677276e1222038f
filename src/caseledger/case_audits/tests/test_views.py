"""Case audit pages: who gets what (404, never 403), bad input, and the list's query count.

The demo already holds Dan Okafor's audits of Jayden's case (completed) and Noah's (in
progress): these tests audit other cases, and count only the rows and events they make.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.case_audits import services
from caseledger.case_audits.models import AuditAnswer, CaseAudit, Grade
from caseledger.case_audits.tests.factories import add_action, completed_audit, start_audit

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
BLANK_FORM = {"csrfmiddlewaretoken": "x"}

# Who is refused everything about an audit of Kayden's case (Dan's team, Amira's case).
STRANGERS = [
    "colleague",
    "other_team_manager",
    "outsider",
    "senco",
    "teacher",
    "parent",
    "advocate",
]
AUDITORS = ["manager", "org_admin"]


def audit_urls(audit: CaseAudit) -> dict[str, str]:
    answer = audit.answers.order_by("position").first()
    assert answer is not None
    return {
        "detail": reverse("case_audits:audit-detail", kwargs={"audit_id": audit.pk}),
        "grade": reverse(
            "case_audits:audit-grade",
            kwargs={"audit_id": audit.pk, "question_id": answer.question_id},
        ),
        "action": reverse("case_audits:audit-action-add", kwargs={"audit_id": audit.pk}),
        "complete": reverse("case_audits:audit-complete", kwargs={"audit_id": audit.pk}),
    }


def events() -> int:
    return AuditEvent.objects.count()


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", AUDITORS)
def test_auditors_open_every_page_of_an_audit_in_progress(
    persona, request, client_for, manager, kayden_case
):
    audit = start_audit(manager, kayden_case)
    client = client_for(request.getfixturevalue(persona))
    for name, url in audit_urls(audit).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert kayden_case.reference in response.content.decode()
    for name in ("grade", "action", "complete"):
        before = events()
        assert client.post(audit_urls(audit)[name], BLANK_FORM).status_code == 400, name
        assert events() == before


@pytest.mark.parametrize("persona", [*STRANGERS, "worker"])
def test_everyone_else_gets_404_for_an_audit_in_progress(
    persona, request, client_for, manager, kayden_case
):
    audit = start_audit(manager, kayden_case)
    client = client_for(request.getfixturevalue(persona))
    before = events()
    for name, url in audit_urls(audit).items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert kayden_case.reference not in response.content.decode()
        if name != "detail":
            assert client.post(url, BLANK_FORM).status_code == 404, name
    assert events() == before


def test_an_admin_of_another_organisation_gets_404(client_for, manager, kayden_case, outsider):
    eastvale_admin = User.objects.create_user(
        "admin@eastvale.example",
        "a-long-password-1",
        full_name="Eve Admin",
        organisation=outsider.organisation,
        role=User.Role.ORGANISATION_ADMIN,
    )
    audit = start_audit(manager, kayden_case)
    client = client_for(eastvale_admin)
    for name, url in audit_urls(audit).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("case_audits:audit-list")).status_code == 200
    assert (
        kayden_case.reference not in client.get(reverse("case_audits:audit-list")).content.decode()
    )


def test_the_worker_sees_the_completed_audit_of_their_case(
    client_for, manager, worker, kayden_case
):
    audit = completed_audit(manager, kayden_case, worker=worker)
    client = client_for(worker)
    urls = audit_urls(audit)
    page = client.get(urls["detail"])
    assert page.status_code == 200
    assert "Visits are regular" in page.content.decode()
    # Reading it is all: the forms stay closed to the worker.
    for name in ("grade", "action", "complete"):
        assert client.get(urls[name]).status_code == 404, name
    assert client.get(reverse("case_audits:audit-list")).status_code == 404


@pytest.mark.parametrize("persona", STRANGERS)
def test_nobody_else_sees_a_completed_audit(
    persona, request, client_for, manager, worker, kayden_case
):
    audit = completed_audit(manager, kayden_case, worker=worker)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(audit_urls(audit)["detail"]).status_code == 404
    action = audit.actions.get()
    done = reverse("case_audits:audit-action-done", kwargs={"action_id": action.pk})
    assert client.get(done).status_code == 404
    assert client.post(done, BLANK_FORM).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.AUDIT_ACTION_DONE).exists()


def test_a_completed_audit_sends_auditors_to_its_page(client_for, manager, kayden_case):
    audit = completed_audit(manager, kayden_case)
    urls = audit_urls(audit)
    client = client_for(manager)
    for name in ("grade", "action", "complete"):
        response = client.post(urls[name], BLANK_FORM)
        assert response.status_code == 302, name
        assert response["Location"] == urls["detail"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("org_admin", 200),
        ("other_team_manager", 200),  # their own team's audits (none here)
        ("senco", 200),  # Helen manages Riverside's SEN team
        ("worker", 404),
        ("colleague", 404),
        ("outsider", 404),
        ("teacher", 404),
        ("parent", 404),
        ("advocate", 404),
    ],
)
def test_who_may_list_and_sample(persona, status, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    for name in ("audit-list", "audit-export", "audit-sample"):
        assert client.get(reverse(f"case_audits:{name}")).status_code == status, name
    sample = client.post(reverse("case_audits:audit-sample"), BLANK_FORM)
    assert sample.status_code == (400 if status == 200 else 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("org_admin", 200),
        ("manager", 404),
        ("worker", 404),
        ("outsider", 404),
        ("senco", 404),
        ("parent", 404),
        ("advocate", 404),
    ],
)
def test_only_an_admin_changes_the_checklist(persona, status, request, client_for, org_admin):
    services.ensure_checklist(actor=org_admin, organisation=org_admin.organisation)
    question = services.checklist_of(org_admin.organisation).first()
    assert question is not None
    client = client_for(request.getfixturevalue(persona))
    edit = reverse("case_audits:question-edit", kwargs={"question_id": question.pk})
    for url in (reverse("case_audits:checklist"), reverse("case_audits:question-add"), edit):
        assert client.get(url).status_code == status, url
    for url in (reverse("case_audits:question-add"), edit):
        assert client.post(url, BLANK_FORM).status_code == (400 if status == 200 else 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("worker", 200), ("manager", 200), ("teacher", 200), ("parent", 404), ("advocate", 404)],
)
def test_my_audit_actions_is_for_councils_and_schools(persona, status, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("case_audits:my-audit-actions")).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(manager, kayden_case, worker):
    audit = completed_audit(manager, kayden_case, worker=worker)
    action = audit.actions.get()
    question_id = audit.answers.get(position=0).question_id
    client = Client()
    for url in [
        *audit_urls(audit).values(),
        reverse("case_audits:audit-list"),
        reverse("case_audits:audit-export"),
        reverse("case_audits:audit-sample"),
        reverse("case_audits:my-audit-actions"),
        reverse("case_audits:audit-action-done", kwargs={"action_id": action.pk}),
        reverse("case_audits:checklist"),
        reverse("case_audits:question-add"),
        reverse("case_audits:question-edit", kwargs={"question_id": question_id}),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/"), url


# --- Journeys and bad input --------------------------------------------------------------------


def test_a_manager_samples_grades_adds_an_action_and_completes(
    client_for, manager, worker, kayden_case
):
    client = client_for(manager)
    response = client.post(
        reverse("case_audits:audit-sample"),
        {"method": "chosen", "references": kayden_case.reference.lower()},
    )
    assert response.status_code == 302
    audit = CaseAudit.objects.get(case=kayden_case)
    url = audit_urls(audit)["grade"]
    while url:
        response = client.post(url, {"grade": Grade.GOOD, "comment": ""})
        assert response.status_code == 302
        url = response["Location"] if "/questions/" in response["Location"] else ""
    assert not AuditAnswer.objects.filter(audit=audit, grade="").exists()
    response = client.post(
        audit_urls(audit)["action"],
        {
            "worker": str(worker.pk),
            "description": "Record the child's words",
            "due_on-day": "1",
            "due_on-month": "1",
            "due_on-year": "2099",
        },
    )
    assert response.status_code == 302
    response = client.post(
        audit_urls(audit)["complete"], {"overall_grade": "good", "summary": "Good work"}
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.is_completed

    # The worker finds the action, and marks it done in one click.
    mine = client_for(worker)
    listing = mine.get(reverse("case_audits:my-audit-actions")).content.decode()
    assert "Record the child&#x27;s words" in listing
    action = audit.actions.get()
    done = mine.post(reverse("case_audits:audit-action-done", kwargs={"action_id": action.pk}))
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.completed_by == worker


def test_a_bad_sample_keeps_what_was_typed(client_for, manager):
    response = client_for(manager).post(
        reverse("case_audits:audit-sample"),
        {"method": "chosen", "references": "NMB-999999\nnot-a-case"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no case NMB-999999 that you can audit" in page
    assert "NMB-999999\nnot-a-case" in page
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page


def test_a_random_sample_needs_where_and_how_many(client_for, manager):
    response = client_for(manager).post(
        reverse("case_audits:audit-sample"), {"method": "random", "number": "lots"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select where to sample the cases from" in page
    assert services.NUMBER_MESSAGE in page
    assert 'value="lots"' in page


def test_an_empty_sample_says_what_to_do(client_for, org_admin):
    response = client_for(org_admin).post(reverse("case_audits:audit-sample"), BLANK_FORM)
    assert "Select how you want to choose the cases" in response.content.decode()


def test_a_low_grade_without_a_comment_is_refused_and_the_grade_kept(
    client_for, manager, kayden_case
):
    audit = start_audit(manager, kayden_case)
    response = client_for(manager).post(
        audit_urls(audit)["grade"], {"grade": Grade.INADEQUATE, "comment": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a comment saying why this is graded inadequate" in page
    assert 'value="inadequate" checked' in page


def test_a_bad_action_keeps_what_was_typed(client_for, manager, worker, kayden_case):
    audit = start_audit(manager, kayden_case)
    response = client_for(manager).post(
        audit_urls(audit)["action"],
        {
            "worker": str(worker.pk),
            "description": "Add the missing visit notes",
            "due_on-day": "31",
            "due_on-month": "2",
            "due_on-year": "2099",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Due date must be a real date" in page
    assert "Add the missing visit notes" in page
    assert 'value="31"' in page


def test_completing_before_grading_says_so(client_for, manager, kayden_case):
    audit = start_audit(manager, kayden_case)
    response = client_for(manager).post(
        audit_urls(audit)["complete"], {"overall_grade": "good", "summary": "My summary"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Grade every question before completing the audit" in page
    assert "My summary" in page


def test_a_duplicate_question_keeps_what_was_typed(client_for, org_admin):
    services.ensure_checklist(actor=org_admin, organisation=org_admin.organisation)
    response = client_for(org_admin).post(
        reverse("case_audits:question-add"),
        {"text": "Emails are stored as documents, not pasted", "guidance": "My guidance"},
    )
    assert response.status_code == 400
    assert "The checklist already has this question" in response.content.decode()
    assert "My guidance" in response.content.decode()


# --- The list ----------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_team(
    client_for, manager, org_admin, kayden_case, freddie_la_case, worker
):
    completed_audit(manager, kayden_case, worker=worker)
    start_audit(manager, freddie_la_case)
    client = client_for(org_admin)
    url = reverse("case_audits:audit-list")
    in_progress = client.get(url, {"status": "in_progress"}).content.decode()
    assert freddie_la_case.reference in in_progress
    assert kayden_case.reference not in in_progress
    completed = client.get(url, {"status": "completed"}).content.decode()
    assert kayden_case.reference in completed
    assert freddie_la_case.reference not in completed
    other_team = next(
        team
        for team in org_admin.organisation.teams.all()
        if team.pk != kayden_case.allocated_team_id
    )
    assert (
        kayden_case.reference not in client.get(url, {"team": str(other_team.pk)}).content.decode()
    )


def test_the_list_pages(client_for, org_admin, monkeypatch):
    from caseledger.case_audits import views

    monkeypatch.setattr(views, "AUDITS_PER_PAGE", 2)
    services.start_random_sample(actor=org_admin, number=5, team=None)
    audits = CaseAudit.objects.filter(organisation=org_admin.organisation).count()
    assert audits >= 5  # the 5 just started, and the demo's
    pages = math.ceil(audits / 2)
    client = client_for(org_admin)
    first = client.get(reverse("case_audits:audit-list")).content.decode()
    assert f"Page 2 of {pages}" in first  # the link to the next page
    assert first.count(" audit started ") == 2
    last = client.get(reverse("case_audits:audit-list"), {"page": str(pages)}).content.decode()
    assert last.count(" audit started ") == audits - 2 * (pages - 1)


def test_the_list_costs_the_same_queries_however_many_audits(client_for, org_admin, kayden_case):
    client = client_for(org_admin)
    url = reverse("case_audits:audit-list")
    start_audit(org_admin, kayden_case)
    client.get(url)  # the session and the checklist's first use are not what is measured
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    services.start_random_sample(actor=org_admin, number=6, team=None)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)
    # The session, the user and their organisation, the teams for the filter, the count and
    # the page of audits, the reminders count in the navigation, and the session's save.
    assert len(one) <= 10, [query["sql"] for query in one.captured_queries]
    audit_queries = [query for query in one.captured_queries if "case_audits_" in query["sql"]]
    assert len(audit_queries) == 2  # the count and the page, whatever the number of rows


def test_the_csv_has_the_tables_rows_and_is_recorded(
    client_for, manager, kayden_case, noah_case, worker
):
    completed_audit(manager, kayden_case, worker=worker)
    # Every completed audit of Dan's teams, newest first: Kayden's, then the demo's of Jayden's.
    expected = list(
        CaseAudit.objects.filter(
            case__allocated_team_id__in=manager.managed_team_ids, completed_at__isnull=False
        )
        .order_by("-started_at", "-id")
        .values_list("case__reference", flat=True)
    )
    assert len(expected) >= 2
    assert noah_case.reference not in expected  # the demo's audit in progress
    response = client_for(manager).get(reverse("case_audits:audit-export"), {"status": "completed"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][0] == "Case reference"
    assert [row[0] for row in table[1:]] == expected
    assert table[1][0] == kayden_case.reference
    assert table[1][-1] == "Good"
    event = AuditEvent.objects.get(action=Action.CASE_AUDITS_EXPORTED)
    assert event.detail == {"rows": len(expected), "filters": {"status": "completed"}}


def test_a_spreadsheet_formula_is_never_exported_as_one():
    from caseledger.case_audits.views import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("Kayden") == "Kayden"


def test_the_action_is_shown_to_the_worker_only_once_the_audit_is_completed(
    client_for, manager, worker, kayden_case
):
    audit = start_audit(manager, kayden_case)
    add_action(manager, audit, worker)
    mine = client_for(worker).get(reverse("case_audits:my-audit-actions")).content.decode()
    assert "seen alone at every visit" not in mine
