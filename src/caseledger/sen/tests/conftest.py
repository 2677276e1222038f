from __future__ import annotations

import pytest

from caseledger.accounts.models import User
from caseledger.sen.tests import factories
from caseledger.sen.tests.school_fixtures import head, other_school_senco, school_admin

__all__ = ["head", "other_school_senco", "school_admin"]


@pytest.fixture
def unshared_parent(db: None) -> User:
    """Chidi Nwosu: a parent account no school has shared anything with (the demo shares
    Freddie's records with Jo Morgan)."""
    return User.objects.get(email="chidi.nwosu@family.example")


@pytest.fixture
def new_teacher(db: None) -> User:
    """A Riverside teacher with no classes."""
    return factories.make_teacher()
