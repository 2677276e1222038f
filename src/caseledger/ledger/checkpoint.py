"""Signed checkpoints of every chain's length and head, kept outside the database.

A hash chain shows that rows were changed, removed, inserted or reordered, but not that rows
were cut off its end, nor that someone with write access rebuilt it with fresh hashes
(research/security-reliability.md §1.5, measured in §2.16: 0 of 200 caught without an anchor,
200 of 200 with one). A checkpoint is that anchor: the length and head hash of each case chain
and of the audit chain, at one moment, in a file outside the database, signed with an
HMAC-SHA256 key (`domain.chain.sign`) that the database does not hold. Whoever can rewrite the
tables can neither make the chains match an older checkpoint again nor sign a new one.

The key comes from the environment (CASELEDGER_CHECKPOINT_KEY or CASELEDGER_CHECKPOINT_KEY_FILE,
`config.py`); it is never stored in the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.chain import identifier, sign, signature_matches
from caseledger.ledger.verify import ChainHead, Expected, Report

FORMAT = "caseledger-checkpoint/1"
ALGORITHM = "HMAC-SHA256"
# RFC 2104: a key shorter than the hash's output (32 bytes) weakens the HMAC.
MIN_KEY_BYTES = 32
KEY_HELP = (
    "set CASELEDGER_CHECKPOINT_KEY (or CASELEDGER_CHECKPOINT_KEY_FILE) to a secret of at least "
    f"{MIN_KEY_BYTES} characters kept outside the database, for example the output of "
    "`python -c 'import secrets; print(secrets.token_hex(32))'`"
)


class CheckpointError(Exception):
    """The checkpoint cannot be written or read at all (no key, no file): the operator's to fix,
    not evidence about the chains."""


def key() -> bytes:
    """The signing key from the environment; refuses a missing or short one."""
    value: bytes | None = getattr(settings, "CASELEDGER_CHECKPOINT_KEY", None)
    if not value:
        raise CheckpointError(f"No checkpoint key: {KEY_HELP}")
    if len(value) < MIN_KEY_BYTES:
        raise CheckpointError(f"The checkpoint key is too short: {KEY_HELP}")
    return value


def payload(report: Report, *, written_at: datetime) -> dict[str, Any]:
    """What a checkpoint records, before it is signed. Case chains are keyed by case id."""
    return {
        "format": FORMAT,
        "algorithm": ALGORITHM,
        "written_at": written_at.astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        "entries": report.entries,
        "audit": {"length": report.audit_head.length, "head": report.audit_head.head},
        "cases": {
            _dashed(case_key): {"length": head.length, "head": head.head}
            for case_key, head in sorted(report.case_heads.items())
        },
    }


def signed(report: Report, *, signing_key: bytes, written_at: datetime) -> dict[str, Any]:
    body = payload(report, written_at=written_at)
    return {**body, "signature": sign(signing_key, body)}


@dataclass(frozen=True)
class Written:
    path: Path
    sha256: str
    cases: int
    entries: int
    audit_events: int

    def summary(self) -> str:
        return (
            f"Checkpoint written to {self.path}: {self.cases} case chains "
            f"({self.entries} ledger entries) and {self.audit_events} audit events, "
            f"SHA-256 {self.sha256}"
        )


def write(report: Report, path: Path, *, signing_key: bytes) -> Written:
    """Write the signed checkpoint atomically (a temporary file in the same folder, flushed to
    disk, then renamed over the target) with mode 0600, and record that it was written.

    A reader never sees half a checkpoint, and a crash leaves the old one in place. The audit
    event names the counts and the file's SHA-256, so the file can later be matched to the
    event; it is recorded in the same transaction as the rename, so a failure to record it
    leaves no new file behind.
    """
    document = signed(report, signing_key=signing_key, written_at=datetime.now(UTC))
    content = (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    digest = hashlib.sha256(content).hexdigest()
    target = path.expanduser().resolve()
    if target.is_dir():
        raise CheckpointError(f"{path} is a folder; name the checkpoint file")
    if not target.parent.is_dir():
        raise CheckpointError(f"There is no folder {target.parent}")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        with transaction.atomic():
            record_event(
                actor=None,
                action=Action.CHECKPOINT_WRITTEN,
                detail={
                    "cases": report.cases,
                    "entries": report.entries,
                    "audit_events": report.audit_events,
                    "sha256": digest,
                },
            )
            os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return Written(target, digest, report.cases, report.entries, report.audit_events)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: the directory entry is the folder's data)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read(path: Path, *, signing_key: bytes) -> Expected:
    """What a checkpoint file recorded. A file that cannot be opened is the operator's problem
    (CheckpointError); one that opens but is malformed, unsigned or signed wrongly is evidence,
    reported as a problem with the checkpoint and, where its contents can still be read,
    compared anyway."""
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"Cannot read the checkpoint {path}: {error}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return _unreadable(f"{path} is not JSON ({error.msg} at line {error.lineno})")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return _unreadable(f"{path} is not a Caseledger checkpoint ({FORMAT})")
    body = {name: value for name, value in document.items() if name != "signature"}
    signature = document.get("signature")
    problems: list[str] = []
    if not isinstance(signature, str) or not signature:
        problems.append("it is not signed")
    elif not signature_matches(signing_key, body, signature):
        problems.append(
            "its signature does not match: it was changed after it was written, "
            "or signed with another key"
        )
    try:
        recorded = document["cases"]
        if not isinstance(recorded, dict):
            raise TypeError("cases")
        cases = {str(identifier(case_id)): _head(value) for case_id, value in recorded.items()}
        audit = _head(document["audit"])
    except (KeyError, TypeError, ValueError):
        return _unreadable(f"{path} does not hold the chains in the expected form", *problems)
    return Expected(
        cases=cases,
        audit=audit,
        written_at=str(document.get("written_at", "")),
        problems=tuple(problems),
    )


def _head(value: Any) -> ChainHead:
    if not isinstance(value, dict):
        raise TypeError("a chain is recorded as {length, head}")
    length, head = value["length"], value["head"]
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        raise ValueError("length")
    if not isinstance(head, str):
        raise ValueError("head")
    return ChainHead(length, head)


def _unreadable(reason: str, *others: str) -> Expected:
    """Nothing to compare against: still verify the chains, and say why the file is no use."""
    return Expected(cases={}, audit=ChainHead(0, ""), problems=(*others, reason))


def _dashed(case_key: str) -> str:
    try:
        return str(uuid.UUID(case_key))
    except ValueError:
        return case_key
