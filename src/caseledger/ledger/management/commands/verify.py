"""`caseledger verify`: recompute every hash chain and say whether the record is intact.

Run it nightly and before any export that is to be relied on (research/security-reliability.md
§1.5, §2.16). With `--checkpoint FILE` it also catches what a chain alone cannot: entries cut off
the end of a chain, and chains rebuilt by someone with write access to the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseledger.ledger import checkpoint as checkpoints
from caseledger.ledger.verify import default_jobs, verify


class Command(BaseCommand):
    help = (
        "Recompute every case's chain of final ledger entries and the audit chain. "
        "Prints 'OK: N ledger entries in C case chains and A audit events verified' and exits 0 "
        "when every link holds; otherwise prints one 'BROKEN: …' line per broken chain, the "
        "first broken link first, and exits 1. Exits 2 when it cannot run (no checkpoint key, "
        "checkpoint file unreadable). With --json it prints one JSON object instead: "
        '{"ok": bool, "entries": int, "audit_events": int, "problems": [...]}, each problem '
        '{"chain": "case" | "audit" | "checkpoint", "case_id": str | null, "case": case '
        'reference | null, "link": position in the chain (from 1) | null, "entry_id": str | '
        'null, "message": the text after "BROKEN: "}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            help=(
                "also check a checkpoint written by `caseledger checkpoint`: its signature (key "
                "from CASELEDGER_CHECKPOINT_KEY or CASELEDGER_CHECKPOINT_KEY_FILE), and that "
                "every chain it names is still at least as long and still has the same hash at "
                "that length"
            ),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            metavar="N",
            help=f"worker processes (default {default_jobs()}: one per CPU, at most four)",
        )

    def handle(self, *args: Any, checkpoint: str | None, jobs: int, **options: Any) -> None:
        expected = None
        if checkpoint:
            try:
                expected = checkpoints.read(Path(checkpoint), signing_key=checkpoints.key())
            except checkpoints.CheckpointError as error:
                raise CommandError(str(error), returncode=2) from error
        report = verify(expected=expected, jobs=jobs)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            for line in report.lines():
                self.stdout.write(line)
        if not report.ok:
            raise SystemExit(1)
