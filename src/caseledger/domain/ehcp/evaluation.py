"""Measure the provision analyser against labelled statements (tests/ehcp/provision.jsonl).

Each line is `{"id", "source", "text", "vague": bool, "missing": [...] optional}`. A statement
counts as flagged when `flag_provision` raises any flag on it. The issue's targets: at least
90% of vague statements flagged (recall) and at most 10% of specific ones (false-positive
rate). Where a vague statement is labelled with what it leaves out, the analyser's `missing`
list is compared with the label. Pure Python: no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from caseledger.domain.ehcp.provision import COMPONENTS, flag_provision


@dataclass(frozen=True)
class Statement:
    id: str
    source: str
    text: str
    vague: bool
    missing: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Evaluation:
    vague_total: int
    vague_flagged: int
    specific_total: int
    specific_flagged: int
    missing_labelled: int
    missing_agreed: int
    # Statement ids the analyser got wrong: vague ones it passed, specific ones it flagged.
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.vague_flagged / self.vague_total if self.vague_total else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.specific_flagged / self.specific_total if self.specific_total else 0.0

    @property
    def accuracy(self) -> float:
        total = self.vague_total + self.specific_total
        right = self.vague_flagged + (self.specific_total - self.specific_flagged)
        return right / total if total else 1.0

    @property
    def missing_agreement(self) -> float:
        return self.missing_agreed / self.missing_labelled if self.missing_labelled else 1.0


def load_statements(path: str | Path) -> list[Statement]:
    statements: list[Statement] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        missing = record.get("missing")
        if missing is not None and not set(missing) <= set(COMPONENTS):
            raise ValueError(f"line {number}: missing must be drawn from {COMPONENTS}")
        statements.append(
            Statement(
                id=record["id"],
                source=record["source"],
                text=record["text"],
                vague=bool(record["vague"]),
                missing=None if missing is None else tuple(missing),
            )
        )
    return statements


def evaluate(statements: list[Statement]) -> Evaluation:
    vague_flagged = specific_flagged = labelled = agreed = 0
    missed: list[str] = []
    false_alarms: list[str] = []
    for statement in statements:
        flags = flag_provision(statement.text)
        if statement.vague:
            if flags:
                vague_flagged += 1
            else:
                missed.append(statement.id)
        elif flags:
            specific_flagged += 1
            false_alarms.append(statement.id)
        if statement.missing is not None:
            labelled += 1
            found = next((flag.missing for flag in flags if flag.code == "unquantified"), ())
            agreed += set(found) == set(statement.missing)
    return Evaluation(
        vague_total=sum(statement.vague for statement in statements),
        vague_flagged=vague_flagged,
        specific_total=sum(not statement.vague for statement in statements),
        specific_flagged=specific_flagged,
        missing_labelled=labelled,
        missing_agreed=agreed,
        missed=tuple(missed),
        false_alarms=tuple(false_alarms),
    )


def format_report(result: Evaluation) -> str:
    return "\n".join(
        [
            f"vague statements flagged (recall): {result.recall:.1%} "
            f"({result.vague_flagged}/{result.vague_total})",
            f"specific statements flagged (false-positive rate): "
            f"{result.false_positive_rate:.1%} ({result.specific_flagged}/{result.specific_total})",
            f"accuracy: {result.accuracy:.1%}",
            f"missing lists matching the label: {result.missing_agreement:.1%} "
            f"({result.missing_agreed}/{result.missing_labelled})",
            f"vague but not flagged: {', '.join(result.missed) or 'none'}",
            f"specific but flagged: {', '.join(result.false_alarms) or 'none'}",
        ]
    )
