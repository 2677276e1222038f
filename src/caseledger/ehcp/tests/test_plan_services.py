"""Plan versions: added from a file or typed in, confirmed, fixed by the database, compared."""

from __future__ import annotations

import io
import re

import pytest
from django.db import IntegrityError, connection, transaction

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.demo.data import DEMO_DRAFT_PLAN
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.models import PlanKind, PlanSection, PlanVersion
from caseledger.ehcp.services import (
    PlanFile,
    add_plan_version,
    compare_plan_versions,
    confirm_plan_sections,
    plan_versions,
    sections_of,
)
from caseledger.ehcp.tests.factories import aarav_case, days_ago, poppy_case
from caseledger.vault.models import Document
from caseledger.vault.tests import samples

pytestmark = pytest.mark.django_db

PLAN_TEXT = (
    "Northmoor Council\nEducation, Health and Care Plan\n\n"
    "Section A: Views, interests and aspirations\nPoppy likes drawing.\n\n"
    "Section B: Special educational needs\nPoppy has dyslexia.\n\n"
    "Section F: Special educational provision\nA reading programme daily for 15 minutes.\n\n"
    "Section I: Placement\nRiverside Primary School\n"
)


def text_file(text: str = PLAN_TEXT, name: str = "draft-plan.txt") -> PlanFile:
    data = text.encode()
    return PlanFile(io.BytesIO(data), name, len(data))


def typed(actor: User, case: Case, kind: str = PlanKind.DRAFT, days: int = 5) -> PlanVersion:
    return add_plan_version(
        actor=actor, case=case, kind=kind, issued_on=days_ago(days), upload=None
    )


def test_a_plan_file_is_kept_in_the_vault_and_split_into_sections(parent: User) -> None:
    case = poppy_case()
    version = add_plan_version(
        actor=parent, case=case, kind=PlanKind.DRAFT, issued_on=days_ago(2), upload=text_file()
    )
    sections = sections_of(version)
    assert list(sections) == list("ABCDEFGHIJK")
    assert sections["A"] == "Poppy likes drawing."
    assert sections["F"] == "A reading programme daily for 15 minutes."
    assert sections["I"] == "Riverside Primary School"
    assert sections["C"] == ""
    assert not version.is_confirmed
    document = version.document
    assert isinstance(document, Document)
    assert document.category.name == "EHCP"
    assert document.document_date == days_ago(2)
    assert list(document.case_links.values_list("case_id", flat=True)) == [case.id]
    event = AuditEvent.objects.get(action=Action.PLAN_VERSION_ADDED, object_id=str(version.id))
    assert event.case_id == case.id
    assert event.detail["sections_found"] == ["A", "B", "F", "I"]
    assert event.detail["document"] == str(document.id)


def test_a_word_document_is_read_too(parent: User) -> None:
    data = samples.docx("Section B: Special educational needs", "Poppy has dyslexia.")
    version = add_plan_version(
        actor=parent,
        case=poppy_case(),
        kind=PlanKind.FINAL,
        issued_on=days_ago(1),
        upload=PlanFile(io.BytesIO(data), "final.docx", len(data)),
    )
    assert sections_of(version)["B"] == "Poppy has dyslexia."


def test_a_plan_typed_in_starts_with_empty_sections_and_no_document(parent: User) -> None:
    version = typed(parent, poppy_case())
    assert version.document_id is None
    assert set(sections_of(version).values()) == {""}


def test_a_file_that_is_not_a_plan_is_refused_and_nothing_is_stored(parent: User) -> None:
    documents, versions, events = (
        Document.objects.count(),
        PlanVersion.objects.count(),
        AuditEvent.objects.count(),
    )
    data = samples.png()
    with pytest.raises(DomainError) as refused:
        add_plan_version(
            actor=parent,
            case=poppy_case(),
            kind=PlanKind.DRAFT,
            issued_on=days_ago(1),
            upload=PlanFile(io.BytesIO(data), "plan.png", len(data)),
        )
    assert refused.value.field == "file"
    assert "PDF, Word document (.docx) or text file" in refused.value.message
    assert (Document.objects.count(), PlanVersion.objects.count()) == (documents, versions)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("kind", "days", "field", "message"),
    [
        ("", 1, "kind", "Select what kind of plan it is"),
        ("revised", 1, "kind", "Select what kind of plan it is"),
        (PlanKind.DRAFT, None, "issued_on", "Enter the date the plan was issued"),
        (
            PlanKind.DRAFT,
            -1,
            "issued_on",
            "The date the plan was issued must be today or in the past",
        ),
    ],
)
def test_a_broken_rule_is_refused_in_govuk_words(
    parent: User, kind: str, days: int | None, field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        add_plan_version(
            actor=parent,
            case=poppy_case(),
            kind=kind,
            issued_on=None if days is None else days_ago(days),
            upload=None,
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not PlanVersion.objects.filter(case=poppy_case()).exists()


def test_only_people_who_work_on_an_ehcp_tracking_case_add_versions(
    advocate: User, other_parent: User, parent: User, freddie_family_case: Case, kayden_case: Case
) -> None:
    with pytest.raises(NotPermittedError):
        typed(advocate, freddie_family_case)  # a read-only grant
    with pytest.raises(NotPermittedError):
        typed(other_parent, freddie_family_case)
    with pytest.raises(NotPermittedError):
        typed(parent, kayden_case)  # not an EHCP tracking case
    version = typed(parent, freddie_family_case)
    with pytest.raises(NotPermittedError):
        confirm_plan_sections(actor=advocate, version=version, sections={"A": "Changed"})
    assert not PlanVersion.objects.get(pk=version.pk).is_confirmed


def test_confirming_stores_the_corrections_and_audits_which_sections_changed(
    parent: User,
) -> None:
    version = add_plan_version(
        actor=parent,
        case=poppy_case(),
        kind=PlanKind.DRAFT,
        issued_on=days_ago(2),
        upload=text_file(),
    )
    corrected = sections_of(version) | {"C": "  Short-sighted; wears glasses.  ", "I": ""}
    confirm_plan_sections(actor=parent, version=version, sections=corrected)
    version.refresh_from_db()
    assert version.is_confirmed
    assert sections_of(version)["C"] == "Short-sighted; wears glasses."
    assert sections_of(version)["I"] == ""
    event = AuditEvent.objects.get(action=Action.PLAN_SECTIONS_CONFIRMED, object_id=str(version.id))
    assert event.detail["corrected"] == ["C", "I"]


def test_sections_cannot_be_confirmed_empty_or_twice(parent: User) -> None:
    version = typed(parent, poppy_case())
    with pytest.raises(DomainError, match="Enter the text of at least one section"):
        confirm_plan_sections(actor=parent, version=version, sections={"A": "   "})
    confirm_plan_sections(actor=parent, version=version, sections={"A": "Likes drawing"})
    with pytest.raises(DomainError, match="already been confirmed"):
        confirm_plan_sections(actor=parent, version=version, sections={"A": "Changed"})
    assert sections_of(version)["A"] == "Likes drawing"


def test_versions_are_listed_latest_issued_first(parent: User) -> None:
    case = poppy_case()
    older = typed(parent, case, days=9)
    newer = typed(parent, case, PlanKind.FINAL, days=1)
    assert plan_versions(case) == [newer, older]


def test_the_demo_family_has_a_confirmed_draft_of_freddies_plan(
    freddie_family_case: Case,
) -> None:
    (version,) = plan_versions(freddie_family_case)
    assert (version.kind, version.is_confirmed) == (PlanKind.DRAFT, True)
    assert sections_of(version) == {key: DEMO_DRAFT_PLAN[key] for key in "ABCDEFGHIJK"}


def test_two_versions_are_compared_word_by_word(parent: User, freddie_family_case: Case) -> None:
    (draft,) = plan_versions(freddie_family_case)
    final = typed(parent, freddie_family_case, PlanKind.FINAL, days=0)
    changed_f = DEMO_DRAFT_PLAN["F"].replace("20 minutes three", "30 minutes five")
    confirm_plan_sections(actor=parent, version=final, sections=DEMO_DRAFT_PLAN | {"F": changed_f})
    sections = compare_plan_versions(draft, final)
    assert [section.key for section in sections if section.changed] == ["F"]
    runs = next(section.runs for section in sections if section.key == "F")
    assert ("delete", "20") in runs and ("insert", "30") in runs
    assert ("delete", "three") in runs and ("insert", "five") in runs
    assert "".join(text for op, text in runs if op != "insert") == DEMO_DRAFT_PLAN["F"]


def test_versions_of_different_cases_are_not_compared(parent: User, other_parent: User) -> None:
    ours = typed(parent, poppy_case())
    theirs = typed(other_parent, aarav_case())
    with pytest.raises(DomainError):
        compare_plan_versions(ours, theirs)


# --- The database keeps confirmed sections as they were ----------------------------------------


def refused_by_the_database(attempt: object) -> None:
    assert callable(attempt)
    with pytest.raises(IntegrityError, match=re.compile("never change")), transaction.atomic():
        attempt()


def test_unconfirmed_sections_may_be_corrected(parent: User) -> None:
    version = typed(parent, poppy_case())
    PlanSection.objects.filter(version=version, key="A").update(text="Typed in")
    assert sections_of(version)["A"] == "Typed in"


def test_the_database_refuses_to_change_or_delete_confirmed_sections(parent: User) -> None:
    version = typed(parent, poppy_case())
    confirm_plan_sections(actor=parent, version=version, sections={"A": "Likes drawing"})
    sections = PlanSection.objects.filter(version=version)
    refused_by_the_database(lambda: sections.filter(key="A").update(text="Likes painting"))
    refused_by_the_database(lambda: sections.delete())
    versions = PlanVersion.objects.filter(pk=version.pk)
    refused_by_the_database(lambda: versions.update(confirmed_at=None))
    db_id = PlanVersion._meta.pk.get_db_prep_value(version.pk, connection)

    def raw(statement: str, *params: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, db_id])

    refused_by_the_database(
        lambda: raw("UPDATE ehcp_plansection SET text = %s WHERE version_id = %s", "Gone")
    )
    # Django refuses to delete a version with sections (PROTECT); the database refuses too.
    refused_by_the_database(lambda: raw("DELETE FROM ehcp_planversion WHERE id = %s"))
    assert sections_of(version)["A"] == "Likes drawing"
    version.refresh_from_db()
    assert version.is_confirmed


def test_line_breaks_sent_by_a_browser_are_kept_as_the_file_gave_them(parent: User) -> None:
    version = typed(parent, poppy_case())
    confirm_plan_sections(
        actor=parent, version=version, sections={"B": "Dyslexia.\r\n\r\nAnxiety.\rSleep."}
    )
    assert sections_of(version)["B"] == "Dyslexia.\n\nAnxiety.\nSleep."
