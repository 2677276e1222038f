"""Sign-in, sign-out and failed sign-in go into the audit trail (ASVS 16.3.1)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        record_event(actor=user, action=Action.SIGNED_IN, obj=user, organisation=user.organisation)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        record_event(actor=user, action=Action.SIGNED_OUT, obj=user, organisation=user.organisation)


@receiver(user_login_failed)
def audit_failed_sign_in(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The typed email address is not stored: people sometimes type a password into it.
    with transaction.atomic():
        record_event(actor=None, action=Action.SIGN_IN_FAILED)
