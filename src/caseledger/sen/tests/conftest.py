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


@pytest.fixture
def unshared_parent(db: None) -> User:
    """Chidi Nwosu: a parent account no school has shared anything with (the demo shares
    Freddie's records with Jo Morgan)."""
    return User.objects.get(email="chidi.nwosu@family.example")


@pytest.fixture
def new_teacher(db: None) -> User:
    """A Riverside teacher with no classes."""
    return factories.make_teacher()
