"""Importing the real MT-bench folder."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotation.import_file import ImportFileInvalid
from annotation.models import Comparison, Judgment, Prompt, Response
from annotation.services.mtbench_import import mtbench_import_folder
from experts.models import Domain, ExpertProfile

pytestmark = pytest.mark.django_db

CATEGORIES = [
    "coding",
    "extraction",
    "humanities",
    "math",
    "reasoning",
    "roleplay",
    "stem",
    "writing",
]
JUDGED_MODELS = {
    "alpaca-13b",
    "claude-v1",
    "gpt-3.5-turbo",
    "gpt-4",
    "llama-13b",
    "vicuna-13b-v1.2",
}


def test_import_loads_all_judgments_into_category_domains(mtbench_dir: Path) -> None:
    result = mtbench_import_folder(folder=mtbench_dir)

    overall = Domain.objects.get(slug="mt-bench")
    assert result.is_new
    assert Judgment.objects.count() == 1689
    assert sorted(overall.children.values_list("slug", flat=True)) == [
        f"mt-bench-{category}" for category in CATEGORIES
    ]
    assert Prompt.objects.count() == 80
    assert Response.objects.filter(prompt__external_id="81").count() == 33
    assert (
        set(Judgment.objects.values_list("model_a__name", flat=True).distinct())
        | set(Judgment.objects.values_list("model_b__name", flat=True).distinct())
        == JUDGED_MODELS
    )


def test_judgments_sit_in_their_question_category(mtbench_dir: Path) -> None:
    mtbench_import_folder(folder=mtbench_dir)

    judgment = Judgment.objects.select_related("comparison__prompt", "domain").get(source_line=1)
    assert judgment.source_question_id == "81"
    assert judgment.domain.slug == "mt-bench-writing"
    assert judgment.comparison is not None
    assert judgment.comparison.prompt.external_id == "81"
    assert judgment.comparison.response_a.model.name == "alpaca-13b"
    assert judgment.comparison.response_b.model.name == "gpt-3.5-turbo"
    assert judgment.judge == "author_2"
    for category in CATEGORIES:
        domain = Domain.objects.get(slug=f"mt-bench-{category}")
        assert Prompt.objects.filter(domain=domain).count() == 10


def test_answer_files_name_the_models(mtbench_dir: Path) -> None:
    mtbench_import_folder(folder=mtbench_dir)

    assert Response.objects.filter(model__name="vicuna-13b-v1.3").count() == 80
    assert not Response.objects.filter(model__name="vicuna-13b-hao-0515").exists()


def test_second_import_stores_nothing(mtbench_dir: Path) -> None:
    first = mtbench_import_folder(folder=mtbench_dir)
    counts = (Judgment.objects.count(), Comparison.objects.count(), Response.objects.count())

    second = mtbench_import_folder(folder=mtbench_dir)

    assert not second.is_new
    assert second.judgment_import == first.judgment_import
    assert (
        Judgment.objects.count(),
        Comparison.objects.count(),
        Response.objects.count(),
    ) == counts


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import_mtbench", str(tmp_path / "absent"))

    assert str(caught.value).startswith(
        f"MT-bench folder {tmp_path / 'absent'} is missing or incomplete"
    )


def test_bad_judgment_line_stores_nothing(mtbench_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "mt_bench"
    shutil.copytree(mtbench_dir, copy)
    judgments = copy / "human_judgments_turn1.jsonl"
    rows = judgments.read_text(encoding="utf-8").splitlines()
    rows[9] = rows[9].replace('"question_id": ', '"question_id": 9999')
    judgments.write_text("\n".join(rows) + "\n", encoding="utf-8")

    with pytest.raises(ImportFileInvalid) as caught:
        mtbench_import_folder(folder=copy)

    assert caught.value.problems[0].line == 10
    assert "is not in question.jsonl" in caught.value.problems[0].problem
    assert Judgment.objects.count() == 0
    assert Prompt.objects.count() == 0
    assert Domain.objects.count() == 0


def test_judges_map_to_imported_expert_profiles(mtbench_dir: Path) -> None:
    mtbench_import_folder(folder=mtbench_dir)

    judgment = Judgment.objects.select_related("expert__user").get(source_line=1)
    assert judgment.expert is not None
    assert judgment.expert.external_id == "author_2"
    assert judgment.expert.is_imported is True
    assert judgment.expert.user.is_active is False
    assert judgment.expert.user.has_usable_password() is False
    assert ExpertProfile.objects.filter(is_imported=True).count() == 65
    assert not Judgment.objects.filter(expert__isnull=True).exists()
