"""A person's open actions as an iCalendar (RFC 5545) feed, behind a secret, revocable address.

Calendar apps keep what they fetch, often on servers outside the organisation, so each event
says only what is due and on which case reference: never the child's name. The description
of the action is the user's own words; the page that makes the address says so.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.models import CalendarFeed, NextAction
from caseledger.audit.models import Action
from caseledger.audit.services import record_event


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def make_feed(*, actor: User) -> str:
    """A new feed address for the actor (any earlier one stops working); returns the token."""
    _revoke(actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=token_hash(token))
    record_event(
        actor=actor, action=Action.CALENDAR_FEED_CREATED, obj=feed, organisation=actor.organisation
    )
    return token


@transaction.atomic
def revoke_feed(*, actor: User) -> bool:
    return _revoke(actor)


def _revoke(actor: User) -> bool:
    feeds = list(
        CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
    )
    for feed in feeds:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action=Action.CALENDAR_FEED_REVOKED,
            obj=feed,
            organisation=actor.organisation,
        )
    return bool(feeds)


def feed_for_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for character in line:
        piece = character.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def calendar(actions: Iterable[NextAction], *, now: datetime) -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Caseledger//Next actions//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Caseledger actions",
    ]
    for action in actions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{action.id}@caseledger",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{action.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{action.due_on + timedelta(days=1):%Y%m%d}",
            _fold(f"SUMMARY:{_escape(f'Due: {action.description} ({action.case.reference})')}"),
            _fold(
                "DESCRIPTION:"
                + _escape(
                    f"{action.get_priority_display()} action on case {action.case.reference}."
                    + (f" {action.statutory_citation}." if action.statutory_rule else "")
                )
            ),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
