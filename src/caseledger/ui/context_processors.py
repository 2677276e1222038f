from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from caseledger.actions.models import Notification
from caseledger.case_audits.access import can_audit
from caseledger.compliance.access import monitors_organisation
from caseledger.sen.access import live_parent_accesses, reads_sen_register


def service(request: HttpRequest) -> dict[str, Any]:
    """Service name and the navigation a signed-in person sees (only pages that exist)."""
    items: list[dict[str, Any]] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        home = reverse("ui:home")
        items.append({"text": "Caseload", "href": home, "current": request.path == home})
        finder = reverse("search:search")
        items.append({"text": "Search", "href": finder, "current": request.path == finder})
        mine = reverse("actions:my-actions")
        items.append({"text": "My actions", "href": mine, "current": request.path == mine})
        inbox = reverse("actions:notifications")
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
        items.append(
            {
                "text": f"Reminders ({unread} new)" if unread else "Reminders",
                "href": inbox,
                "current": request.path.startswith(inbox),
            }
        )
        if user.has_perm("people.add_child"):
            new_child = reverse("people:child-create")
            items.append(
                {"text": "Add a child", "href": new_child, "current": request.path == new_child}
            )
        if user.is_family_member:
            # Issue 7: a family decides who outside it sees its children's records.
            sharing = reverse("cases:sharing")
            items.append(
                {"text": "Sharing", "href": sharing, "current": request.path.startswith(sharing)}
            )
        if reads_sen_register(user):
            # Issue 8: a school's staff read its SEN register.
            register = reverse("sen:register")
            items.append(
                {
                    "text": "SEN register",
                    "href": register,
                    "current": request.path.startswith(register),
                }
            )
            # A class's teachers see its pupils' SEN records; the SENCO sets the classes up.
            school_classes = reverse("sen:classes")
            items.append(
                {
                    "text": "Classes",
                    "href": school_classes,
                    "current": request.path.startswith(school_classes),
                }
            )
            # The provision map and the support plans' reviews due (issue 8).
            provision_map = reverse("provision:map")
            items.append(
                {
                    "text": "Provision map",
                    "href": provision_map,
                    "current": request.path.startswith(provision_map),
                }
            )
            reviews_due = reverse("support_plans:reviews")
            items.append(
                {
                    "text": "Reviews due",
                    "href": reviews_due,
                    "current": request.path.startswith(reviews_due),
                }
            )
        if live_parent_accesses(user).exists():
            # Issue 8: a parent reads what their child's school shares with them. One EXISTS
            # query, and none at all for anyone who is not a parent.
            my_children = reverse("sen:my-children")
            items.append(
                {
                    "text": "School support",
                    "href": my_children,
                    "current": request.path == my_children or request.path.startswith("/pupils/"),
                }
            )
        if user.organisation is not None and user.organisation.uses_teams:
            # Issue 6, rule 13: managers monitor recording and audit cases.
            if monitors_organisation(user) or user.managed_team_ids:
                dashboard = reverse("compliance:organisation")
                items.append(
                    {
                        "text": "Compliance",
                        "href": dashboard,
                        "current": request.path.startswith("/manage/compliance/")
                        or request.path.startswith("/manage/teams/"),
                    }
                )
            if can_audit(user):
                audits = reverse("case_audits:audit-list")
                items.append(
                    {
                        "text": "Case audits",
                        "href": audits,
                        "current": request.path.startswith(audits),
                    }
                )
        if user.is_organisation_admin:
            # Recording settings and the pages under them (its types of contact, topics, limit).
            settings_home = reverse("ledger:settings")
            items.append(
                {
                    "text": "Settings",
                    "href": settings_home,
                    "current": request.path.startswith(settings_home),
                }
            )
    return {"service_name": settings.CASELEDGER_SERVICE_NAME, "navigation": items}
