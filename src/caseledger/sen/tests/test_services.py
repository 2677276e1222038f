from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.sen import services
from caseledger.sen.models import RegisterChange, RegisterStatus
from caseledger.sen.services import Needs, Plans
from caseledger.sen.tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _error(exc: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return exc.value.message, exc.value.field


# --- Adding --------------------------------------------------------------------------------


def test_the_senco_adds_a_pupil_with_a_change_and_an_audit_event(senco: User) -> None:
    child = factories.make_pupil(senco, "Quinn")
    entry = services.add_to_register(
        actor=senco,
        child=child,
        needs=Needs("E", "ASD", "SLCN"),
        started_on=TODAY() - timedelta(days=3),
        reason="Plan issued",
    )
    assert entry.status == RegisterStatus.ON_REGISTER
    assert entry.organisation == senco.organisation
    (change,) = entry.changes.all()
    assert change.kind == RegisterChange.Kind.ADDED
    assert change.made_by == senco
    assert change.what_changed == (
        "Education, health and care plan; primary need ASD, secondary need SLCN"
    )
    assert change.reason == "Plan issued"
    event = AuditEvent.objects.filter(action=Action.SEN_REGISTER_ADDED).latest("sequence")
    assert event.object_id == str(entry.id)
    assert event.actor == senco


def test_an_organisation_admin_of_the_school_keeps_the_register(senco: User) -> None:
    admin = User.objects.create_user(
        "admin@riverside.example",
        full_name="Ada Admin",
        organisation=senco.organisation,
        role=User.Role.ORGANISATION_ADMIN,
    )
    entry = factories.put_on_register(admin, factories.make_pupil(senco, "Quinn"))
    assert entry.changes.get().made_by == admin


@pytest.mark.parametrize("persona", ["teacher", "org_admin", "parent", "worker", "advocate"])
def test_nobody_else_may_add_a_pupil(persona: str, request: pytest.FixtureRequest) -> None:
    senco = request.getfixturevalue("senco")
    child = factories.make_pupil(senco, "Quinn")
    events = AuditEvent.objects.count()
    with pytest.raises(NotPermittedError):
        factories.put_on_register(request.getfixturevalue(persona), child)
    assert AuditEvent.objects.count() == events


def test_a_senco_may_not_add_another_schools_pupil(senco: User, kayden_case) -> None:
    with pytest.raises(NotPermittedError):
        factories.put_on_register(senco, kayden_case.child)


@pytest.mark.parametrize(
    ("needs", "message", "field"),
    [
        (Needs("N", "SPLD"), "Select the pupil's SEN provision", "provision"),
        (Needs("K", ""), "Select the pupil's primary need", "primary_need"),
        (Needs("K", "SPLD", "XYZ"), "Select the pupil's secondary need, or none", "secondary_need"),
        (
            Needs("E", "NSA"),
            "A pupil with an EHC plan has an assessed type of need: select it",
            "primary_need",
        ),
        (
            Needs("K", "NSA", "SPLD"),
            "A pupil whose need has not been assessed has no secondary need",
            "secondary_need",
        ),
        (
            Needs("K", "MLD", "MLD"),
            "The secondary need must be different from the primary need",
            "secondary_need",
        ),
    ],
)
def test_needs_are_checked_as_the_census_codes_them(
    senco: User, needs: Needs, message: str, field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        factories.put_on_register(senco, factories.make_pupil(senco, "Quinn"), needs)
    assert _error(exc) == (message, field)


def test_the_start_date_is_checked(senco: User) -> None:
    child = factories.make_pupil(senco, "Quinn")
    cases = [
        (None, "Enter the date the SEN provision started"),
        (TODAY() + timedelta(days=1), "must be today or in the past"),
        (child.date_of_birth - timedelta(days=1), "must be after the pupil's date of birth"),
    ]
    for started_on, message in cases:
        with pytest.raises(DomainError) as exc:
            services.add_to_register(
                actor=senco, child=child, needs=Needs("K", "MLD"), started_on=started_on
            )
        assert message in exc.value.message
        assert exc.value.field == "started_on"


def test_a_pupil_on_the_register_is_not_added_twice(senco: User) -> None:
    entry = factories.entry_of("Bennett")
    with pytest.raises(DomainError) as exc:
        factories.put_on_register(senco, entry.child)
    assert _error(exc) == ("Isla Bennett is already on the register", "child")


def test_a_removed_pupil_is_added_back_with_the_history_kept(senco: User) -> None:
    entry = factories.entry_of("Nwosu")
    assert entry.status == RegisterStatus.REMOVED
    assert entry.child in services.pupils_to_add(entry.organisation)
    again = factories.put_on_register(senco, entry.child, Needs("K", "SEMH"))
    assert again.pk == entry.pk
    assert again.is_on_register and again.removed_on is None
    kinds = [change.kind for change in services.history(again)]
    assert kinds == ["added", "removed", "added"]
    assert again.child not in services.pupils_to_add(entry.organisation)


# --- Changing ------------------------------------------------------------------------------


def test_a_change_records_what_changed_and_why(senco: User) -> None:
    entry = factories.entry_of("Bennett")
    change = services.change_entry(
        actor=senco,
        entry=entry,
        needs=Needs("E", "SPLD", "SLCN"),
        plans=Plans(),
        reason="EHC plan issued",
    )
    assert change.kind == RegisterChange.Kind.CHANGED
    assert change.what_changed == (
        "Provision: SEN support to Education, health and care plan; Secondary need: none to SLCN"
    )
    assert (change.provision, change.secondary_need) == ("E", "SLCN")
    entry.refresh_from_db()
    assert (entry.provision, entry.secondary_need) == ("E", "SLCN")
    event = AuditEvent.objects.filter(action=Action.SEN_REGISTER_CHANGED).latest("sequence")
    assert event.detail["changes"] == {
        "provision": {"old": "K", "new": "E"},
        "secondary_need": {"old": "", "new": "SLCN"},
    }


def test_a_change_that_changes_nothing_is_refused(senco: User) -> None:
    entry = factories.entry_of("Bennett")
    with pytest.raises(DomainError) as exc:
        services.change_entry(actor=senco, entry=entry, needs=Needs("K", "SPLD"), plans=Plans())
    assert _error(exc) == ("Change at least one of the details, or cancel", None)


def test_a_teacher_may_not_change_an_entry(teacher: User) -> None:
    with pytest.raises(NotPermittedError):
        services.change_entry(
            actor=teacher,
            entry=factories.entry_of("Bennett"),
            needs=Needs("K", "MLD"),
            plans=Plans(),
        )


def test_a_removed_entry_is_not_changed(senco: User) -> None:
    with pytest.raises(DomainError) as exc:
        services.change_entry(
            actor=senco, entry=factories.entry_of("Nwosu"), needs=Needs("K", "SPLD"), plans=Plans()
        )
    assert exc.value.message == "The pupil is not on the register: add them to it again"


def test_a_review_date_needs_its_plan(senco: User) -> None:
    with pytest.raises(DomainError) as exc:
        services.change_entry(
            actor=senco,
            entry=factories.entry_of("Bennett"),
            needs=Needs("K", "SPLD"),
            plans=Plans(healthcare_plan_review_on=TODAY()),
        )
    assert _error(exc) == (
        "Select the Individual Healthcare Plan, or leave its review date empty",
        "healthcare_plan_review_on",
    )


def test_a_plan_must_be_one_of_the_pupils_documents(senco: User, freddie_family_case) -> None:
    someone_elses = freddie_family_case.organisation.documents.first()
    assert someone_elses is not None
    with pytest.raises(DomainError) as exc:
        services.change_entry(
            actor=senco,
            entry=factories.entry_of("Bennett"),
            needs=Needs("K", "SPLD"),
            plans=Plans(education_plan=someone_elses),
        )
    assert _error(exc) == (
        "Choose the Personal Education Plan from the list",
        "education_plan",
    )


# --- Removing ------------------------------------------------------------------------------


def test_removing_records_the_date_and_reason(senco: User) -> None:
    entry = factories.entry_of("Bennett")
    change = services.remove_from_register(
        actor=senco, entry=entry, removed_on=TODAY(), reason="Caught up"
    )
    entry.refresh_from_db()
    assert entry.status == RegisterStatus.REMOVED and entry.removed_on == TODAY()
    assert (change.kind, change.reason) == ("removed", "Caught up")
    assert AuditEvent.objects.filter(
        action=Action.SEN_REGISTER_REMOVED, object_id=str(entry.id)
    ).exists()


def test_removing_is_checked(senco: User, teacher: User) -> None:
    entry = factories.entry_of("Bennett")
    cases = [
        (None, "x", "Enter the date the pupil left the register", "removed_on"),
        (TODAY() + timedelta(days=1), "x", "must be today or in the past", "removed_on"),
        (entry.started_on - timedelta(days=1), "x", "when their SEN provision started", None),
        (TODAY(), "  ", "Enter the reason", "reason"),
        (TODAY(), "x" * 2001, "The reason must be 2000 characters or fewer", "reason"),
    ]
    for removed_on, reason, message, field in cases:
        with pytest.raises(DomainError) as exc:
            services.remove_from_register(
                actor=senco, entry=entry, removed_on=removed_on, reason=reason
            )
        assert message in exc.value.message
        assert exc.value.field == (field or "removed_on")
    with pytest.raises(NotPermittedError):
        services.remove_from_register(actor=teacher, entry=entry, removed_on=TODAY(), reason="x")
    with pytest.raises(DomainError) as exc:
        services.remove_from_register(
            actor=senco, entry=factories.entry_of("Nwosu"), removed_on=TODAY(), reason="x"
        )
    assert exc.value.message == "The pupil has already been removed from the register"


# --- The history is append-only ----------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_a_register_change() -> None:
    change = factories.entry_of("Bennett").changes.first()
    assert change is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        RegisterChange.objects.filter(pk=change.pk).update(reason="Rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        RegisterChange.objects.filter(pk=change.pk).delete()
    change.refresh_from_db()
    assert change.reason != "Rewritten"
