from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Signs people in with email and password, and grants no permissions of its own.

    Caseledger's permissions are relationships (`rules` predicates in each app's rules.py),
    never Django's per-model permission tables, so a refused `has_perm` must not fall through
    to two permission queries on every page.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
