"""Evaluation of the enrichment against a hand-labelled gold file (``dashboard evaluate``).

This module owns the scoring rules of ``../shared/devset/README.md``, so the project's figures
are computed one way everywhere (the CLI, the tests, a notebook):

* Parties: per item, a predicted party matches a labelled one when both have the same home
  country and one of the predicted party's gazetteer names (name, abbreviation, native name,
  alias) equals one of the label's ``names`` after accent folding, case folding, dropping a
  leading "the" and dropping everything but letters and digits. Each label matches at most one
  prediction. A matched communist, non-inferred label is a true positive; an unmatched one a
  false negative; a prediction matching no label a false positive (a match to a non-communist or
  inferred label counts neither way).
* Party home countries and countries mentioned: sets of ISO-3 codes per item, summed over items
  (micro-averaged).

Gold items are JSON objects with ``id``, ``text``, ``language``, ``source_url``, ``parties``,
``party_countries`` and ``mentioned_countries`` (the dev set's format). ``evaluate`` runs
``enrich`` once over all items and returns an ``Evaluation`` with the counts overall and per
language and every miss and false hit, which ``format_report`` prints as plain text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer, load_gazetteer

METRICS: tuple[str, ...] = ("parties", "party_countries", "countries")
METRIC_LABELS: dict[str, str] = {
    "parties": "parties",
    "party_countries": "party home countries",
    "countries": "countries mentioned",
}
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def fold_name(name: str) -> str:
    """A name compared the dev-set way: accents and case folded, leading "the" and all but
    letters and digits dropped ("The Communist Party of Türkiye" -> "communistpartyofturkiye")."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
    if plain.startswith("the "):
        plain = plain[4:]
    return _NOT_ALNUM.sub("", plain)


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Error:
    """One miss (``kind="miss"``) or false hit (``kind="false"``) of one metric in one item."""

    item: str
    language: str
    metric: str
    kind: str
    value: str
    text: str


@dataclass
class Evaluation:
    """Counts per metric overall and per language, items per language, and every error."""

    overall: dict[str, Counts] = field(default_factory=lambda: {m: Counts() for m in METRICS})
    by_language: dict[str, dict[str, Counts]] = field(default_factory=dict)
    items_by_language: dict[str, int] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(self.items_by_language.values())

    def f1(self, metric: str, language: str | None = None) -> float:
        """F1 of a metric overall, or in one language."""
        counts = self.overall if language is None else self.by_language[language]
        return counts[metric].f1


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold items from a JSON Lines file (the dev set's format); errors name the line."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError("no such gold file", where=str(path), hint="Check the path")
    items: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise DatasetError(
                    f"not JSON ({err.msg})",
                    where=f"{path}, line {line_no}",
                    hint="One JSON object per line",
                ) from err
            if not isinstance(item, dict) or "text" not in item:
                raise DatasetError(
                    "the item has no text",
                    where=f"{path}, line {line_no}",
                    hint='Each line needs at least {"id": ..., "text": ...}',
                )
            item.setdefault("id", f"line {line_no}")
            items.append(item)
    return items


def gold_frame(items: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The statements of gold items as a raw frame for ``enrich`` (text, url, language)."""
    return pd.DataFrame(
        {
            "id": [str(i.get("id", "")) for i in items],
            "title": [""] * len(items),
            "text": [str(i.get("text") or "") for i in items],
            "url": [str(i.get("source_url") or i.get("url") or "") for i in items],
            "language": [str(i.get("language") or "") for i in items],
        }
    )


def _party_names(gazetteer: Gazetteer) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for pattern, pid in zip(gazetteer.patterns["pattern"], gazetteer.patterns["id"], strict=True):
        names.setdefault(pid, set()).add(fold_name(pattern))
    for pid, name in gazetteer.name_of.items():
        names.setdefault(pid, set()).add(fold_name(name))
    return names


def score_parties(
    predicted: Iterable[str],
    labels: Sequence[dict[str, Any]],
    gazetteer: Gazetteer,
    names_of: dict[str, set[str]] | None = None,
) -> tuple[Counts, list[str], list[str]]:
    """Counts for one item, the labels missed (their last name) and the false party ids."""
    names_of = names_of if names_of is not None else _party_names(gazetteer)
    label_names = [{fold_name(n) for n in label.get("names", [])} for label in labels]
    used = [False] * len(labels)
    counts, false_hits = Counts(), []
    for pid in predicted:
        country, names = gazetteer.country_of.get(pid, ""), names_of.get(pid, set())
        hit = next(
            (
                i
                for i, label in enumerate(labels)
                if not used[i] and label.get("country") == country and names & label_names[i]
            ),
            None,
        )
        if hit is None:
            counts.fp += 1
            false_hits.append(pid)
            continue
        used[hit] = True
        if labels[hit].get("communist", True) and not labels[hit].get("inferred", False):
            counts.tp += 1
    missed = []
    for i, label in enumerate(labels):
        counted = label.get("communist", True) and not label.get("inferred", False)
        if counted and not used[i]:
            counts.fn += 1
            missed.append(f"{label.get('country', '?')} {(label.get('names') or ['?'])[-1]}")
    return counts, missed, false_hits


def score_sets(predicted: Iterable[str], gold: Iterable[str]) -> Counts:
    """Micro counts of two ISO-3 sets."""
    p, g = set(predicted), set(gold)
    return Counts(tp=len(p & g), fp=len(p - g), fn=len(g - p))


def evaluate(
    items: Sequence[dict[str, Any]],
    *,
    gazetteer: Gazetteer | None = None,
    enriched: pd.DataFrame | None = None,
) -> Evaluation:
    """Enrich the gold items' texts and score them (``enriched`` reuses an earlier run)."""
    from dashboard.enrich import enrich

    gazetteer = gazetteer or load_gazetteer()
    if enriched is None:
        enriched = enrich(gold_frame(items), gazetteer=gazetteer)
    names_of = _party_names(gazetteer)
    result = Evaluation()
    for item, parties, home, countries in zip(
        items,
        enriched["parties"],
        enriched["party_countries"],
        enriched["countries"],
        strict=True,
    ):
        language = str(item.get("language") or "")
        item_id, text = str(item.get("id", "")), " ".join(str(item.get("text", "")).split())
        per_lang = result.by_language.setdefault(language, {m: Counts() for m in METRICS})
        result.items_by_language[language] = result.items_by_language.get(language, 0) + 1
        party_counts, missed, false_hits = score_parties(
            parties, item.get("parties", []), gazetteer, names_of
        )
        label = gazetteer.label
        found = {
            "parties": (party_counts, missed, [label(p) for p in false_hits]),
        }
        for metric, predicted, gold in (
            ("party_countries", home, item.get("party_countries", [])),
            ("countries", countries, item.get("mentioned_countries", [])),
        ):
            counts = score_sets(predicted, gold)
            found[metric] = (
                counts,
                sorted(set(gold) - set(predicted)),
                sorted(set(predicted) - set(gold)),
            )
        for metric, (counts, misses, falses) in found.items():
            result.overall[metric].add(counts)
            per_lang[metric].add(counts)
            for kind, values in (("miss", misses), ("false", falses)):
                result.errors.extend(
                    Error(item_id, language, metric, kind, v, text) for v in values
                )
    return result


def format_table(result: Evaluation, *, min_items: int = 1) -> str:
    """Overall and per-language P/R/F1 of each metric as a fixed-width text table."""
    head = f"{'language':<9}{'items':>6}"
    for metric in METRICS:
        head += f" | {METRIC_LABELS[metric][:20]:^20}"
    sub = f"{'':<15}" + " | P     R     F1   " * len(METRICS)
    lines = [head, sub, "-" * len(head)]

    def row(name: str, n: int, counts: dict[str, Counts]) -> str:
        cells = "".join(
            f" | {c.precision:.2f}  {c.recall:.2f}  {c.f1:.2f} "
            for c in (counts[m] for m in METRICS)
        )
        return f"{name:<9}{n:>6}{cells}"

    lines.append(row("all", result.items, result.overall))
    order = sorted(result.items_by_language, key=lambda k: (-result.items_by_language[k], k))
    for language in order:
        n = result.items_by_language[language]
        if n >= min_items:
            lines.append(row(language or "?", n, result.by_language[language]))
    return "\n".join(lines)


def format_errors(result: Evaluation, *, width: int = 100) -> str:
    """Every miss and false hit, grouped by metric, one line each with the item's text start."""
    lines: list[str] = []
    for metric in METRICS:
        for kind, title in (("miss", "missed"), ("false", "false hits")):
            errors = [e for e in result.errors if e.metric == metric and e.kind == kind]
            if not errors:
                continue
            lines.append(f"\n{METRIC_LABELS[metric]}, {title} ({len(errors)}):")
            for e in errors:
                snippet = e.text if len(e.text) <= width else e.text[: width - 3] + "..."
                lines.append(f"  {e.item:<7} {e.language:<3} {e.value:<40} {snippet}")
    return "\n".join(lines).lstrip("\n")


def format_report(result: Evaluation, *, errors: bool = True) -> str:
    """The table, then (when ``errors``) every miss and false hit."""
    text = format_table(result)
    if errors and result.errors:
        text += "\n\n" + format_errors(result)
    return text
