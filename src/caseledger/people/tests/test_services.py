"""Recording children and the people around them; every edit audited with old and new values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import CaseType
from caseledger.domain.errors import DomainError
from caseledger.people.models import Child, RelatedAdult
from caseledger.people.services import add_adult, create_child, update_adult, update_child

pytestmark = pytest.mark.django_db

VALID_NHS = "9434765919"


def child_fields(**overrides):
    fields = {
        "first_names": "Alfie",
        "last_name": "Stone",
        "preferred_name": "",
        "date_of_birth": date(2018, 5, 4),
        "gender": Child.Gender.MALE,
        "upn": "",
        "nhs_number": "",
        "local_person_id": "",
        "address_line_1": "",
        "address_line_2": "",
        "town": "",
        "postcode": "",
    }
    fields.update(overrides)
    return fields


def test_a_new_child_gets_a_case_on_the_recorders_caseload(worker):
    child, case = create_child(
        actor=worker,
        fields=child_fields(),
        case_type=CaseType.CHILD_IN_NEED,
        opened_on=timezone.localdate(),
    )
    assert child.organisation == worker.organisation
    assert case.allocated_worker == worker
    actions = list(
        AuditEvent.objects.filter(object_id__in=[str(child.id), str(case.id)]).values_list(
            "action", flat=True
        )
    )
    assert actions == [Action.CHILD_CREATED, Action.CASE_OPENED]


def test_a_sibling_joins_the_same_household(worker, kayden_case):
    child, _ = create_child(
        actor=worker,
        fields=child_fields(last_name="Walker"),
        case_type=CaseType.CHILD_IN_NEED,
        opened_on=timezone.localdate(),
        sibling=kayden_case.child,
    )
    assert child.household_id == kayden_case.child.household_id is not None


def test_nhs_numbers_are_checked_and_stored_without_spaces(worker):
    child, _ = create_child(
        actor=worker,
        fields=child_fields(nhs_number="943 476 5919"),
        case_type=CaseType.EARLY_HELP,
        opened_on=timezone.localdate(),
    )
    assert child.nhs_number == VALID_NHS
    with pytest.raises(DomainError, match="valid NHS number") as error:
        create_child(
            actor=worker,
            fields=child_fields(nhs_number="943 476 5918"),
            case_type=CaseType.EARLY_HELP,
            opened_on=timezone.localdate(),
        )
    assert error.value.field == "nhs_number"


def test_an_nhs_number_is_unique_within_an_organisation_only(worker, outsider):
    create_child(
        actor=worker,
        fields=child_fields(nhs_number=VALID_NHS),
        case_type=CaseType.EARLY_HELP,
        opened_on=timezone.localdate(),
    )
    with pytest.raises(DomainError, match="Another child in your organisation"):
        create_child(
            actor=worker,
            fields=child_fields(nhs_number=VALID_NHS),
            case_type=CaseType.EARLY_HELP,
            opened_on=timezone.localdate(),
        )
    # Another council holds its own record of the same child.
    create_child(
        actor=outsider,
        fields=child_fields(nhs_number=VALID_NHS),
        case_type=CaseType.EARLY_HELP,
        opened_on=timezone.localdate(),
    )


def test_upns_are_checked(worker):
    with pytest.raises(DomainError, match="valid UPN"):
        create_child(
            actor=worker,
            fields=child_fields(upn="B123456789012"),
            case_type=CaseType.EARLY_HELP,
            opened_on=timezone.localdate(),
        )


def test_a_date_of_birth_cannot_be_in_the_future(worker):
    with pytest.raises(DomainError, match="Date of birth"):
        create_child(
            actor=worker,
            fields=child_fields(date_of_birth=timezone.localdate() + timedelta(days=1)),
            case_type=CaseType.EARLY_HELP,
            opened_on=timezone.localdate(),
        )


def test_editing_a_child_audits_old_and_new_values(worker, kayden_case):
    child = kayden_case.child
    update_child(actor=worker, child=child, fields={"preferred_name": "Kay", "postcode": "nm4 8aa"})
    event = AuditEvent.objects.filter(action=Action.CHILD_UPDATED, object_id=str(child.id)).get()
    assert event.changes == {
        "preferred_name": {"old": "", "new": "Kay"},
        "postcode": {"old": "NM4 7QT", "new": "NM4 8AA"},
    }
    assert event.actor == worker


def test_an_edit_that_changes_nothing_writes_nothing(worker, kayden_case):
    before = AuditEvent.objects.count()
    update_child(actor=worker, child=kayden_case.child, fields={"last_name": "Walker"})
    assert AuditEvent.objects.count() == before


def test_adults_record_relationship_and_parental_responsibility(worker, kayden_case):
    adult = add_adult(
        actor=worker,
        child=kayden_case.child,
        fields={
            "full_name": "June Walker",
            "relationship": RelatedAdult.Relationship.GRANDPARENT,
            "has_parental_responsibility": False,
            "lives_with_child": False,
            "phone": "",
            "email": "",
        },
    )
    update_adult(actor=worker, adult=adult, fields={"has_parental_responsibility": True})
    event = AuditEvent.objects.filter(action=Action.ADULT_UPDATED, object_id=str(adult.id)).get()
    assert event.changes == {"has_parental_responsibility": {"old": False, "new": True}}


def test_linking_a_sibling_brings_the_whole_household_and_audits_each_move(worker, kayden_case):
    from caseledger.people.services import link_siblings

    today = timezone.localdate()
    alfie, _ = create_child(
        actor=worker, fields=child_fields(), case_type=CaseType.EARLY_HELP, opened_on=today
    )
    bella, _ = create_child(
        actor=worker,
        fields=child_fields(first_names="Bella"),
        case_type=CaseType.EARLY_HELP,
        opened_on=today,
        sibling=alfie,
    )
    walkers = kayden_case.child.household
    before = AuditEvent.objects.filter(action=Action.HOUSEHOLD_CHANGED).count()
    link_siblings(actor=worker, child=alfie, sibling=kayden_case.child)
    alfie.refresh_from_db()
    bella.refresh_from_db()
    assert alfie.household == bella.household == walkers
    moves = list(AuditEvent.objects.filter(action=Action.HOUSEHOLD_CHANGED).order_by("id")[before:])
    assert sorted(move.object_id for move in moves) == sorted([str(alfie.id), str(bella.id)])
    assert all(move.changes["household"]["new"] == str(walkers.id) for move in moves)


def test_linking_children_already_together_is_refused(worker, kayden_case):
    from caseledger.people.models import Child
    from caseledger.people.services import link_siblings

    lily = Child.objects.get(first_names="Lily-Mae", organisation=worker.organisation)
    with pytest.raises(DomainError, match="already in the same household"):
        link_siblings(actor=worker, child=kayden_case.child, sibling=lily)


def test_a_child_can_leave_their_household(worker, kayden_case):
    from caseledger.people.services import leave_household

    child = kayden_case.child
    old = child.household_id
    leave_household(actor=worker, child=child)
    child.refresh_from_db()
    assert child.household is None
    event = AuditEvent.objects.filter(
        action=Action.HOUSEHOLD_CHANGED, object_id=str(child.id)
    ).latest("id")
    assert event.changes == {"household": {"old": str(old), "new": None}}


def test_linking_through_the_page(client_for, worker, kayden_case):
    today = timezone.localdate()
    alfie, _ = create_child(
        actor=worker, fields=child_fields(), case_type=CaseType.EARLY_HELP, opened_on=today
    )
    client = client_for(worker)
    page = client.get(f"/children/{alfie.id}/household/link/").content.decode()
    assert "Kayden James Walker" in page
    response = client.post(
        f"/children/{alfie.id}/household/link/", {"sibling": str(kayden_case.child_id)}, follow=True
    )
    assert "are now in one household" in response.content.decode()
    assert "Kayden James Walker" in client.get(f"/children/{alfie.id}/").content.decode()
    empty = client.post(f"/children/{alfie.id}/household/link/", {"sibling": ""})
    assert empty.status_code == 400 and "Select a brother or sister" in empty.content.decode()


def test_services_refuse_fields_they_do_not_own(worker, kayden_case, harvey_case):
    adult = kayden_case.child.adults.first()
    with pytest.raises(ValueError, match="cannot be set here: child"):
        update_adult(
            actor=worker, adult=adult, fields={"child": harvey_case.child, "full_name": "X"}
        )
    with pytest.raises(ValueError, match="organisation"):
        update_child(
            actor=worker, child=kayden_case.child, fields={"organisation": harvey_case.organisation}
        )


def test_a_date_of_birth_cannot_move_after_the_first_case_opened(worker, kayden_case):
    with pytest.raises(DomainError, match="first case opened"):
        update_child(
            actor=worker,
            child=kayden_case.child,
            fields={"date_of_birth": kayden_case.opened_on + timedelta(days=1)},
        )
