from __future__ import annotations

import pytest

from caseledger.accounts.models import User
from caseledger.sen.tests import factories as sen_factories


@pytest.fixture
def other_school_senco(db: None) -> User:
    return sen_factories.other_school_senco()


@pytest.fixture
def head(db: None) -> User:
    """Riverside's head (a team manager): sees every pupil, keeps nothing."""
    return User.objects.create_user(
        "head@riverside.example",
        full_name="Hannah Head",
        organisation=sen_factories.riverside(),
        role=User.Role.TEAM_MANAGER,
    )


@pytest.fixture
def school_admin(db: None) -> User:
    return User.objects.create_user(
        "office@riverside.example",
        full_name="Olu Office",
        organisation=sen_factories.riverside(),
        role=User.Role.ORGANISATION_ADMIN,
    )
