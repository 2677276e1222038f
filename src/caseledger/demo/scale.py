"""`caseledger demo --scale N`: N more children with open cases, for benchmarking.

Written with bulk inserts (tens of thousands of rows in seconds); one audit event records
that the synthetic rows were generated, by whom (the system) and how many.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseledger.accounts.models import Organisation, TeamMembership
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import Case, CaseStatus, CaseStatusChange, CaseType
from caseledger.people.models import Child

FIRST_NAMES = {
    Child.Gender.FEMALE: [
        "Olivia",
        "Amelia",
        "Isla",
        "Ava",
        "Mia",
        "Freya",
        "Lily",
        "Sofia",
        "Grace",
    ],
    Child.Gender.MALE: ["Noah", "Oliver", "George", "Leo", "Arthur", "Harry", "Muhammad", "Oscar"],
}
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
]
LA_CASE_TYPES = [
    CaseType.EARLY_HELP,
    CaseType.CHILD_IN_NEED,
    CaseType.CHILD_PROTECTION,
    CaseType.LOOKED_AFTER,
]
BATCH = 2000


def generate(count: int, *, organisation: Organisation, seed: int = 2026) -> int:
    """Add `count` children, each with one open case allocated round-robin across the teams."""
    rng = random.Random(seed)  # noqa: S311  (repeatable demo data, not security)
    memberships = list(
        TeamMembership.objects.filter(team__organisation=organisation).select_related("team")
    )
    workers = [m for m in memberships if not m.is_manager]
    managers = {m.team_id: m.user_id for m in memberships if m.is_manager}
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(
            case_sequence=F("case_sequence") + count
        )
        last_number = Organisation.objects.values_list("case_sequence", flat=True).get(
            pk=organisation.pk
        )
        first_number = last_number - count + 1
        for start in range(0, count, BATCH):
            children: list[Child] = []
            cases: list[Case] = []
            for offset in range(start, min(start + BATCH, count)):
                membership = workers[offset % len(workers)] if workers else None
                gender = rng.choice([Child.Gender.FEMALE, Child.Gender.MALE])
                child = Child(
                    organisation=organisation,
                    first_names=rng.choice(FIRST_NAMES[gender]),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=today - timedelta(days=rng.randint(200, 17 * 365)),
                    gender=gender,
                )
                children.append(child)
                opened_on = today - timedelta(days=rng.randint(0, 1500))
                cases.append(
                    Case(
                        organisation=organisation,
                        child=child,
                        case_type=rng.choice(LA_CASE_TYPES),
                        reference=f"{organisation.reference_prefix}-{first_number + offset:06d}",
                        status=CaseStatus.OPEN,
                        opened_on=max(opened_on, child.date_of_birth),
                        allocated_team_id=membership.team_id if membership else None,
                        allocated_worker_id=membership.user_id if membership else None,
                        allocated_manager_id=managers.get(membership.team_id)
                        if membership
                        else None,
                        allocated_at=timezone.now() if membership else None,
                    )
                )
            Child.objects.bulk_create(children)
            Case.objects.bulk_create(cases)
            CaseStatusChange.objects.bulk_create(
                CaseStatusChange(case=case, status=CaseStatus.OPEN, effective_on=case.opened_on)
                for case in cases
            )
            created += len(cases)
        record_event(
            actor=None,
            action=Action.DEMO_LOADED,
            organisation=organisation,
            detail={"generated_children": created},
        )
    return created
