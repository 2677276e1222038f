"""Every organisation starts with the default contact types and topic tags of its kind."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from caseledger.accounts.models import Organisation


@receiver(post_save, sender=Organisation, dispatch_uid="ledger_recording_defaults")
def give_new_organisation_recording_defaults(
    sender: type[Organisation], instance: Organisation, created: bool, raw: bool, **kwargs: Any
) -> None:
    if created and not raw:
        from caseledger.ledger.defaults import add_recording_defaults

        add_recording_defaults(instance)
