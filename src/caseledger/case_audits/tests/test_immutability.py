"""A completed audit is an audited record: the database refuses to change it (migration 0002).

Every attempt here goes around the services (`QuerySet.update()`, `delete()`, raw SQL), as
a bug or a hand at a database prompt would, and is refused by a trigger on SQLite and
PostgreSQL alike; after each, the rows are exactly as they were. The one change allowed is
recording an open action as done. Each attempt runs in its own savepoint so that on
PostgreSQL the test's transaction carries on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from caseledger.case_audits.models import AuditAction, AuditAnswer, CaseAudit
from caseledger.case_audits.tests.factories import add_action, completed_audit, start_audit

pytestmark = pytest.mark.django_db

AUDIT = "a completed case audit cannot be"
ANSWERS = "the answers of a completed case audit cannot be changed"
ACTIONS = "the actions of a completed case audit cannot be changed"
STAMPS = "who audited which case, how it was sampled and when is fixed"


def refused_by_the_database(attempt: Callable[[], Any], message: str) -> None:
    with pytest.raises(IntegrityError, match=re.escape(message)), transaction.atomic():
        attempt()


def db_id(value: Any) -> Any:
    """A UUID as this database's raw cursor takes it (SQLite: 32 hex digits)."""
    return CaseAudit._meta.pk.get_db_prep_value(value, connection)


def execute(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rows(model: type[models.Model], column: str, value: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {model._meta.db_table} WHERE {column} = %s ORDER BY id",
            [db_id(value)],
        )
        return list(cursor.fetchall())


@pytest.fixture
def completed(manager, worker, kayden_case):
    """A completed audit with one open action for the worker; checks nothing moved after."""
    audit = completed_audit(manager, kayden_case, worker=worker)
    before = (
        rows(CaseAudit, "id", audit.pk),
        rows(AuditAnswer, "audit_id", audit.pk),
        rows(AuditAction, "audit_id", audit.pk),
    )
    yield audit
    after = (
        rows(CaseAudit, "id", audit.pk),
        rows(AuditAnswer, "audit_id", audit.pk),
        rows(AuditAction, "audit_id", audit.pk),
    )
    assert after == before


def test_raw_sql_update_of_a_completed_audit_is_refused(completed):
    refused_by_the_database(
        lambda: execute(
            "UPDATE case_audits_caseaudit SET overall_grade = 'outstanding' WHERE id = %s",
            [db_id(completed.pk)],
        ),
        AUDIT,
    )


def test_reopening_a_completed_audit_is_refused(completed):
    refused_by_the_database(
        lambda: CaseAudit.objects.filter(pk=completed.pk).update(
            completed_at=None, completed_by=None, overall_grade="", summary=""
        ),
        AUDIT,
    )


def test_deleting_a_completed_audit_is_refused(completed):
    refused_by_the_database(
        lambda: execute("DELETE FROM case_audits_caseaudit WHERE id = %s", [db_id(completed.pk)]),
        AUDIT,
    )


def test_regrading_an_answer_of_a_completed_audit_is_refused(completed):
    refused_by_the_database(
        lambda: AuditAnswer.objects.filter(audit=completed).update(grade="outstanding"),
        ANSWERS,
    )


def test_rewording_a_question_copied_into_a_completed_audit_is_refused(completed):
    refused_by_the_database(
        lambda: execute(
            "UPDATE case_audits_auditanswer SET question_text = 'Easier' WHERE audit_id = %s",
            [db_id(completed.pk)],
        ),
        ANSWERS,
    )


def test_deleting_an_answer_of_a_completed_audit_is_refused(completed):
    refused_by_the_database(lambda: AuditAnswer.objects.filter(audit=completed).delete(), ANSWERS)


def test_adding_an_answer_to_a_completed_audit_is_refused(completed):
    answer = completed.answers.first()
    refused_by_the_database(
        lambda: AuditAnswer.objects.create(
            audit=completed, question_id=answer.question_id, question_text="Extra", position=99
        ),
        ANSWERS,
    )


def test_adding_an_action_to_a_completed_audit_is_refused(completed, worker, manager):
    refused_by_the_database(
        lambda: AuditAction.objects.create(
            audit=completed,
            worker=worker,
            description="Late addition",
            due_on=timezone.localdate(),
            created_by=manager,
        ),
        ACTIONS,
    )


@pytest.mark.parametrize(
    "changes",
    [{"description": "Something easier"}, {"due_on": "2099-01-01"}, {"worker": None}],
    ids=["description", "due_on", "worker"],
)
def test_changing_an_action_of_a_completed_audit_is_refused(completed, colleague, changes):
    if "worker" in changes:
        changes = {"worker": colleague}
    refused_by_the_database(
        lambda: AuditAction.objects.filter(audit=completed).update(**changes), ACTIONS
    )


def test_deleting_an_action_of_a_completed_audit_is_refused(completed):
    refused_by_the_database(lambda: AuditAction.objects.filter(audit=completed).delete(), ACTIONS)


def test_recording_an_action_as_done_is_the_one_change_allowed(manager, worker, kayden_case):
    audit = completed_audit(manager, kayden_case, worker=worker)
    done_at = timezone.now()
    AuditAction.objects.filter(audit=audit).update(completed_at=done_at, completed_by=worker)
    action = AuditAction.objects.get(audit=audit)
    assert action.completed_at == done_at
    # Once done, it stays done: not undone, not re-stamped.
    refused_by_the_database(
        lambda: AuditAction.objects.filter(pk=action.pk).update(
            completed_at=None, completed_by=None
        ),
        ACTIONS,
    )
    refused_by_the_database(
        lambda: AuditAction.objects.filter(pk=action.pk).update(completed_at=timezone.now()),
        ACTIONS,
    )


def test_an_audit_in_progress_can_be_graded_and_its_actions_changed(manager, worker, kayden_case):
    audit = start_audit(manager, kayden_case)
    action = add_action(manager, audit, worker)
    AuditAnswer.objects.filter(audit=audit).update(
        grade="good", graded_at=timezone.now(), graded_by=manager
    )
    AuditAction.objects.filter(pk=action.pk).update(description="Reworded")
    assert AuditAction.objects.get(pk=action.pk).description == "Reworded"


def test_who_audited_which_case_and_when_is_fixed_while_in_progress(
    manager, org_admin, kayden_case, noah_case
):
    audit = start_audit(manager, kayden_case)
    for changes in (
        {"case": noah_case},
        {"auditor": org_admin},
        {"started_at": timezone.now()},
        {"sampling": "random"},
    ):
        refused_by_the_database(
            partial(CaseAudit.objects.filter(pk=audit.pk).update, **changes), STAMPS
        )


def test_only_the_worker_is_recorded_as_doing_an_audit_action(
    manager, worker, colleague, kayden_case
):
    """Migration 0003: a raw UPDATE cannot credit an action to someone it was not for."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from caseledger.case_audits.models import AuditAction
    from caseledger.case_audits.tests.factories import completed_audit

    audit = completed_audit(manager, kayden_case, worker)
    action = audit.actions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditAction.objects.filter(pk=action.pk).update(
            completed_at=timezone.now(), completed_by=colleague
        )
    AuditAction.objects.filter(pk=action.pk).update(
        completed_at=timezone.now(), completed_by=worker
    )
    assert AuditAction.objects.get(pk=action.pk).completed_by == worker
