"""Every organisation starts with the default document categories of its kind."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from caseledger.accounts.models import Organisation


@receiver(post_save, sender=Organisation, dispatch_uid="vault_document_categories")
def give_new_organisation_document_categories(
    sender: type[Organisation], instance: Organisation, created: bool, raw: bool, **kwargs: Any
) -> None:
    if created and not raw:
        from caseledger.vault.defaults import add_document_categories

        add_document_categories(instance)
