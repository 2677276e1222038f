"""`caseledger checkpoint --output FILE`: sign every chain's length and head into a file.

The file is the anchor that lets `caseledger verify --checkpoint FILE` catch a chain cut short or
rebuilt (research/security-reliability.md §1.5, §2.16). Keep it, and the key, where whoever can
write to the database cannot: another machine, write-once storage, a printed copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseledger.ledger import checkpoint as checkpoints
from caseledger.ledger.verify import default_jobs, verify


class Command(BaseCommand):
    help = (
        "Verify every chain, then write a checkpoint of each case chain's and the audit chain's "
        "length and head hash to FILE as JSON, signed with HMAC-SHA256 using the key in "
        "CASELEDGER_CHECKPOINT_KEY (or the file CASELEDGER_CHECKPOINT_KEY_FILE names). The file "
        "is written atomically with mode 0600, and an audit event records its SHA-256. Exits 2 "
        "when no key is set, 1 (writing nothing) when a chain is already broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, metavar="FILE", help="where to write the checkpoint"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            metavar="N",
            help=f"worker processes for verifying (default {default_jobs()})",
        )

    def handle(self, *args: Any, output: str, jobs: int, **options: Any) -> None:
        try:
            signing_key = checkpoints.key()
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error), returncode=2) from error
        # A checkpoint vouches for what it signs: never sign chains that are already broken.
        report = verify(jobs=jobs)
        if not report.ok:
            for line in report.lines():
                self.stdout.write(line)
            self.stderr.write("No checkpoint written: the chains above are broken.")
            raise SystemExit(1)
        try:
            written = checkpoints.write(report, Path(output), signing_key=signing_key)
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(written.summary())
