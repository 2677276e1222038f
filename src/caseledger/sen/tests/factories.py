"""State for the SEN register's tests, made through the services as people would make it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.people.models import Child
from caseledger.sen.models import RegisterEntry
from caseledger.sen.services import Needs, add_to_register


def riverside() -> Organisation:
    return Organisation.objects.get(reference_prefix="RPS")


def pupil(last_name: str) -> Child:
    return Child.objects.get(organisation=riverside(), last_name=last_name)


def entry_of(last_name: str) -> RegisterEntry:
    return RegisterEntry.objects.select_related("child", "organisation").get(child=pupil(last_name))


def make_pupil(actor: User, last_name: str, *, years: int = 7) -> Child:
    """A new pupil of the actor's school, not on the register."""
    assert actor.organisation is not None
    return Child.objects.create(
        organisation=actor.organisation,
        first_names="Test",
        last_name=last_name,
        date_of_birth=timezone.localdate() - timedelta(days=int(years * 365.25)),
    )


def put_on_register(actor: User, child: Child, needs: Needs | None = None) -> RegisterEntry:
    return add_to_register(
        actor=actor,
        child=child,
        needs=needs or Needs("K", "SPLD"),
        started_on=timezone.localdate() - timedelta(days=30),
    )
