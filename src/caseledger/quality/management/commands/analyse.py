"""`caseledger analyse`: the recording-quality assistant from the command line.

`caseledger analyse note --json` reads one note from standard input and prints
`{"findings": [{"code", "start", "end", "message", "suggestion"}]}` (issue 6; keep the
format). `--known-name NAME`, repeatable, names the case's known people. Empty input prints
`{"findings": []}`. Without `--json` each finding is printed on a line of its own.

`caseledger analyse --evaluate` runs the assistant over the labelled sets in `tests/quality/`
and prints precision and recall for each code: the development set (`evaluation.jsonl`, sources
in `SOURCES.md`) first, then each held-out set written blind to the analyser
(`holdout-N.jsonl`, described in `HOLDOUT-N.md`). `--set PATH` measures one set only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseledger.config import BASE_DIR
from caseledger.domain.quality import AnalyserConfig, analyse
from caseledger.domain.quality.evaluation import evaluate, format_report, load_examples

SETS = BASE_DIR / "tests" / "quality"
EVALUATION_SET = SETS / "evaluation.jsonl"


class Command(BaseCommand):
    help = (
        "note: read a case note from standard input and print the recording assistant's "
        "findings (--json: as one JSON object). --evaluate: precision and recall of each "
        "finding code on the labelled evaluation set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", nargs="?", choices=["note"], help="what to analyse")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--known-name",
            action="append",
            default=[],
            metavar="NAME",
            help="a person known to the case (repeatable): their name is not a finding",
        )
        parser.add_argument(
            "--evaluate", action="store_true", help="measure the assistant on the evaluation set"
        )
        parser.add_argument(
            "--set",
            type=Path,
            default=None,
            metavar="PATH",
            help="--evaluate: one labelled set to use (JSON lines); by default every set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["evaluate"]:
            self._evaluate(options["set"], as_json=options["json"])
            return
        if options["target"] != "note":
            raise CommandError("Say what to analyse: caseledger analyse note --json < note.txt")
        text = sys.stdin.read()
        config = AnalyserConfig(known_names=tuple(options["known_name"]))
        findings = analyse(text, config)
        if options["json"]:
            payload = {"findings": [finding.as_json() for finding in findings]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for finding in findings:
            self.stdout.write(
                f"{finding.code}\t{finding.start}-{finding.end}\t{finding.message}"
                + (f"\tSuggestion: {finding.suggestion}" if finding.suggestion else "")
            )

    def _evaluate(self, path: Path | None, *, as_json: bool) -> None:
        paths = (
            [path] if path is not None else [EVALUATION_SET, *sorted(SETS.glob("holdout-*.jsonl"))]
        )
        missing = [each for each in paths if not each.is_file()]
        if missing:
            raise CommandError(f"There is no evaluation set at {missing[0]}")
        results = {}
        for each in paths:
            examples = load_examples(each)
            results[each.name] = evaluate(examples)
            if not as_json:
                kind = "development set" if each == EVALUATION_SET else "held-out set"
                self.stdout.write(f"{each.name} ({kind}, {len(examples)} notes)")
                self.stdout.write(format_report(results[each.name]))
                self.stdout.write("")
        if as_json:
            self.stdout.write(json.dumps(results))
