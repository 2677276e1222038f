"""Caseloads: the lists of cases a person works from, each a slice of `cases_visible_to`.

Every list is one indexed query for the page (keyset pagination on opened date and id, so
page 400 costs what page 1 costs) and one COUNT per tab, whatever the caseload's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Q, QuerySet

from caseledger.accounts.models import User
from caseledger.cases.access import cases_visible_to, granted_to
from caseledger.cases.models import Case, CaseStatus


@dataclass(frozen=True)
class Caseload:
    key: str
    label: str
    empty_message: str
    cases: QuerySet[Case]


WORKER_ROLES = {
    User.Role.SOCIAL_WORKER,
    User.Role.EARLY_HELP_WORKER,
    User.Role.TEAM_MANAGER,
    User.Role.SENCO,
    User.Role.TEACHER,
}


def caseloads_for(user: User, *, closed: bool = False) -> list[Caseload]:
    """The caseload tabs this person has, in the order they are shown.

    The same tabs list open cases, or (`closed=True`) the closed ones, so a closed case is
    found where it was worked on.
    """
    visible = cases_visible_to(user).filter(status=CaseStatus.CLOSED if closed else CaseStatus.OPEN)
    loads: list[Caseload] = []
    if user.managed_team_ids:
        # A manager works from the team's list; cases they manage in another team count too.
        team = visible.filter(
            Q(allocated_team_id__in=user.managed_team_ids) | Q(allocated_manager=user)
        )
        loads.append(Caseload("team", "My team's cases", "Your team has no open cases.", team))
        loads.append(
            Caseload(
                "unallocated",
                "Waiting for a worker",
                "Every open case in your team has a worker.",
                team.filter(allocated_worker__isnull=True),
            )
        )
    if user.role in WORKER_ROLES:
        loads.append(
            Caseload(
                "mine",
                "Allocated to me",
                "No open cases are allocated to you.",
                visible.filter(allocated_worker=user),
            )
        )
    if user.is_organisation_admin and user.organisation_id:
        organisation = visible.filter(organisation_id=user.organisation_id)
        loads.append(
            Caseload(
                "organisation",
                "All open cases",
                "Your organisation has no open cases.",
                organisation,
            )
        )
        loads.append(
            Caseload(
                "organisation-unallocated",
                "Without a worker",
                "Every open case has a worker.",
                organisation.filter(allocated_worker__isnull=True),
            )
        )
    if user.is_family_member and user.organisation_id:
        loads.append(
            Caseload(
                "family",
                "Your family's cases",
                "You are not tracking any cases yet. Add a child to start.",
                visible.filter(organisation_id=user.organisation_id),
            )
        )
    if user.role in {User.Role.PARENT, User.Role.ADVOCATE}:
        loads.append(
            Caseload(
                "shared",
                "Shared with you",
                "Nobody has shared a case with you.",
                visible.filter(granted_to(user)),
            )
        )
    return loads


def encode_cursor(case: Case) -> str:
    return f"{case.opened_on.isoformat()}_{case.id.hex}"


def decode_cursor(value: str) -> tuple[date, UUID] | None:
    try:
        day, identifier = value.split("_", 1)
        return date.fromisoformat(day), UUID(identifier)
    except ValueError:
        return None


def page_of(cases: QuerySet[Case], after: str | None, size: int) -> tuple[list[Case], str | None]:
    """One page in (opened_on, id) descending order, and the cursor for the next page."""
    ordered = cases.order_by("-opened_on", "-id").select_related(
        "child", "allocated_worker", "allocated_team"
    )
    cursor = decode_cursor(after) if after else None
    if cursor is not None:
        opened_on, identifier = cursor
        ordered = ordered.filter(
            Q(opened_on__lt=opened_on) | Q(opened_on=opened_on, id__lt=identifier)
        )
    rows = list(ordered[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], next_cursor
