"""Parse judgment files in the Chatbot Arena battle format.

A file is a JSON array or JSON Lines, one object per judgment with `model_a`, `model_b` and
`winner` (`model_a`, `model_b`, `tie` or `tie (bothbad)`), and optionally `question_id`,
`judge` and `tstamp` (Unix seconds or an ISO 8601 time with an offset). Parsing collects every
bad line before failing, so one error lists all of them, and the caller stores nothing.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from annotation.import_file import ImportFileInvalid, LineProblem
from seal_platform.errors import InvalidInput
from seal_platform.verdict import Verdict

WINNER_VERDICTS = {
    "model_a": Verdict.A_BETTER,
    "model_b": Verdict.B_BETTER,
    "tie": Verdict.TIE,
    "tie (bothbad)": Verdict.BOTH_BAD,
}
REQUIRED_KEYS = ("model_a", "model_b", "winner")


@dataclass(frozen=True)
class ParsedJudgment:
    line: int
    model_a: str
    model_b: str
    verdict: str
    question_id: str
    judge: str
    judged_at: datetime | None


def _json_items(text: str) -> Iterator[tuple[int, Any] | LineProblem]:
    """Yield (line number, decoded value) per item, or a LineProblem where JSON is malformed.

    A JSON array is decoded item by item so that each item keeps the line it starts on. After
    malformed JSON in an array nothing further can be located, so decoding stops there.
    """
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _json_array_items(text)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield LineProblem(number, f"malformed JSON ({error.msg} at column {error.colno})")


def _json_array_items(text: str) -> Iterator[tuple[int, Any] | LineProblem]:
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    length = len(text)

    def skip_space(at: int) -> int:
        while at < length and text[at] in " \t\r\n":
            at += 1
        return at

    def line_of(at: int) -> int:
        return text.count("\n", 0, at) + 1

    position = skip_space(position)
    if position < length and text[position] == "]":
        return
    while True:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield LineProblem(error.lineno, f"malformed JSON ({error.msg} at column {error.colno})")
            return
        yield line_of(position), value
        position = skip_space(end)
        if position < length and text[position] == ",":
            position = skip_space(position + 1)
            continue
        if position < length and text[position] == "]":
            if skip_space(position + 1) < length:
                yield LineProblem(line_of(position), "text after the closing ']' of the array")
            return
        yield LineProblem(line_of(position), "expected ',' or ']' after an array item")
        return


def _parse_timestamp(value: Any) -> datetime:
    if isinstance(value, bool):
        raise ValueError(f"tstamp {value!r} is not a time; use Unix seconds or ISO 8601")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"tstamp {value!r} has no UTC offset; add one, such as +00:00")
        return parsed
    raise ValueError(f"tstamp {value!r} is not a time; use Unix seconds or ISO 8601")


def _optional_text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{key} {value!r} must be a string or an integer")


def parse_judgment_item(line: int, item: Any) -> ParsedJudgment:
    """Check one decoded item; raise ValueError with a message naming the bad value."""
    if not isinstance(item, dict):
        raise ValueError(f"expected a JSON object, found {type(item).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in item]
    if missing:
        raise ValueError("missing key " + ", ".join(repr(key) for key in missing))
    for key in ("model_a", "model_b"):
        if not isinstance(item[key], str) or not item[key].strip():
            raise ValueError(f"{key} {item[key]!r} must be a non-empty model name")
    if item["model_a"] == item["model_b"]:
        raise ValueError(f"model {item['model_a']!r} is judged against itself")
    winner = item["winner"]
    if not isinstance(winner, str) or winner not in WINNER_VERDICTS:
        expected = ", ".join(WINNER_VERDICTS)
        raise ValueError(f"unknown winner {winner!r}; expected one of {expected}")

    judged_at = None
    if item.get("tstamp") is not None:
        judged_at = _parse_timestamp(item["tstamp"])

    return ParsedJudgment(
        line=line,
        model_a=item["model_a"].strip(),
        model_b=item["model_b"].strip(),
        verdict=WINNER_VERDICTS[winner],
        question_id=_optional_text(item, "question_id"),
        judge=_optional_text(item, "judge"),
        judged_at=judged_at,
    )


def parse_judgment_text(text: str, *, file_name: str) -> list[ParsedJudgment]:
    """Parse a whole file; raise ImportFileInvalid listing every bad line, or an empty file."""
    judgments: list[ParsedJudgment] = []
    problems: list[LineProblem] = []
    for entry in _json_items(text):
        if isinstance(entry, LineProblem):
            problems.append(entry)
            continue
        line, item = entry
        try:
            judgments.append(parse_judgment_item(line, item))
        except (ValueError, OverflowError, OSError) as error:
            problems.append(LineProblem(line, str(error)))

    if problems:
        raise ImportFileInvalid(file_name, problems)
    if not judgments:
        raise InvalidInput(
            f"{file_name} holds no judgments. Give a JSON array or JSON Lines file with one "
            "object per judgment."
        )
    return judgments
