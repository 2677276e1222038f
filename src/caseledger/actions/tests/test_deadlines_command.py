"""`caseledger deadlines`: the command-line contract (keep its format stable)."""

from __future__ import annotations

import json

import pytest

from caseledger.cli import main
from caseledger.domain.statutory_clock import RULES

# The command reads the one-off holidays an admin added (caseledger holidays).
pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(["deadlines", *argv])
    except SystemExit as stopped:
        code = int(stopped.code or 0)
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_lists_each_deadline_with_the_contracted_fields(capsys):
    code, out, _ = run(
        capsys, "--json", "ehc_request_received=2026-01-12", "decision_letter=2026-10-27"
    )
    assert code == 0
    rows = json.loads(out)
    assert {"rule", "milestone", "due", "day_kind", "citation"} <= set(rows[0])
    by_milestone = {row["milestone"]: row for row in rows}
    assert by_milestone["decision_to_assess"] == {
        "rule": "send-regs-5-1",
        "milestone": "decision_to_assess",
        "due": "2026-02-23",
        "day_kind": "weeks",
        "citation": "SEND Regulations 2014, reg 5(1)",
        "event": "ehc_request_received",
        "event_date": "2026-01-12",
        "description": by_milestone["decision_to_assess"]["description"],
    }
    # Ends 27 December: the next working day in January 2027.
    assert by_milestone["appeal_deadline"]["due"] == "2027-01-04"
    assert [row["due"] for row in rows] == sorted(row["due"] for row in rows)


def test_rules_lists_every_rule_with_its_citation(capsys):
    code, out, _ = run(capsys, "--rules")
    assert code == 0
    for rule in RULES:
        assert rule.id in out
        assert rule.citation in out
    code, out, _ = run(capsys, "--rules", "--json")
    assert [row["rule"] for row in json.loads(out)] == [rule.id for rule in RULES]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("nonsense=2026-01-01", "Unknown event 'nonsense'"),
        ("sar_received=2026-02-31", "is not a real date"),
        ("sar_received=31/01/2026", "is not a real date"),
        ("sar_received", "is not EVENT=YYYY-MM-DD"),
    ],
)
def test_bad_input_says_what_is_wrong_and_exits_2(capsys, argument, message):
    code, out, err = run(capsys, "--json", argument)
    assert code == 2
    assert message in err
    assert out == ""


def test_no_events_is_an_error(capsys):
    code, _, err = run(capsys, "--json")
    assert code == 2
    assert "EVENT=YYYY-MM-DD" in err
