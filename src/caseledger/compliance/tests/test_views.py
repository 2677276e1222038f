"""The dashboards through the real pages: who sees them, what they show, the CSV exports,
the period's errors, the settings page, and query counts that do not grow with the data."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseledger.accounts.models import Organisation, Team, User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import CaseType
from caseledger.compliance.models import VisitInterval
from caseledger.compliance.reports import intervals_for
from caseledger.compliance.tests.factories import (
    draft,
    final_note,
    finding,
    team_of,
    visit_note,
)
from caseledger.ledger.models import SignificantCategory

pytestmark = pytest.mark.django_db


def team_urls(team: Team) -> list[str]:
    return [
        reverse("compliance:team", kwargs={"team_id": team.id}),
        reverse("compliance:team-trends", kwargs={"team_id": team.id}),
        reverse("compliance:team-export", kwargs={"team_id": team.id, "section": "late-notes"}),
        reverse("compliance:team-export", kwargs={"team_id": team.id, "section": "trends"}),
    ]


ORGANISATION_URLS = [
    reverse("compliance:organisation-section", kwargs={"section": "late-notes"}),
    reverse("compliance:organisation-section", kwargs={"section": "overdue-drafts"}),
    reverse("compliance:trends"),
    reverse("compliance:organisation-export", kwargs={"section": "overdue-visits"}),
    reverse("compliance:organisation-export", kwargs={"section": "trends"}),
    reverse("compliance:visit-intervals"),
]


def eastvale_admin() -> User:
    return User.objects.create_user(
        "admin@eastvale.example",
        "x" * 20,
        full_name="Eve Admin",
        organisation=Organisation.objects.get(reference_prefix="EVC"),
        role=User.Role.ORGANISATION_ADMIN,
    )


def test_an_organisation_admin_sees_every_dashboard(client_for, org_admin, kayden_case):
    client = client_for(org_admin)
    for url in [
        reverse("compliance:organisation"),
        *ORGANISATION_URLS,
        *team_urls(team_of(kayden_case)),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_team_manager_sees_their_teams_dashboards_only(
    client_for, manager, kayden_case, harvey_case
):
    client = client_for(manager)
    for url in team_urls(team_of(kayden_case)):
        assert client.get(url).status_code == 200, url
    # The organisation's address takes them to their one team.
    response = client.get(reverse("compliance:organisation"))
    assert response.status_code == 302
    assert response["Location"] == team_urls(team_of(kayden_case))[0]
    for url in ORGANISATION_URLS:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "persona", ["worker", "colleague", "outsider", "teacher", "parent", "advocate"]
)
def test_everyone_else_gets_404_on_every_dashboard(request, client_for, persona, kayden_case):
    client = client_for(request.getfixturevalue(persona))
    for url in [
        reverse("compliance:organisation"),
        *ORGANISATION_URLS,
        *team_urls(team_of(kayden_case)),
    ]:
        assert client.get(url).status_code == 404, url


def test_another_teams_manager_and_another_councils_admin_get_404(
    client_for, other_team_manager, kayden_case
):
    for user in (other_team_manager, eastvale_admin()):
        client = client_for(user)
        for url in team_urls(team_of(kayden_case)):
            assert client.get(url).status_code == 404, url
    # Grace is taken to her own team instead.
    response = client_for(other_team_manager).get(reverse("compliance:organisation"))
    assert response.status_code == 302
    assert "/manage/teams/" in response["Location"]


def test_a_school_team_manager_sees_only_their_schools_team(client_for, senco, kayden_case):
    """Helen, Riverside's SENCO, manages a team there: she is taken to it, and nothing of
    Northmoor's is hers to see."""
    client = client_for(senco)
    response = client.get(reverse("compliance:organisation"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    for url in [*ORGANISATION_URLS, *team_urls(team_of(kayden_case))]:
        assert client.get(url).status_code == 404, url


def test_an_advocacy_services_admin_has_no_dashboard(client_for, advocate):
    admin = User.objects.create_user(
        "admin@sendvoices.example",
        "x" * 20,
        full_name="Ada Admin",
        organisation=advocate.organisation,
        role=User.Role.ORGANISATION_ADMIN,
    )
    client = client_for(admin)
    for url in [reverse("compliance:organisation"), *ORGANISATION_URLS]:
        assert client.get(url).status_code == 404, url


def test_someone_signed_out_is_asked_to_sign_in(client_for, kayden_case):
    client = client_for(None)
    for url in [
        reverse("compliance:organisation"),
        *ORGANISATION_URLS,
        *team_urls(team_of(kayden_case)),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in")), url


def test_unknown_section_and_team_are_404(client_for, org_admin):
    client = client_for(org_admin)
    assert client.get("/manage/compliance/no-such-table/").status_code == 404
    assert client.get("/manage/compliance/export/no-such-table.csv").status_code == 404
    assert client.get(f"/manage/teams/{org_admin.id}/compliance/").status_code == 404


def test_a_manager_of_several_teams_chooses_one(client_for, manager, kayden_case):
    from caseledger.accounts.models import TeamMembership

    other = Team.objects.get(organisation=kayden_case.organisation, name="Early Help Team")
    TeamMembership.objects.create(team=other, user=manager, is_manager=True)
    response = client_for(manager).get(reverse("compliance:organisation"))
    assert response.status_code == 200
    assert reverse("compliance:team", kwargs={"team_id": other.id}) in response.text


def test_the_team_dashboard_links_each_row_to_its_case_and_note(
    client_for, manager, worker, kayden_case
):
    late = final_note(worker, kayden_case, days_ago=20, title="A very late call")
    response = client_for(manager).get(team_urls(team_of(kayden_case))[0])
    assert response.status_code == 200
    page = response.text
    assert "A very late call" in page
    assert reverse("ledger:note-detail", kwargs={"entry_id": late.id}) in page
    assert reverse("cases:case-detail", kwargs={"case_id": kayden_case.id}) in page
    # Viewing the dashboard is a logged read naming the cases listed.
    event = AuditEvent.objects.filter(action=Action.COMPLIANCE_VIEWED).latest("sequence")
    assert event.actor == manager
    assert str(kayden_case.id) in event.detail["cases"]


def test_a_draft_is_listed_without_its_words(client_for, manager, worker, kayden_case):
    draft(worker, kayden_case, days_ago=20, title="Private working title")
    page = client_for(manager).get(team_urls(team_of(kayden_case))[0]).text
    assert "Private working title" not in page
    assert worker.full_name in page


def test_a_wrong_date_is_a_gov_uk_error_and_keeps_what_was_typed(client_for, org_admin):
    response = client_for(org_admin).get(
        reverse("compliance:organisation"),
        {
            "date_from-day": "31",
            "date_from-month": "2",
            "date_from-year": "2026",
            "date_to-day": "",
            "date_to-month": "",
            "date_to-year": "",
        },
    )
    assert response.status_code == 400
    page = response.text
    assert "There is a problem" in page
    assert "From date must be a real date" in page
    assert 'value="31"' in page
    assert "<title>Error: " in page


def test_a_to_date_before_the_from_date_is_an_error(client_for, org_admin):
    response = client_for(org_admin).get(
        reverse("compliance:organisation-section", kwargs={"section": "late-notes"}),
        {
            "date_from-day": "10",
            "date_from-month": "3",
            "date_from-year": "2026",
            "date_to-day": "1",
            "date_to-month": "3",
            "date_to-year": "2026",
        },
    )
    assert response.status_code == 400
    assert "The to date must be the same as or after the from date" in response.text


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_export_has_every_row_neutralised_and_is_audited(
    client_for, manager, worker, kayden_case
):
    team = team_of(kayden_case)
    note = final_note(
        worker,
        kayden_case,
        days_ago=20,
        title='=HYPERLINK("http://evil.example","Click")',
    )
    response = client_for(manager).get(
        reverse("compliance:team-export", kwargs={"team_id": team.id, "section": "late-notes"})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="late-notes-team-')
    rows = read_csv(response)
    assert rows[0][:3] == ["Case reference", "Child", "Note"]
    (row,) = [row for row in rows[1:] if row[-1] == str(note.id)]
    assert row[2] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[1] == "Kayden James Walker"
    event = AuditEvent.objects.filter(action=Action.COMPLIANCE_EXPORTED).latest("sequence")
    assert event.actor == manager
    assert event.detail["compliance_export"] == "late-notes"
    assert event.detail["scope"] == str(team.id)
    assert event.detail["rows"] == len(rows) - 1


def test_every_section_exports(client_for, org_admin, worker, kayden_case):
    final_note(
        worker,
        kayden_case,
        days_ago=2,
        title="Police called",
        significant=True,
        significant_category=SignificantCategory.POLICE_INVOLVEMENT,
    )
    finding(final_note(worker, kayden_case), code="jargon")
    client = client_for(org_admin)
    for section in (
        "late-notes",
        "overdue-drafts",
        "visits-without-answer",
        "overdue-visits",
        "significant-events",
        "unresolved-findings",
        "trends",
    ):
        response = client.get(
            reverse("compliance:organisation-export", kwargs={"section": section})
        )
        assert response.status_code == 200, section
        assert len(read_csv(response)) >= 1, section
    significant = read_csv(
        client.get(
            reverse("compliance:organisation-export", kwargs={"section": "significant-events"})
        )
    )
    assert any(row[3] == "Police called" for row in significant[1:])


def test_trends_draw_accessible_charts_with_a_table(client_for, org_admin, worker, kayden_case):
    final_note(worker, kayden_case, days_ago=20)
    for url in (
        reverse("compliance:trends"),
        reverse("compliance:team-trends", kwargs={"team_id": team_of(kayden_case).id}),
    ):
        page = client_for(org_admin).get(url).text
        assert 'role="img"' in page
        assert 'aria-labelledby="chart-finalised-title chart-finalised-desc"' in page
        assert '<title id="chart-late-title">' in page
        assert "<desc id=" in page
        assert "Show the data as a table" in page
        assert "style=" not in page.split("<main", 1)[1]  # the CSP allows no inline style


def test_the_admin_changes_visit_intervals(client_for, org_admin):
    client = client_for(org_admin)
    url = reverse("compliance:visit-intervals")
    page = client.get(url).text
    assert 'value="42"' in page  # looked after: the default
    data = dict.fromkeys(CaseType.values, "0")
    data.update({"looked_after": "30", "child_protection": "14", "child_in_need": "28"})
    data["early_help"] = "42"
    response = client.post(url, data)
    assert response.status_code == 302
    saved = VisitInterval.objects.get(
        organisation=org_admin.organisation, case_type=CaseType.LOOKED_AFTER
    )
    assert saved.interval_days == 30
    # 0: not monitored.
    assert intervals_for(org_admin.organisation)[CaseType.SEN_SUPPORT] is None
    assert AuditEvent.objects.filter(
        action=Action.VISIT_INTERVALS_CHANGED, actor=org_admin
    ).exists()


def test_an_empty_form_changes_nothing(client_for, org_admin):
    """Sent empty by mistake, the form must not switch the monitoring off."""
    response = client_for(org_admin).post(
        reverse("compliance:visit-intervals"), dict.fromkeys(CaseType.values, "")
    )
    assert response.status_code == 400
    assert "or 0 if they are not monitored" in response.text
    assert not VisitInterval.objects.exists()


def test_a_wrong_interval_is_a_gov_uk_error_and_keeps_what_was_typed(client_for, org_admin):
    data = dict.fromkeys(CaseType.values, "0")
    data["looked_after"] = "six weeks"
    response = client_for(org_admin).post(reverse("compliance:visit-intervals"), data)
    assert response.status_code == 400
    assert (
        "Enter the number of days between visits for looked after cases, from 1 to 365"
        in response.text
    )
    assert 'value="six weeks"' in response.text
    assert not VisitInterval.objects.exists()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_rows(client_for, org_admin, worker, kayden_case):
    team = team_of(kayden_case)
    urls = [
        reverse("compliance:organisation"),
        reverse("compliance:organisation-section", kwargs={"section": "late-notes"}),
        reverse("compliance:organisation-section", kwargs={"section": "overdue-drafts"}),
        reverse("compliance:organisation-section", kwargs={"section": "unresolved-findings"}),
        reverse("compliance:team", kwargs={"team_id": team.id}),
        reverse("compliance:trends"),
        reverse("compliance:team-trends", kwargs={"team_id": team.id}),
    ]
    client = client_for(org_admin)

    def add_rows(days: tuple[int, ...]) -> None:
        for days_ago in days:
            note = final_note(
                worker,
                kayden_case,
                days_ago=days_ago,
                significant=True,
                significant_category=SignificantCategory.OTHER,
            )
            finding(note)
            draft(worker, kayden_case, days_ago=days_ago)
            visit_note(worker, kayden_case, seen=True, days_ago=days_ago)

    add_rows((50,))  # at least one row in every table
    for url in urls:
        client.get(url)  # warm caches (the session, content types)
    before = {url: _queries(client, url) for url in urls}
    add_rows((20, 30, 40))
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    assert max(after.values()) <= 40, after


def test_one_date_alone_is_checked_with_the_default_for_the_other(client_for, org_admin):
    """The period the page would show is checked: a from date alone in 1900 runs to today,
    far longer than the trends draw."""
    client = client_for(org_admin)
    response = client.get(
        reverse("compliance:trends"),
        {"date_from-day": "1", "date_from-month": "1", "date_from-year": "1900"},
    )
    assert response.status_code == 400
    assert "The period must be 36 months or shorter" in response.text
    assert "Jan 1900" not in response.text
    # A from date alone after today: after the default to date.
    response = client.get(
        reverse("compliance:organisation"),
        {"date_from-day": "1", "date_from-month": "1", "date_from-year": "2999"},
    )
    assert response.status_code == 400
    assert "The from date must be on or before" in response.text


def test_untitled_interactions_cost_no_query_each(client_for, manager, worker, kayden_case):
    """`Entry.heading` names who an interaction was with: read with the rows, not one by one."""
    from datetime import timedelta

    from django.utils import timezone

    from caseledger.ledger.interactions import InteractionContent, record_interaction

    def interaction(name: str) -> None:
        record_interaction(
            actor=worker,
            case=kayden_case,
            content=InteractionContent(
                occurred_at=timezone.now() - timedelta(days=20),  # late
                channel="phone_call",
                contact_name=name,
                contact_organisation="Riverside School",
                summary="Talked about attendance",
            ),
        )

    client = client_for(manager)
    url = reverse("compliance:team", kwargs={"team_id": team_of(kayden_case).id})
    interaction("Ms Okafor")
    client.get(url)
    before = _queries(client, url)
    interaction("Mr Hale")
    interaction("Mrs Dunn")
    assert _queries(client, url) == before
    page = client.get(url).text
    assert "Phone call with Ms Okafor, Riverside School" in page
