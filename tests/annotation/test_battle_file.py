"""Parsing of battle files: every bad line is reported, by number, with what was wrong."""

from datetime import UTC, datetime

import pytest

from annotation.battle_file import parse_judgment_text
from annotation.import_file import ImportFileInvalid
from annotation.models import Verdict
from seal_platform.errors import InvalidInput


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def test_jsonl_parses_every_field() -> None:
    text = lines(
        '{"model_a": "m1", "model_b": "m2", "winner": "model_a", "question_id": 7, '
        '"judge": "expert_3", "tstamp": 1700000000.5}',
        '{"model_a": "m2", "model_b": "m1", "winner": "tie (bothbad)"}',
    )

    parsed = parse_judgment_text(text, file_name="battles.jsonl")

    assert [item.line for item in parsed] == [1, 2]
    assert parsed[0].verdict == Verdict.A_BETTER
    assert parsed[0].question_id == "7"
    assert parsed[0].judge == "expert_3"
    assert parsed[0].judged_at == datetime.fromtimestamp(1700000000.5, tz=UTC)
    assert parsed[1].verdict == Verdict.BOTH_BAD
    assert parsed[1].judged_at is None


@pytest.mark.parametrize(
    ("winner", "verdict"),
    [
        ("model_a", Verdict.A_BETTER),
        ("model_b", Verdict.B_BETTER),
        ("tie", Verdict.TIE),
        ("tie (bothbad)", Verdict.BOTH_BAD),
    ],
)
def test_each_winner_label_maps_to_a_verdict(winner: str, verdict: Verdict) -> None:
    text = f'{{"model_a": "m1", "model_b": "m2", "winner": "{winner}"}}'

    parsed = parse_judgment_text(text, file_name="one.jsonl")

    assert parsed[0].verdict == verdict


def test_json_array_items_keep_their_line_numbers() -> None:
    text = (
        "[\n"
        '  {"model_a": "m1", "model_b": "m2", "winner": "model_b"},\n'
        "\n"
        '  {"model_a": "m1",\n'
        '   "model_b": "m3", "winner": "tie"}\n'
        "]\n"
    )

    parsed = parse_judgment_text(text, file_name="battles.json")

    assert [item.line for item in parsed] == [2, 4]
    assert [item.model_b for item in parsed] == ["m2", "m3"]


def test_every_bad_line_is_listed_with_its_problem() -> None:
    text = lines(
        '{"model_a": "m1", "model_b": "m2", "winner": "model_a"}',
        '{"model_a": "m1", "model_b": "m2", "winner": "draw"}',
        '{"model_a": "m1", "winner": "model_a"}',
        '{"model_a": "m1", "model_b": "m1", "winner": "tie"}',
        '{"model_a": "m1", "model_b": "m2", "winner": ',
        '["not", "an", "object"]',
        '{"model_a": "m1", "model_b": "m2", "winner": "tie", "tstamp": "2024-01-02T03:04:05"}',
    )

    with pytest.raises(ImportFileInvalid) as caught:
        parse_judgment_text(text, file_name="bad.jsonl")

    problems = {item.line: item.problem for item in caught.value.problems}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7]
    assert problems[2] == (
        "unknown winner 'draw'; expected one of model_a, model_b, tie, tie (bothbad)"
    )
    assert problems[3] == "missing key 'model_b'"
    assert problems[4] == "model 'm1' is judged against itself"
    assert problems[5].startswith("malformed JSON (Expecting value")
    assert problems[6] == "expected a JSON object, found list"
    assert problems[7] == (
        "tstamp '2024-01-02T03:04:05' has no UTC offset; add one, such as +00:00"
    )
    assert caught.value.message.startswith(
        "bad.jsonl was rejected and nothing was stored: 6 bad lines."
    )
    assert "  line 2: unknown winner 'draw'" in caught.value.message


def test_malformed_array_reports_the_line_of_the_error() -> None:
    text = '[\n  {"model_a": "m1", "model_b": "m2", "winner": "tie"},\n  {"model_a": }\n]'

    with pytest.raises(ImportFileInvalid) as caught:
        parse_judgment_text(text, file_name="broken.json")

    assert [item.line for item in caught.value.problems] == [3]
    assert caught.value.problems[0].problem.startswith("malformed JSON (Expecting value")


def test_missing_comma_in_array_is_reported() -> None:
    text = '[{"model_a": "m1", "model_b": "m2", "winner": "tie"}\n{"model_a": "m1"}]'

    with pytest.raises(ImportFileInvalid) as caught:
        parse_judgment_text(text, file_name="broken.json")

    assert caught.value.problems[0].line == 2
    assert caught.value.problems[0].problem == "expected ',' or ']' after an array item"


def test_long_problem_lists_are_cut_with_a_count() -> None:
    text = lines(*['{"model_a": "m1", "model_b": "m2", "winner": "x"}'] * 250)

    with pytest.raises(ImportFileInvalid) as caught:
        parse_judgment_text(text, file_name="many.jsonl")

    assert len(caught.value.problems) == 250
    assert "... and 50 more bad lines (the first 200 are listed)" in caught.value.message


def test_empty_file_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_judgment_text("\n\n", file_name="empty.jsonl")

    assert caught.value.message == (
        "empty.jsonl holds no judgments. Give a JSON array or JSON Lines file with one object "
        "per judgment."
    )


def test_iso_timestamp_with_offset_is_accepted() -> None:
    text = (
        '{"model_a": "m1", "model_b": "m2", "winner": "tie", "tstamp": "2024-05-01T10:00:00+02:00"}'
    )

    parsed = parse_judgment_text(text, file_name="t.jsonl")

    assert parsed[0].judged_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
