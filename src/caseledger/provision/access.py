"""Who may see and keep a school's provision map (issue 8).

The school's staff read it (the library, groups, the map and its reports); its SENCO and
organisation admins keep it — the people who keep its SEN records (`caseledger.sen.access`).
A teacher sees, in a group, only the pupils in their classes. Parents, councils and other
schools get a 404 on every page, whether or not the record exists: a parent reads what the
school shares with them about their own child through the passport and plan pages, not the
school's provision map.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from caseledger.accounts.models import Organisation, User
from caseledger.provision.models import Intervention, InterventionGroup, MeasureScale, Place
from caseledger.sen.access import keeps_sen_register, reads_sen_register


def access_provision(user: User) -> Organisation:
    """The user's school, if they are its staff; otherwise 404."""
    if not reads_sen_register(user):
        raise Http404
    assert user.organisation is not None
    return user.organisation


def access_provision_to_change(user: User) -> Organisation:
    if not keeps_sen_register(user):
        raise Http404
    assert user.organisation is not None
    return user.organisation


def scales_of(organisation: Organisation) -> list[MeasureScale]:
    return list(MeasureScale.objects.filter(organisation=organisation).order_by("name", "id"))


def access_intervention(
    user: User, intervention_id: UUID, *, to_change: bool = False
) -> Intervention:
    organisation = access_provision_to_change(user) if to_change else access_provision(user)
    intervention = (
        Intervention.objects.select_related("scale", "organisation")
        .filter(organisation=organisation, pk=intervention_id)
        .first()
    )
    if intervention is None:
        raise Http404
    return intervention


def access_group(user: User, group_id: UUID, *, to_change: bool = False) -> InterventionGroup:
    organisation = access_provision_to_change(user) if to_change else access_provision(user)
    group = (
        InterventionGroup.objects.select_related(
            "intervention", "intervention__scale", "intervention__organisation"
        )
        .filter(intervention__organisation=organisation, pk=group_id)
        .first()
    )
    if group is None:
        raise Http404
    return group


def access_place_to_change(user: User, place_id: UUID) -> Place:
    organisation = access_provision_to_change(user)
    place = (
        Place.objects.select_related(
            "child", "group", "group__intervention", "group__intervention__scale"
        )
        .filter(group__intervention__organisation=organisation, pk=place_id)
        .first()
    )
    if place is None:
        raise Http404
    return place
