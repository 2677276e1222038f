"""Measure the analyser against a labelled set of case notes (tests/quality/evaluation.jsonl).

A finding is a true positive when it has a label's code and overlaps the label's quote (the
quote's first occurrence in the text); a finding that matches no label is a false positive;
a label no finding matches is a false negative. Pure Python: no Django.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from caseledger.domain.quality.analyser import analyse
from caseledger.domain.quality.findings import CODES, AnalyserConfig


@dataclass(frozen=True)
class Label:
    code: str
    quote: str


@dataclass(frozen=True)
class Example:
    id: str
    source: str
    text: str
    known_names: tuple[str, ...]
    labels: tuple[Label, ...]


def load_examples(path: str | Path) -> list[Example]:
    examples: list[Example] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        labels = tuple(Label(label["code"], label["quote"]) for label in record["labels"])
        for label in labels:
            if label.code not in CODES or label.quote not in record["text"]:
                raise ValueError(f"line {number}: label {label} does not fit its text")
        examples.append(
            Example(
                id=record["id"],
                source=record["source"],
                text=record["text"],
                known_names=tuple(record.get("known_names", ())),
                labels=labels,
            )
        )
    return examples


def default_config(example: Example) -> AnalyserConfig:
    return AnalyserConfig(known_names=example.known_names)


def evaluate(
    examples: list[Example],
    config_factory: Callable[[Example], AnalyserConfig] = default_config,
) -> dict[str, dict[str, float | int]]:
    """Per code: tp, fp, fn, precision and recall (1.0 when there is nothing to divide by)."""
    counts = {code: {"tp": 0, "fp": 0, "fn": 0} for code in CODES}
    for example in examples:
        findings = analyse(example.text, config_factory(example))
        matched: set[int] = set()
        for label in example.labels:
            start = example.text.find(label.quote)
            end = start + len(label.quote)
            hit = next(
                (
                    index
                    for index, finding in enumerate(findings)
                    if index not in matched
                    and finding.code == label.code
                    and finding.start < end
                    and start < finding.end
                ),
                None,
            )
            if hit is None:
                counts[label.code]["fn"] += 1
            else:
                matched.add(hit)
                counts[label.code]["tp"] += 1
        for index, finding in enumerate(findings):
            if index not in matched and finding.code in counts:
                counts[finding.code]["fp"] += 1
    results: dict[str, dict[str, float | int]] = {}
    for code, count in counts.items():
        tp, fp, fn = count["tp"], count["fp"], count["fn"]
        results[code] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }
    return results


def format_report(results: dict[str, dict[str, float | int]]) -> str:
    rows = [f"{'code':<18}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for code in CODES:
        row = results.get(code, {"tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0})
        rows.append(
            f"{code:<18}{row['precision']:>10.2f}{row['recall']:>8.2f}"
            f"{row['tp']:>6}{row['fp']:>6}{row['fn']:>6}"
        )
    return "\n".join(rows)
