"""EHCP test data, made through the services, on the demo world's family cases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.cases.models import Case
from caseledger.ehcp.annotations import AnnotationContent, add_annotation
from caseledger.ehcp.models import Annotation, PlanKind, PlanVersion, StatusChange
from caseledger.ehcp.services import (
    add_plan_version,
    change_status,
    confirm_plan_sections,
    plan_versions,
)
from caseledger.ledger.models import Entry, EntryKind, EntryStatus


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def poppy_case() -> Case:
    """The Morgans' EHCP tracking case for Poppy: opened 20 days ago, no status yet."""
    return Case.objects.select_related("child", "organisation").get(
        child__first_names="Poppy", organisation__reference_prefix="MORGAN"
    )


def aarav_case() -> Case:
    """The Patels' EHCP tracking case for Aarav, with its final plan issued 330 days ago."""
    return Case.objects.select_related("child", "organisation").get(
        child__first_names="Aarav", organisation__reference_prefix="PATEL"
    )


def change(actor: User, case: Case, status: str, days: int, note: str = "") -> StatusChange:
    return change_status(
        actor=actor, case=case, status=status, effective_on=days_ago(days), note=note
    )


def demo_draft(case: Case) -> PlanVersion:
    """The demo's confirmed draft of Freddie's plan (the only version on his family case)."""
    (version,) = plan_versions(case)
    return version


def confirmed_version(
    actor: User,
    case: Case,
    sections: Mapping[str, str],
    kind: str = PlanKind.FINAL,
    days: int = 1,
) -> PlanVersion:
    """A plan version typed in by the family and confirmed with these sections."""
    version = add_plan_version(
        actor=actor, case=case, kind=kind, issued_on=days_ago(days), upload=None
    )
    return confirm_plan_sections(actor=actor, version=version, sections=sections)


# The concern the family has about the demo draft's vague Section F item.
F_PASSAGE = "Visual timetable and warnings before changes of routine, every day."
PROPOSED = "A visual timetable, gone through with Freddie by his teaching assistant each morning."


def annotation_content(**changes: Any) -> AnnotationContent:
    """An annotation's content about the demo draft's Section F; `changes` override any part."""
    values: dict[str, Any] = {
        "section": "F",
        "passage": F_PASSAGE,
        "concern": "It does not say who prepares the timetable or how far ahead he is warned.",
        "proposed_wording": PROPOSED,
        "status": "open",
        "evidence_ids": (),
    }
    values.update(changes)
    return AnnotationContent(**values)


def annotate(actor: User, version: PlanVersion, **changes: Any) -> Annotation:
    return add_annotation(actor=actor, version=version, content=annotation_content(**changes))


def final_note(case: Case, kind: str = EntryKind.INTERACTION) -> Entry:
    """A finalised note of the demo world on the case (the Morgans' calls and emails)."""
    entry = (
        Entry.objects.filter(case=case, status=EntryStatus.FINAL, kind=kind)
        .order_by("sequence")
        .first()
    )
    assert entry is not None
    return entry
