"""One-off bank holidays added by an administrator.

England and Wales bank holidays come from the `holidays` package (domain/working_days.py).
A one-off holiday proclaimed by the King under the Banking and Financial Dealings Act 1971,
s.1(3) (a coronation, a state funeral, a jubilee) can be announced at a few months' notice,
before the package has it; every working-day deadline must count it from the day it is added.
Bank holidays are national, so the list is one for the whole service, kept with the admin
command `caseledger holidays`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Holiday(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%-d %B %Y})"
