"""Staff of the demo school (and of another school) that the SEN support apps' tests share:
imported by each app's conftest.py so that one definition serves them all."""

from __future__ import annotations

import pytest

from caseledger.accounts.models import User
from caseledger.sen.tests import factories


@pytest.fixture
def other_school_senco(db: None) -> User:
    return factories.other_school_senco()


@pytest.fixture
def head(db: None) -> User:
    """Riverside's head (a team manager): sees every pupil, keeps nothing."""
    return User.objects.create_user(
        "head@riverside.example",
        full_name="Hannah Head",
        organisation=factories.riverside(),
        role=User.Role.TEAM_MANAGER,
    )


@pytest.fixture
def school_admin(db: None) -> User:
    return User.objects.create_user(
        "office@riverside.example",
        full_name="Olu Office",
        organisation=factories.riverside(),
        role=User.Role.ORGANISATION_ADMIN,
    )
