"""Support plan pages: staff, the parent's plain-language page, outsiders' 404s, the reviews
list's queries and the summary downloads."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.people.models import Child
from caseledger.provision import services as provision_services
from caseledger.provision.models import Intervention, InterventionGroup
from caseledger.provision.tests import factories as provision
from caseledger.sen.tests import factories as sen
from caseledger.support_plans import services
from caseledger.support_plans.models import ParentView, SupportPlan
from caseledger.support_plans.tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def _url(child: Child, rest: str = "") -> str:
    return f"/pupils/{child.pk}/support-plan/{rest}"


def _date(prefix: str, days_from_today: int) -> dict[str, int]:
    day = timezone.localdate() + timedelta(days=days_from_today)
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


@pytest.fixture
def isla() -> Child:
    """In no class Tom Barnes (teacher) teaches, her records shared with no parent (demo
    data): each test gives the access it is about."""
    return sen.pupil("Bennett")


@pytest.fixture
def plan(senco: User, isla: Child) -> SupportPlan:
    plan = factories.start(senco, isla)
    factories.target(senco, factories.cycle_of(plan))
    return plan


def test_the_senco_starts_a_plan_and_an_empty_form_shows_errors(
    senco: User, isla: Child, client_for: ClientFor
) -> None:
    client = client_for(senco)
    body = client.get(_url(isla)).content.decode()
    assert "does not have a support plan" in body and "Start a support plan" in body
    response = client.post(_url(isla, "start/"), {"needs": "Decoding"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter the evidence of the needs" in body
    assert "Decoding" in body  # what was typed is kept
    response = client.post(
        _url(isla, "start/"),
        {
            "needs": "Decoding",
            "evidence": "Screening",
            "strategies": "",
            **_date("started_on", -3),
            **_date("review_due", 40),
        },
    )
    assert response.status_code == 302 and response["Location"] == _url(isla)
    assert SupportPlan.objects.filter(child=isla).exists()


def test_the_plan_page_shows_the_cycle_and_is_audited(
    senco: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    body = client_for(senco).get(_url(isla)).content.decode()
    assert "Cycle 1" in body and "Read 30 CVC words" in body and "Do: provision delivered" in body
    event = AuditEvent.objects.filter(action=Action.SUPPORT_PLAN_VIEWED).latest("sequence")
    assert event.actor == senco and event.detail["plan"] == str(plan.pk)


def test_the_review_needs_each_target_rated_and_keeps_what_was_typed(
    senco: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    client = client_for(senco)
    form = {
        **_date("reviewed_on", 0),
        "next_steps": "Move on to CCVC words",
        **_date("next_review_due", 60),
    }
    response = client.post(_url(isla, "review/"), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select how far target 1 was met" in body and "Move on to CCVC words" in body
    target = factories.cycle_of(plan).targets.get()
    response = client.post(_url(isla, "review/"), {**form, f"rating_{target.pk}": "met"})
    assert response.status_code == 302
    current = services.current_cycle(plan)
    assert current is not None and current.number == 2
    body = client.get(_url(isla)).content.decode()
    assert "Cycle 2" in body and "Earlier cycles" in body and "Met" in body


def test_a_parent_reads_the_plan_in_plain_language_and_adds_views(
    senco: User, parent: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    sen.share_with(senco, isla, parent)
    client = client_for(parent)
    body = client.get(_url(isla)).content.decode()
    assert "What we are working on" in body and "How we will help" in body
    assert "Phonics screening" not in body  # the staff's evidence is not the parent's page
    cycle = factories.cycle_of(plan)
    views_url = _url(isla, f"cycles/{cycle.pk}/your-views/")
    response = client.post(views_url, {"views": ""})
    assert response.status_code == 400 and "Enter your views" in response.content.decode()
    response = client.post(views_url, {"views": "He reads to his sister now"})
    assert response.status_code == 302
    assert ParentView.objects.get(cycle=cycle).views == "He reads to his sister now"
    factories.review(senco, cycle)
    body = client.get(_url(isla)).content.decode()
    assert "How it went" in body and "Move on to CCVC words" in body


def test_a_teacher_sees_the_plans_of_their_classes_unless_confidential(
    senco: User, teacher: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    client = client_for(teacher)
    assert client.get(_url(isla)).status_code == 404  # not in their classes
    sen.school_class(senco, "5B", teachers=[teacher], pupils=[isla])
    assert client.get(_url(isla)).status_code == 200
    assert client.get(_url(isla, "summary/")).status_code == 200
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[])
    assert client.get(_url(isla)).status_code == 404
    assert client.get(_url(isla, "summary.pdf")).status_code == 404
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[teacher])
    assert client.get(_url(isla)).status_code == 200


@pytest.mark.parametrize(
    "rest",
    [
        "",
        "change/",
        "targets/add/",
        "review/",
        "meetings/add/",
        "access/",
        "summary/",
        "summary.pdf",
    ],
)
def test_outsiders_get_404(
    rest: str,
    worker: User,
    other_parent: User,
    parent: User,
    other_school_senco: User,
    teacher: User,
    isla: Child,
    plan: SupportPlan,
    client_for: ClientFor,
) -> None:
    # parent: no access to Isla; other_parent: not Isla's; teacher: Isla not in his classes.
    for user in (worker, other_parent, parent, other_school_senco, teacher):
        assert client_for(user).get(_url(isla, rest)).status_code == 404, user.email


@pytest.mark.parametrize(
    "rest", ["start/", "change/", "targets/add/", "review/", "meetings/add/", "access/"]
)
def test_write_pages_are_404_to_those_who_only_read(
    rest: str,
    senco: User,
    teacher: User,
    head: User,
    parent: User,
    isla: Child,
    plan: SupportPlan,
    client_for: ClientFor,
) -> None:
    sen.school_class(senco, "5B", teachers=[teacher], pupils=[isla])
    sen.share_with(senco, isla, parent)
    for user in (teacher, head, parent):
        assert client_for(user).get(_url(isla, rest)).status_code == 404, user.email
        assert client_for(user).post(_url(isla, rest), {}).status_code == 404, user.email


def test_staff_may_not_add_parents_views(
    senco: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    cycle = factories.cycle_of(plan)
    response = client_for(senco).post(
        _url(isla, f"cycles/{cycle.pk}/your-views/"), {"views": "Not mine to give"}
    )
    assert response.status_code == 404
    assert not ParentView.objects.exists()


def test_the_senco_records_a_meeting_and_changes_the_plan(
    senco: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    client = client_for(senco)
    response = client.post(_url(isla, "meetings/add/"), {})
    assert (
        response.status_code == 400 and "Enter who came to the meeting" in response.content.decode()
    )
    response = client.post(
        _url(isla, "meetings/add/"),
        {**_date("held_on", -1), "purpose": "Termly review", "attendees": "Jo Morgan, Helen"},
    )
    assert response.status_code == 302
    cycle = factories.cycle_of(plan)
    response = client.post(
        _url(isla, "change/"),
        {"needs": "Decoding and blending", "evidence": "Screening", **_date("review_due", 45)},
    )
    assert response.status_code == 302
    body = client.get(_url(isla)).content.decode()
    assert "Termly review" in body and "Decoding and blending" in body
    assert cycle.review_due != factories.cycle_of(plan).review_due


def test_the_reviews_list_shows_overdue_and_due_soon_in_constant_queries(
    senco: User, teacher: User, parent: User, worker: User, client_for: ClientFor
) -> None:
    client = client_for(senco)

    def due_plan(last_name: str, review_in_days: int) -> None:
        factories.start(
            senco,
            sen.make_pupil(senco, last_name),
            started_on=factories.days_ago(60),
            review_due=factories.days_ago(-review_in_days),
        )

    due_plan("Overdue", -5)
    due_plan("Soon", 10)
    due_plan("Later", 40)  # beyond 4 weeks: not listed

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/support-plans/reviews/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    before, body = count()
    assert "Test Overdue" in body and "Overdue by 5 days" in body and "Due in 10 days" in body
    assert "Test Later" not in body
    assert body.index("Test Overdue") < body.index("Test Soon")
    for number in range(4):
        due_plan(f"Extra{number}", number)
    assert count()[0] == before
    assert "Test Overdue" not in client_for(teacher).get("/support-plans/reviews/").content.decode()
    for user in (parent, worker):
        assert client_for(user).get("/support-plans/reviews/").status_code == 404


def test_the_summary_is_a_page_and_a_pdf_without_the_pupils_name_in_the_file_name(
    senco: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    client = client_for(senco)
    body = client.get(_url(isla, "summary/")).content.decode()
    assert "graduated approach summary" in body and "Isla Bennett" in body
    assert "£0.00" in body  # no provision linked
    response = client.get(_url(isla, "summary.pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert "summary" in disposition
    assert "Bennett" not in disposition and "Isla" not in disposition
    assert AuditEvent.objects.filter(action=Action.SUPPORT_PLAN_SUMMARY).count() == 2


def test_in_the_demo_tom_and_jo_see_freddies_plan_and_isla_is_not_theirs(
    senco: User, teacher: User, parent: User, client_for: ClientFor
) -> None:
    # The demo: Tom teaches Oak class (Freddie and Leo); Riverside shares Freddie's records
    # with his mother, Jo Morgan; Freddie's plan is in its second cycle, Talk Boost in both.
    freddie, isla = sen.pupil("Morgan"), sen.pupil("Bennett")
    current = services.current_cycle(SupportPlan.objects.get(child=freddie))
    assert current is not None and current.number == 2
    factories.start(senco, isla)
    body = client_for(teacher).get(_url(freddie)).content.decode()
    assert "Cycle 2" in body and "Talk Boost KS2" in body and "Cycle 1 cost" in body
    body = client_for(parent).get(_url(freddie)).content.decode()
    assert "What we are working on" in body and "Use ten new topic words" in body
    assert "Talk Boost KS2: Freddie Morgan has been to" in body
    for user in (teacher, parent):
        assert client_for(user).get(_url(isla)).status_code == 404


def test_each_cycle_on_the_pages_shows_what_was_delivered_in_it(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    # The figures are worked out by hand in test_services (the same factory).
    amara = sen.pupil("Nwosu")
    factories.two_cycles_of_provision(senco, amara, sen.pupil("Bennett"))
    body = client_for(senco).get(_url(amara)).content.decode()
    assert "Provision delivered from 8 September 2025 to 19 October 2025" in body
    assert (
        'Cycle 1 cost</th><td class="govuk-table__cell govuk-table__cell--numeric">£91.00' in body
    )
    assert (
        'Cycle 2 cost</th><td class="govuk-table__cell govuk-table__cell--numeric">£78.00' in body
    )
    body = client_for(senco).get(_url(amara, "summary/")).content.decode()
    assert 'id="total-cost">£169.00<' in body and "Carried over" not in body
    assert "Provision delivered from 20 October 2025 to" in body
    sen.share_with(senco, amara, parent)
    body = client_for(parent).get(_url(amara)).content.decode()
    # Cycle 2 only: 20 October, 3 November and 7 September 2026.
    assert "has been to 3 of the 3 sessions held since 20 October 2025" in body


def test_a_parent_sees_only_their_own_views_and_staff_see_all(
    senco: User,
    parent: User,
    other_parent: User,
    isla: Child,
    plan: SupportPlan,
    client_for: ClientFor,
) -> None:
    # Separated parents: each is given access, and neither may read what the other wrote.
    sen.share_with(senco, isla, parent)
    sen.share_with(senco, isla, other_parent)
    cycle = factories.cycle_of(plan)
    services.add_parent_views(actor=parent, cycle=cycle, views="Jo: he is happier")
    services.add_parent_views(actor=other_parent, cycle=cycle, views="Anil: he is worried")
    body = client_for(parent).get(_url(isla)).content.decode()
    assert "Jo: he is happier" in body and "Anil: he is worried" not in body
    body = client_for(other_parent).get(_url(isla)).content.decode()
    assert "Anil: he is worried" in body and "Jo: he is happier" not in body
    body = client_for(senco).get(_url(isla)).content.decode()
    assert "Jo: he is happier" in body and "Anil: he is worried" in body

    # After the review each still sees their own views, under that review, and only theirs.
    factories.review(senco, cycle)
    following = factories.cycle_of(plan, 2)
    services.add_parent_views(actor=parent, cycle=following, views="Jo: for the next one")
    body = client_for(parent).get(_url(isla)).content.decode()
    earlier = body[body.index("How it went") :]
    assert "Jo: he is happier" in earlier and "Anil: he is worried" not in body
    assert "Jo: for the next one" in body[: body.index("How it went")]
    body = client_for(other_parent).get(_url(isla)).content.decode()
    assert "Anil: he is worried" in body and "Jo: " not in body


def test_parents_views_go_to_the_current_cycles_coming_review(
    senco: User, parent: User, isla: Child, plan: SupportPlan, client_for: ClientFor
) -> None:
    sen.share_with(senco, isla, parent)
    cycle = factories.cycle_of(plan)
    factories.review(senco, cycle)
    following = factories.cycle_of(plan, 2)
    client = client_for(parent)
    assert client.get(_url(isla, f"cycles/{cycle.pk}/your-views/")).status_code == 404
    body = client.get(_url(isla, f"cycles/{following.pk}/your-views/")).content.decode()
    assert f"review due on {following.review_due.day} {following.review_due:%B %Y}" in body
    assert (
        f'action="{_url(isla, f"cycles/{following.pk}/your-views/")}"'
        in client.get(_url(isla)).content.decode()
    )


def _back_link(body: str) -> str:
    start = body.index('class="govuk-back-link"')
    return body[body.rindex("<a href=", 0, start) : start]


def test_back_goes_where_the_user_may_go(
    senco: User,
    teacher: User,
    parent: User,
    isla: Child,
    plan: SupportPlan,
    client_for: ClientFor,
) -> None:
    # Tom is named on Isla's confidential plan but does not teach her: her pupil page is a
    # 404 to him, so Back takes him to the reviews list.
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[teacher])
    body = client_for(teacher).get(_url(isla)).content.decode()
    assert "/support-plans/reviews/" in _back_link(body)
    pupil_page = reverse("sen:pupil", kwargs={"child_id": isla.pk})
    assert client_for(teacher).get(pupil_page).status_code == 404
    assert client_for(senco).get(pupil_page).status_code == 200
    body = client_for(senco).get(_url(isla)).content.decode()
    assert pupil_page in _back_link(body)
    sen.share_with(senco, isla, parent)
    body = client_for(parent).get(_url(isla)).content.decode()
    back = reverse("sen:pupil", kwargs={"child_id": isla.pk})
    assert back in _back_link(body) and client_for(parent).get(back).status_code == 200
    leo = sen.pupil("Fraser")  # no plan
    body = client_for(senco).get(_url(leo)).content.decode()
    assert reverse("sen:pupil", kwargs={"child_id": leo.pk}) in _back_link(body)


def test_a_reviewed_cycle_shows_its_delivery_as_recorded_at_the_review(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    amara = sen.pupil("Nwosu")
    plan = factories.two_cycles_of_provision(senco, amara, sen.pupil("Bennett"))
    reading = Intervention.objects.get(name="Reading recovery")
    provision_services.change_intervention(
        actor=senco,
        intervention=reading,
        details=provision.details(
            reading.scale, "Reading recovery", staff_cost_per_hour=Decimal("40.00")
        ),
    )
    provision.session(senco, InterventionGroup.objects.get(name="Reading group"), date(2025, 9, 12))
    body = client_for(senco).get(_url(amara)).content.decode()
    assert (
        'Cycle 1 cost</th><td class="govuk-table__cell govuk-table__cell--numeric">£91.00' in body
    )
    assert "as recorded at the review on 20 October 2025" in body
    body = client_for(senco).get(_url(amara, "summary/")).content.decode()
    assert "as recorded at its review" in body
    assert "Provision delivered from 8 September 2025 to 19 October 2025, as recorded" in body
    pdf = client_for(senco).get(_url(amara, "summary.pdf")).content
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "as recorded at its review" in " ".join(text.split())
    sen.share_with(senco, amara, parent)
    body = client_for(parent).get(_url(amara)).content.decode()
    # Cycle 1 as the review saw it: 1 of the 2 reading sessions (not the back-dated one).
    assert "went to 1 of the 2 sessions held before this review" in body
    assert plan.cycles.count() == 2
