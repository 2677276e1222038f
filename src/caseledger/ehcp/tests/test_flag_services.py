"""Flags on a confirmed plan version: worked out by the analyser, decided by the family, each
decision kept (the latest stands) and audited, and the database keeping every decision."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, connection, transaction

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.demo.data import DEMO_DRAFT_PLAN
from caseledger.domain.ehcp import PlanFlag, analyse_plan
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.models import FlagDecision, PlanFlagDecision, PlanKind, PlanVersion
from caseledger.ehcp.services import (
    FlagState,
    confirm_plan_sections,
    decide_flag,
    flag_key,
    plan_flags,
    plan_versions,
    reason_and_standard,
)
from caseledger.ehcp.tests.factories import poppy_case
from caseledger.ehcp.tests.test_plan_services import typed

pytestmark = pytest.mark.django_db


def demo_draft(case: Case) -> PlanVersion:
    (version,) = plan_versions(case)
    return version


def flag_in(version: PlanVersion, code: str, section: str) -> FlagState:
    return next(
        state
        for state in plan_flags(version)
        if (state.flag.code, state.flag.section) == (code, section)
    )


def test_the_key_of_a_flag_is_the_same_for_the_same_code_section_and_passage() -> None:
    flag = PlanFlag("unquantified", "F", "Support as needed.", "Why. Code of Practice 9.69.")
    assert flag_key(flag) == flag_key(PlanFlag(*flag.as_json().values()))
    assert flag_key(flag) == flag_key(
        PlanFlag("unquantified", "F", "Support as needed.", "Worded differently")
    )
    assert flag_key(flag) != flag_key(PlanFlag("unquantified", "F", "Support daily.", ""))
    assert flag_key(flag) != flag_key(PlanFlag("vague_language", "F", "Support as needed.", ""))
    assert flag_key(flag) != flag_key(PlanFlag("unquantified", "E", "Support as needed.", ""))
    assert re.fullmatch(r"[0-9a-f]{64}", flag_key(flag))


def test_the_message_is_split_into_why_and_the_standard_it_applies() -> None:
    why, standard = reason_and_standard(
        "The provision does not say who delivers it (their role). Code of Practice 9.69: "
        "provision must be specific; L v Clarke [1998] ELR 129: so clear."
    )
    assert why == "The provision does not say who delivers it (their role)."
    assert standard.startswith("Code of Practice 9.69:") and standard.endswith("so clear.")
    assert reason_and_standard("No standard here. Nothing cited.") == (
        "No standard here. Nothing cited.",
        "",
    )


def test_the_demo_draft_has_the_analysers_flags_read_as_a_draft(
    freddie_family_case: Case,
) -> None:
    flags = plan_flags(demo_draft(freddie_family_case))
    expected = analyse_plan(DEMO_DRAFT_PLAN, status="draft")
    assert [state.flag for state in flags] == expected
    assert any(state.flag.code == "unquantified" for state in flags)
    # A draft leaves Section I blank: naming a school is flagged in a draft only.
    assert any(state.flag.section == "I" for state in flags)
    unquantified = flag_in(demo_draft(freddie_family_case), "unquantified", "F")
    assert unquantified.standard.startswith("Code of Practice 9.69")
    assert unquantified.decision is None


def test_a_final_plan_is_read_as_final_and_an_unconfirmed_one_has_no_flags(
    parent: User,
) -> None:
    version = typed(parent, poppy_case(), PlanKind.FINAL)
    assert plan_flags(version) == []
    version = confirm_plan_sections(actor=parent, version=version, sections=DEMO_DRAFT_PLAN)
    flags = [state.flag for state in plan_flags(version)]
    assert flags == analyse_plan(DEMO_DRAFT_PLAN, status="final")
    assert not any(flag.section == "I" for flag in flags)  # a final plan names the school


def test_the_family_dismisses_a_flag_with_a_reason_and_it_is_audited(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    state = flag_in(version, "unquantified", "F")
    decision = decide_flag(
        actor=parent,
        version=version,
        flag_key=state.key,
        decision=FlagDecision.DISMISS,
        reason="  The school's SENCo delivers it.\r\n  ",
    )
    assert (decision.code, decision.section, decision.number) == ("unquantified", "F", 1)
    assert decision.reason == "The school's SENCo delivers it."
    standing = flag_in(version, "unquantified", "F").decision
    assert standing is not None and standing.pk == decision.pk
    event = AuditEvent.objects.get(action=Action.PLAN_FLAG_DISMISSED, object_id=str(decision.id))
    assert event.case_id == freddie_family_case.id
    assert event.detail["flag_key"] == state.key
    assert event.detail["supersedes"] is None
    assert "SENCo" not in str(event.detail)


def test_a_later_decision_supersedes_an_earlier_one_which_stays_on_record(
    parent: User, other_parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    state = flag_in(version, "unquantified", "F")
    first = decide_flag(
        actor=parent, version=version, flag_key=state.key, decision="dismiss", reason="Fine"
    )
    second = decide_flag(
        actor=parent, version=version, flag_key=state.key, decision="confirm", reason=""
    )
    assert second.number == 2
    standing = flag_in(version, "unquantified", "F").decision
    assert standing is not None and standing.pk == second.pk
    assert standing.decision == FlagDecision.CONFIRM
    assert list(PlanFlagDecision.objects.filter(flag_key=state.key)) == [first, second]
    event = AuditEvent.objects.get(action=Action.PLAN_FLAG_CONFIRMED, object_id=str(second.id))
    assert event.detail["supersedes"] == str(first.id)
    assert event.changes["decision"] == {"old": "Dismiss", "new": "Confirm"}
    # Other flags are untouched.
    others = [s for s in plan_flags(version) if s.key != state.key]
    assert others and all(other.decision is None for other in others)


def test_a_dismissal_needs_a_reason_and_a_decision_must_be_one_of_the_two(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    key = plan_flags(version)[0].key
    with pytest.raises(DomainError, match="Enter why you are dismissing the flag"):
        decide_flag(actor=parent, version=version, flag_key=key, decision="dismiss", reason=" ")
    with pytest.raises(DomainError, match="Select whether you confirm or dismiss the flag"):
        decide_flag(actor=parent, version=version, flag_key=key, decision="ignore", reason="")
    with pytest.raises(DomainError, match="2000 characters or fewer"):
        decide_flag(
            actor=parent, version=version, flag_key=key, decision="confirm", reason="x" * 2001
        )
    assert not PlanFlagDecision.objects.exists()


def test_a_key_that_is_not_one_of_the_versions_current_flags_is_refused(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    stale = flag_key(PlanFlag("unquantified", "F", "Text no longer in the plan.", ""))
    with pytest.raises(DomainError, match="not one of the plan version's current flags"):
        decide_flag(actor=parent, version=version, flag_key=stale, decision="confirm", reason="")
    unconfirmed = typed(parent, freddie_family_case, PlanKind.FINAL, days=0)
    key = plan_flags(version)[0].key
    with pytest.raises(DomainError):
        decide_flag(actor=parent, version=unconfirmed, flag_key=key, decision="confirm", reason="")
    assert not PlanFlagDecision.objects.exists()


@pytest.mark.parametrize("persona", ["advocate", "outsider", "other_parent", "worker"])
def test_only_the_family_that_works_on_the_case_decides(
    persona: str, request: pytest.FixtureRequest, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    key = plan_flags(version)[0].key
    with pytest.raises(NotPermittedError):
        decide_flag(
            actor=request.getfixturevalue(persona),
            version=version,
            flag_key=key,
            decision="confirm",
            reason="",
        )
    assert not PlanFlagDecision.objects.exists()


def test_the_database_refuses_to_change_or_delete_a_decision(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    key = plan_flags(version)[0].key
    decision = decide_flag(
        actor=parent, version=version, flag_key=key, decision="dismiss", reason="Kept"
    )
    rows = PlanFlagDecision.objects.filter(pk=decision.pk)

    def refused(attempt: object) -> None:
        assert callable(attempt)
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            attempt()

    refused(lambda: rows.update(reason="Edited"))
    refused(lambda: rows.delete())
    db_id = PlanFlagDecision._meta.pk.get_db_prep_value(decision.pk, connection)

    def raw(statement: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, [db_id])

    refused(lambda: raw("UPDATE ehcp_planflagdecision SET decision = 'confirm' WHERE id = %s"))
    refused(lambda: raw("DELETE FROM ehcp_planflagdecision WHERE id = %s"))
    decision.refresh_from_db()
    assert (decision.decision, decision.reason) == ("dismiss", "Kept")
