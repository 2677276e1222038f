"""`caseledger search_index`: build the search index again from the record.

For a database written before search existed, or restored from a backup. `--if-empty` does
nothing when the index already holds rows (what `make run` uses at start).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caseledger.ledger.models import Entry, EntryStatus
from caseledger.search.indexing import rebuild_index
from caseledger.search.models import SearchEntry


class Command(BaseCommand):
    help = "Build the search index again from every final entry and current document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only when the index is empty and there are records to index",
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and (
            SearchEntry.objects.exists()
            or not Entry.objects.filter(status=EntryStatus.FINAL).exists()
        ):
            return
        written = rebuild_index(progress=self.stderr.write)
        self.stdout.write(f"Search index built: {written} rows")
