"""Importing battle files: all or nothing, repeats kept, the same content only once."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotation.import_file import ImportFileInvalid
from annotation.models import EvaluatedModel, Judgment, JudgmentImport, Verdict
from annotation.services.judgment_import import (
    PROGRESS_THRESHOLD,
    JudgmentFileAlreadyImported,
    judgments_import_file,
)
from experts.models import Domain
from experts.services.domain import DomainSlugInvalid

pytestmark = pytest.mark.django_db

GOOD_LINES = [
    '{"model_a": "m1", "model_b": "m2", "winner": "model_a", "judge": "j1", "question_id": 5}',
    '{"model_a": "m1", "model_b": "m2", "winner": "model_a", "judge": "j1", "question_id": 5}',
    '{"model_a": "m2", "model_b": "m3", "winner": "tie (bothbad)", "tstamp": 1700000000}',
]


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_stores_every_line_with_its_source(tmp_path: Path) -> None:
    path = write(tmp_path, "battles.jsonl", GOOD_LINES)

    record = judgments_import_file(path=path, domain_slug="coding")

    stored = list(Judgment.objects.order_by("source_line"))
    assert record.judgment_count == 3
    assert [item.source_line for item in stored] == [1, 2, 3]
    assert [item.verdict for item in stored] == [
        Verdict.A_BETTER,
        Verdict.A_BETTER,
        Verdict.BOTH_BAD,
    ]
    assert {item.source_import_id for item in stored} == {record.pk}
    assert stored[0].source_question_id == "5"
    assert stored[0].judge == "j1"
    assert stored[2].judged_at is not None
    assert Domain.objects.get(slug="coding").judgments.count() == 3
    assert sorted(EvaluatedModel.objects.values_list("name", flat=True)) == ["m1", "m2", "m3"]


def test_bad_file_stores_nothing(tmp_path: Path) -> None:
    rows = [*GOOD_LINES, '{"model_a": "m9", "model_b": "m9", "winner": "tie"}']
    path = write(tmp_path, "bad.jsonl", rows)

    with pytest.raises(ImportFileInvalid) as caught:
        judgments_import_file(path=path, domain_slug="new-domain")

    assert [item.line for item in caught.value.problems] == [4]
    assert Judgment.objects.count() == 0
    assert JudgmentImport.objects.count() == 0
    assert not Domain.objects.filter(slug="new-domain").exists()
    assert not EvaluatedModel.objects.exists()


def test_same_content_twice_stores_nothing_new(tmp_path: Path) -> None:
    first = write(tmp_path, "battles.jsonl", GOOD_LINES)
    copy = write(tmp_path, "renamed.jsonl", GOOD_LINES)
    record = judgments_import_file(path=first, domain_slug="coding")

    with pytest.raises(JudgmentFileAlreadyImported) as caught:
        judgments_import_file(path=copy, domain_slug="coding")

    assert Judgment.objects.count() == 3
    assert caught.value.earlier == record
    assert caught.value.message == (
        f"renamed.jsonl has the same content as battles.jsonl, imported into domain 'coding' "
        f"on {record.imported_at.isoformat()} (import {record.pk}); nothing was stored. "
        "Import a different file, or choose another domain."
    )


def test_same_content_into_another_domain_is_stored(tmp_path: Path) -> None:
    path = write(tmp_path, "battles.jsonl", GOOD_LINES)
    judgments_import_file(path=path, domain_slug="coding")

    judgments_import_file(path=path, domain_slug="math")

    assert Judgment.objects.filter(domain__slug="math").count() == 3
    assert Judgment.objects.count() == 6


def test_invalid_domain_slug_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "battles.jsonl", GOOD_LINES)

    with pytest.raises(DomainSlugInvalid) as caught:
        judgments_import_file(path=path, domain_slug="my domain")

    assert "Domain name 'my domain' is not a valid slug" in caught.value.message
    assert Judgment.objects.count() == 0


def test_command_reports_bad_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.jsonl", ['{"model_a": "m1", "model_b": "m2", "winner": "won"}'])

    with pytest.raises(CommandError) as caught:
        call_command("import_judgments", str(path), "--domain", "coding")

    assert "line 1: unknown winner 'won'" in str(caught.value)
    assert Judgment.objects.count() == 0


def test_command_says_when_content_was_imported(tmp_path: Path) -> None:
    path = write(tmp_path, "battles.jsonl", GOOD_LINES)
    call_command("import_judgments", str(path), "--domain", "coding", stdout=io.StringIO())
    output = io.StringIO()

    call_command("import_judgments", str(path), "--domain", "coding", stdout=output)

    record = JudgmentImport.objects.get()
    assert f"on {record.imported_at.isoformat()}" in output.getvalue()
    assert Judgment.objects.count() == 3


def test_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import_judgments", str(tmp_path / "nope.jsonl"), "--domain", "coding")

    assert str(caught.value).startswith(f"Cannot read {tmp_path / 'nope.jsonl'}: No such file")


def test_long_import_shows_progress_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ['{"model_a": "m1", "model_b": "m2", "winner": "model_b"}'] * PROGRESS_THRESHOLD
    path = write(tmp_path, "long.jsonl", rows)

    call_command("import_judgments", str(path), "--domain", "coding")

    captured = capsys.readouterr()
    assert "storing" in captured.err
    assert f"{PROGRESS_THRESHOLD}/{PROGRESS_THRESHOLD}" in captured.err
    assert Judgment.objects.count() == PROGRESS_THRESHOLD
