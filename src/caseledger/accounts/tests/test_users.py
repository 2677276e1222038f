from __future__ import annotations

import pytest

from caseledger.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_a_parent_account_cannot_be_made_inside_a_council():
    council = Organisation.objects.get(reference_prefix="NMB")
    with pytest.raises(ValueError, match="has no 'parent' role"):
        User.objects.create_user(
            "x@example.com", "pw", full_name="X", organisation=council, role=User.Role.PARENT
        )


def test_only_a_parent_in_a_family_organisation_counts_as_family(parent, worker):
    assert parent.is_family_member
    worker.role = User.Role.PARENT  # even if a role were changed by hand, the kind decides
    assert not worker.is_family_member
