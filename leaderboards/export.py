"""Snapshot downloads as CSV and JSON, in the shape of `manage.py fit_leaderboard --json`.

CSV rules:

- UTF-8 with a byte order mark, so spreadsheet programs detect the encoding.
- Lines that start with "# " carry the snapshot's facts and the rule below. The header and
  every data line start with a double quote, because text cells are always quoted (and the
  first column is text), so a reader can skip the comment lines safely.
- A text cell that begins with =, +, -, @, a tab or a carriage return gets a single quote
  (') in front, so that spreadsheets show it as text instead of running it as a formula.
  Numbers are written as numbers, so -12.4 stays -12.4.
- Timestamps are ISO 8601 with an explicit UTC offset.
"""

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from leaderboards.models import Snapshot
from leaderboards.services.fit import VERDICT_LEADERBOARD, StandingRow

EXPORT_COLUMNS = (
    "model",
    "rating",
    "ci_lower",
    "ci_upper",
    "rank",
    "component",
    "judgments",
    "wins",
    "losses",
    "ties",
    "win_rate",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_RULE = (
    "Text cells that begin with =, +, -, @, a tab or a carriage return start with an added "
    "single quote (') so that spreadsheets do not run them as formulas."
)


def spreadsheet_text(text: str) -> str:
    """Return the text with a leading single quote if a spreadsheet could read a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _timestamp(value: datetime) -> str:
    return value.isoformat()


def snapshot_facts(snapshot: Snapshot) -> dict[str, Any]:
    """Return the public facts of a snapshot, which leave out who published it."""
    return {
        "version": snapshot.version,
        "published_at": _timestamp(snapshot.published_at),
        "fitted_at": _timestamp(snapshot.fitted_at),
        "note": snapshot.note,
        "judgment_count": snapshot.judgment_count,
        "judgment_ids_sha256": snapshot.judgment_ids_sha256,
        "seed": snapshot.seed,
        "bootstrap_rounds": snapshot.bootstrap_rounds,
        "code_version": snapshot.code_version,
        "affected_at": _timestamp(snapshot.affected_at) if snapshot.affected_at else None,
    }


def snapshot_export_payload(
    snapshot: Snapshot, leaderboards: dict[str, list[StandingRow]]
) -> dict[str, Any]:
    """Return the JSON export: the command's shape, plus the snapshot's facts and dimensions."""
    return {
        "domain": snapshot.domain.slug,
        "models": [asdict(row) for row in leaderboards.get(VERDICT_LEADERBOARD, [])],
        "warnings": list(snapshot.warnings),
        "snapshot": snapshot_facts(snapshot),
        "dimensions": [
            {
                "key": dimension["key"],
                "label": dimension["label"],
                "models": [asdict(row) for row in leaderboards.get(dimension["key"], [])],
            }
            for dimension in snapshot.dimensions
        ],
    }


def snapshot_export_json(payload: dict[str, Any]) -> bytes:
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _comment(label: str, value: object) -> str:
    text = " ".join(str(value).split())
    return f"# {label}: {text}\r\n"


def snapshot_export_csv(snapshot: Snapshot, rows: list[StandingRow], dimension: str) -> bytes:
    """Return one leaderboard of the snapshot as CSV ('' for the verdict, else a dimension)."""
    facts = snapshot_facts(snapshot)
    buffer = io.StringIO()
    buffer.write(_comment("domain", snapshot.domain.slug))
    buffer.write(_comment("leaderboard", dimension or "overall verdict"))
    for key in ("version", "published_at", "fitted_at", "judgment_count", "judgment_ids_sha256"):
        buffer.write(_comment(key, facts[key]))
    for key in ("seed", "bootstrap_rounds", "code_version"):
        buffer.write(_comment(key, facts[key]))
    buffer.write(_comment("text cells", NEUTRALISING_RULE))
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        values = asdict(row)
        writer.writerow(
            [
                spreadsheet_text(values[column])
                if isinstance(values[column], str)
                else values[column]
                for column in EXPORT_COLUMNS
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
