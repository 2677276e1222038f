"""The EHCP panel of the case page: `{% ehcp_status_panel case can_change %}`.

Two queries whatever the length of the history: the changes with who made them, and the
soonest open deadlines.
"""

from __future__ import annotations

from typing import Any

from django import template

from caseledger.cases.models import Case
from caseledger.ehcp import services

register = template.Library()


@register.inclusion_tag("ehcp/_status_panel.html")
def ehcp_status_panel(case: Case, can_change: bool) -> dict[str, Any]:
    history = services.status_history(case)
    return {
        "case": case,
        "current": history[0] if history else None,
        "history": history,
        "deadlines": services.next_deadlines(case),
        "deadlines_shown": services.DEADLINES_SHOWN,
        "can_change": can_change,
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`{{ groups|get_item:key }}`: a dictionary's value by a key held in a variable."""
    return mapping.get(key)
