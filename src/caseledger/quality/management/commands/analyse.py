"""`caseledger analyse`: the recording-quality assistant from the command line.

`caseledger analyse note --json` reads one note from standard input and prints
`{"findings": [{"code", "start", "end", "message", "suggestion"}]}` (issue 6; keep the
format). `--known-name NAME`, repeatable, names the case's known people. Empty input prints
`{"findings": []}`. Without `--json` each finding is printed on a line of its own.

`caseledger analyse provision --json` reads one EHC plan provision statement from standard input
and prints `{"flags": [{"code", "start", "end", "message", "missing"}]}`, `missing` naming
which of what, frequency, duration and provider it leaves out (issue 7; keep the format).
`caseledger analyse ehcp --json FILE [--status draft|final] [--report FILE …]` reads a plan
(PDF, Word or text) and prints `{"sections": {"A": …, "K": …}, "flags": [{"code", "section",
"text", "message"}]}`; reports give the professional recommendations to look for in Section F.
`caseledger analyse provision --evaluate` measures the provision flags on
`tests/ehcp/provision.jsonl`.

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
from caseledger.domain.ehcp import analyse_file, flag_provision
from caseledger.domain.ehcp import evaluation as provision_evaluation
from caseledger.domain.ehcp.plan import PlanUnreadableError
from caseledger.domain.quality import AnalyserConfig, analyse
from caseledger.domain.quality.evaluation import evaluate, format_report, load_examples

SETS = BASE_DIR / "tests" / "quality"
EVALUATION_SET = SETS / "evaluation.jsonl"
PROVISION_SET = BASE_DIR / "tests" / "ehcp" / "provision.jsonl"


class Command(BaseCommand):
    help = (
        "note: read a case note from standard input and print the recording assistant's "
        "findings (--json: as one JSON object). --evaluate: precision and recall of each "
        "finding code on the labelled evaluation set."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # `analyse ehcp --json FILE`: the file may come after the options, which argparse only
        # allows for a second positional when it parses them intermixed.
        parser.parse_args = parser.parse_intermixed_args  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", nargs="?", choices=["note", "provision", "ehcp"], help="what to analyse"
        )
        parser.add_argument("file", nargs="?", type=Path, help="ehcp: the plan (PDF, DOCX, text)")
        parser.add_argument(
            "--status",
            choices=["draft", "final"],
            default="final",
            help="ehcp: whether the plan is a draft or final (default final)",
        )
        parser.add_argument(
            "--report",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help="ehcp: a professional's report (text) whose recommendations Section F must meet",
        )
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
        target = options["target"]
        if options["evaluate"]:
            if target == "provision":
                self._evaluate_provision(options["set"] or PROVISION_SET)
                return
            self._evaluate(options["set"], as_json=options["json"])
            return
        if target == "provision":
            flags = flag_provision(sys.stdin.read())
            payload = {"flags": [flag.as_json() for flag in flags]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if target == "ehcp":
            self._ehcp(options["file"], status=options["status"], reports=options["report"])
            return
        if target != "note":
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

    def _ehcp(self, path: Path | None, *, status: str, reports: list[Path]) -> None:
        if path is None:
            raise CommandError("Name the plan: caseledger analyse ehcp --json plan.pdf")
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        missing = next((report for report in reports if not report.is_file()), None)
        if missing is not None:
            raise CommandError(f"There is no report at {missing}")
        texts = [report.read_text(encoding="utf-8", errors="replace") for report in reports]
        try:
            result = analyse_file(
                path, status="draft" if status == "draft" else "final", reports=texts
            )
        except PlanUnreadableError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _evaluate_provision(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"There is no evaluation set at {path}")
        self.stdout.write(
            provision_evaluation.format_report(
                provision_evaluation.evaluate(provision_evaluation.load_statements(path))
            )
        )
