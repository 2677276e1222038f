"""`caseledger checkpoint`: a signed record of every chain's length and head, outside the database.

What makes it evidence (research/security-reliability.md §1.5, §2.16): the key is never in the
database, the file cannot be changed without the signature failing, it is written whole or not at
all, readable by its owner only, and its writing is itself in the audit trail.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from caseledger.audit.models import Action, AuditEvent
from caseledger.config import CaseledgerSettings
from caseledger.domain.chain import sign, signature_matches
from caseledger.ledger.models import Entry, EntryStatus
from caseledger.ledger.verify import verify

pytestmark = pytest.mark.django_db

KEY = b"a-checkpoint-key-for-tests-only-0123456789"


@pytest.fixture
def keyed(settings):
    settings.CASELEDGER_CHECKPOINT_KEY = KEY
    return settings


def checkpoint(path: Path) -> str:
    out = io.StringIO()
    call_command("checkpoint", "--output", str(path), stdout=out)
    return out.getvalue()


def verify_against(path: Path) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify", "--checkpoint", str(path), stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_checkpoint_records_every_chain_and_is_signed(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    report = verify()
    output = checkpoint(path)
    document = json.loads(path.read_text())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert output == (
        f"Checkpoint written to {path}: {report.cases} case chains ({report.entries} ledger "
        f"entries) and {report.audit_events} audit events, SHA-256 {digest}\n"
    )
    assert document["format"] == "caseledger-checkpoint/1"
    assert document["algorithm"] == "HMAC-SHA256"
    assert document["entries"] == report.entries
    assert document["audit"] == {
        "length": report.audit_head.length,
        "head": report.audit_head.head,
    }
    last: dict[str, tuple[int, str]] = {}
    finals = Entry.objects.filter(status=EntryStatus.FINAL)
    for case_id, sequence, entry_hash in finals.values_list("case_id", "sequence", "entry_hash"):
        assert sequence is not None
        if sequence >= last.get(str(case_id), (0, ""))[0]:
            last[str(case_id)] = (sequence, entry_hash)
    assert last
    assert {
        case_id: (value["length"], value["head"]) for case_id, value in document["cases"].items()
    } == last
    body = {name: value for name, value in document.items() if name != "signature"}
    assert signature_matches(KEY, body, document["signature"])


def test_the_file_is_private_and_written_whole(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    path.write_text("an older checkpoint")
    checkpoint(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["format"] == "caseledger-checkpoint/1"
    assert [item.name for item in tmp_path.iterdir()] == ["checkpoint.json"]  # no temp file left


def test_writing_it_is_audited_with_the_files_hash(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    report = verify()
    checkpoint(path)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.action == Action.CHECKPOINT_WRITTEN
    assert event.actor_id is None
    assert event.detail == {
        "cases": report.cases,
        "entries": report.entries,
        "audit_events": report.audit_events,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    assert str(tmp_path) not in json.dumps(event.detail)
    # The event itself is a valid link, after the checkpoint's last one.
    assert event.sequence == report.audit_events + 1
    assert verify().ok


def test_a_fresh_checkpoint_holds(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(path)
    code, output = verify_against(path)
    written_at = json.loads(path.read_text())["written_at"]
    assert code == 0
    assert output.endswith(f", and the checkpoint of {written_at} holds\n")


def test_no_key_is_refused_and_nothing_is_written(settings, tmp_path):
    settings.CASELEDGER_CHECKPOINT_KEY = None
    path = tmp_path / "checkpoint.json"
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError) as refused:
        checkpoint(path)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("No checkpoint key: set CASELEDGER_CHECKPOINT_KEY")
    assert "\n" not in str(refused.value)
    assert not path.exists()
    assert AuditEvent.objects.count() == events


def test_a_short_key_is_refused(settings, tmp_path):
    settings.CASELEDGER_CHECKPOINT_KEY = b"too short"
    with pytest.raises(CommandError) as refused:
        checkpoint(tmp_path / "checkpoint.json")
    assert refused.value.returncode == 2
    assert "too short" in str(refused.value)


def test_broken_chains_are_never_signed(keyed, tmp_path):
    entry = Entry.objects.filter(status=EntryStatus.FINAL).order_by("case_id", "sequence").first()
    assert entry is not None, "the demo record holds final entries"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER ledger_entry_final_no_update")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_entry DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE ledger_entry SET title = 'rewritten' WHERE id = %s",
            [Entry._meta.pk.get_db_prep_value(entry.pk, connection)],
        )
    path = tmp_path / "checkpoint.json"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("checkpoint", "--output", str(path), stdout=out, stderr=io.StringIO())
    assert exit_.value.code == 1
    assert out.getvalue().startswith("BROKEN: case ")
    assert not path.exists()


def test_a_missing_folder_is_the_operators_problem(keyed, tmp_path):
    with pytest.raises(CommandError) as refused:
        checkpoint(tmp_path / "no" / "such" / "folder" / "checkpoint.json")
    assert refused.value.returncode == 2


# --- A checkpoint that was tampered with ------------------------------------------------------


def test_a_changed_checkpoint_fails_its_signature(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(path)
    document = json.loads(path.read_text())
    document["audit"]["length"] -= 1  # hide a truncation
    path.write_text(json.dumps(document))
    code, output = verify_against(path)
    assert code == 1
    # The signature first; the altered figures are still compared, and do not match either.
    assert output.splitlines() == [
        "BROKEN: checkpoint: its signature does not match: it was changed after it was "
        "written, or signed with another key",
        f"BROKEN: audit event {document['audit']['length']}: its hash is not the one the "
        "checkpoint recorded (the chain was rewritten)",
    ]


def test_a_checkpoint_signed_with_another_key_fails(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(path)
    keyed.CASELEDGER_CHECKPOINT_KEY = b"another-key-entirely-0123456789abcdef"
    code, output = verify_against(path)
    assert code == 1
    assert output.startswith("BROKEN: checkpoint: its signature does not match")


def test_a_forger_without_the_key_cannot_re_sign(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(path)
    document = json.loads(path.read_text())
    document["audit"]["length"] -= 1
    body = {name: value for name, value in document.items() if name != "signature"}
    document["signature"] = sign(b"the forger's own key, not ours at all", body)
    path.write_text(json.dumps(document))
    code, output = verify_against(path)
    assert code == 1
    assert "its signature does not match" in output


def test_an_unsigned_checkpoint_is_a_problem(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(path)
    document = json.loads(path.read_text())
    del document["signature"]
    path.write_text(json.dumps(document))
    code, output = verify_against(path)
    assert code == 1
    assert output.splitlines() == ["BROKEN: checkpoint: it is not signed"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json at all", "is not JSON"),
        ('{"format": "something else"}', "is not a Caseledger checkpoint"),
        (
            '{"format": "caseledger-checkpoint/1", "cases": [], "signature": "00"}',
            "does not hold the chains in the expected form",
        ),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_a_problem(keyed, tmp_path, content, reason):
    path = tmp_path / "checkpoint.json"
    path.write_text(content)
    code, output = verify_against(path)
    assert code == 1
    assert output.startswith("BROKEN: checkpoint: ")
    assert reason in output


def test_verify_json_reports_checkpoint_problems(keyed, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(path)
    document = json.loads(path.read_text())
    del document["signature"]
    path.write_text(json.dumps(document))
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify", "--json", "--checkpoint", str(path), stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is False
    assert result["problems"] == [
        {
            "chain": "checkpoint",
            "case_id": None,
            "case": None,
            "link": None,
            "entry_id": None,
            "message": "checkpoint: it is not signed",
        }
    ]


# --- Where the key comes from ---------------------------------------------------------------


def test_the_key_comes_from_the_environment_or_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv("CASELEDGER_CHECKPOINT_KEY", raising=False)
    monkeypatch.delenv("CASELEDGER_CHECKPOINT_KEY_FILE", raising=False)
    assert CaseledgerSettings(_env_file=None).resolved_checkpoint_key() is None  # type: ignore[call-arg]
    monkeypatch.setenv("CASELEDGER_CHECKPOINT_KEY", "from-the-environment")
    config = CaseledgerSettings(_env_file=None)  # type: ignore[call-arg]
    assert config.resolved_checkpoint_key() == b"from-the-environment"
    assert "from-the-environment" not in repr(config)
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file\n")
    monkeypatch.setenv("CASELEDGER_CHECKPOINT_KEY_FILE", str(key_file))
    assert CaseledgerSettings(_env_file=None).resolved_checkpoint_key() == b"from-a-file"  # type: ignore[call-arg]
