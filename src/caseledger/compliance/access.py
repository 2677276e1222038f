"""Who sees which compliance dashboard (recording rule 13: records are monitored by managers).

* An organisation admin of a council or a school sees the organisation's dashboard and
  every one of its teams'.
* A team manager sees the dashboards of the teams they manage, and nothing organisation-wide.
* Everyone else — workers, teachers, parents, advocates, families and advocacy services,
  other organisations' staff — gets a 404 on every dashboard, as if it did not exist; so
  does an admin asking for another organisation's team.

Every row a dashboard lists is a case the viewer may already open: an admin sees all of
the organisation's cases, a team manager those allocated to the team (`cases.access`).
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from caseledger.accounts.models import Organisation, Team, User


def monitors_organisation(user: User) -> bool:
    organisation = user.organisation
    return (
        user.is_authenticated
        and user.is_active
        and user.is_organisation_admin
        and organisation is not None
        and organisation.uses_teams
    )


def teams_monitored_by(user: User) -> QuerySet[Team]:
    """The teams whose dashboards this user sees, by name."""
    organisation = user.organisation if user.is_authenticated else None
    if not user.is_active or organisation is None or not organisation.uses_teams:
        return Team.objects.none()
    teams = Team.objects.filter(organisation=organisation)
    if monitors_organisation(user):
        return teams.order_by("name")
    return teams.filter(id__in=user.managed_team_ids).order_by("name")


def access_organisation_dashboard(user: User) -> Organisation:
    """The admin's own organisation, or 404."""
    if not monitors_organisation(user):
        raise Http404
    assert user.organisation is not None
    return user.organisation


def access_team_dashboard(user: User, team_id: UUID) -> Team:
    """A team this user monitors, or 404 (another organisation's team included)."""
    team = teams_monitored_by(user).select_related("organisation").filter(id=team_id).first()
    if team is None:
        raise Http404
    return team


def access_visit_interval_settings(user: User) -> Organisation:
    """Only the organisation's admin changes how often children must be visited."""
    return access_organisation_dashboard(user)
