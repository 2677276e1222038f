"""Shared test fixtures: the demo world, loaded once per run, and its personas.

Like Zulip's test fixture data, every test starts from the same realistic world (the demo
data, created through the real services). Each test runs in a transaction that is rolled
back, so the world is the same for every test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from caseledger.accounts.models import User
from caseledger.cases.models import Case
from caseledger.demo.data import load_demo


@pytest.fixture(scope="session", autouse=True)
def vault_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The evidence vault's files go to a temporary folder, never the project's var/."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("vault")
    settings.VAULT_DIR = folder
    return folder


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any, vault_dir: Path) -> None:
    with django_db_blocker.unblock():
        load_demo()


def _user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def worker(db) -> User:
    """Amira Khan: social worker, allocated to the Walker children (not Noah) and others."""
    return _user("amira.khan@northmoor.example")


@pytest.fixture
def colleague(db) -> User:
    """Lewis Grant: same team as Amira, allocated to Noah Walker but not to Amira's cases."""
    return _user("lewis.grant@northmoor.example")


@pytest.fixture
def manager(db) -> User:
    """Dan Okafor: manages the Children in Need Team North."""
    return _user("dan.okafor@northmoor.example")


@pytest.fixture
def org_admin(db) -> User:
    return _user("priya.shah@northmoor.example")


@pytest.fixture
def other_team_manager(db) -> User:
    """Grace Adeyemi: manages Northmoor's Early Help Team, not Dan's."""
    return _user("grace.adeyemi@northmoor.example")


@pytest.fixture
def outsider(db) -> User:
    """Sofia Ricci: a social worker in another council (Eastvale)."""
    return _user("sofia.ricci@eastvale.example")


@pytest.fixture
def senco(db) -> User:
    return _user("helen.price@riverside.example")


@pytest.fixture
def teacher(db) -> User:
    return _user("tom.barnes@riverside.example")


@pytest.fixture
def parent(db) -> User:
    """Jo Morgan: parent in the Morgan family; holds a grant on Freddie's Northmoor case."""
    return _user("jo.morgan@family.example")


@pytest.fixture
def other_parent(db) -> User:
    return _user("anil.patel@family.example")


@pytest.fixture
def advocate(db) -> User:
    """Ruth Ellis: advocate with a grant on Freddie's EHCP tracking case."""
    return _user("ruth.ellis@sendvoices.example")


def case_of(first_names: str, last_name: str, prefix: str) -> Case:
    return Case.objects.select_related("child").get(
        child__first_names=first_names,
        child__last_name=last_name,
        organisation__reference_prefix=prefix,
        status="open",
    )


@pytest.fixture
def kayden_case(db) -> Case:
    """Allocated to Amira (worker) and Dan (manager)."""
    return case_of("Kayden James", "Walker", "NMB")


@pytest.fixture
def noah_case(db) -> Case:
    """Allocated to Lewis (worker) and Dan (manager)."""
    return case_of("Noah", "Walker", "NMB")


@pytest.fixture
def freddie_la_case(db) -> Case:
    """Northmoor's child in need case for Freddie Morgan; Jo Morgan holds a grant."""
    return case_of("Frederick", "Morgan", "NMB")


@pytest.fixture
def freddie_family_case(db) -> Case:
    """The Morgan family's own EHCP tracking case; Ruth Ellis (advocate) holds a grant."""
    return case_of("Frederick", "Morgan", "MORGAN")


@pytest.fixture
def harvey_case(db) -> Case:
    """Eastvale's case: no Northmoor user may ever see it."""
    return case_of("Harvey", "Mills", "EVC")


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
