"""`manage.py fit_leaderboard`: the table, the JSON object and its errors."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from annotation.models import Judgment
from experts.models import Domain
from leaderboards.models import Fit

JSON_KEYS = [
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
]


def run_json(*args: str) -> dict[str, Any]:
    output = io.StringIO()
    call_command("fit_leaderboard", *args, "--json", stdout=output)
    payload: dict[str, Any] = json.loads(output.getvalue())
    return payload


def write_battles(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "battles.jsonl"
    path.write_text(
        "".join(
            json.dumps({"model_a": a, "model_b": b, "winner": winner}) + "\n"
            for a, b, winner in rows
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_domain_json_has_the_documented_shape(mtbench_domain: Domain) -> None:
    payload = run_json("--domain", "mt-bench", "--bootstrap", "50", "--seed", "1")

    assert list(payload) == ["domain", "models", "warnings"]
    assert payload["domain"] == "mt-bench"
    assert payload["warnings"] == []
    assert [list(row) for row in payload["models"]] == [JSON_KEYS] * 6
    gpt4 = payload["models"][0]
    assert gpt4["model"] == "gpt-4"
    assert gpt4["rank"] == 1
    assert gpt4["component"] == 1
    assert gpt4["ci_lower"] < gpt4["rating"] < gpt4["ci_upper"]
    assert gpt4["win_rate"] == pytest.approx(
        (gpt4["wins"] + gpt4["ties"] / 2) / gpt4["judgments"], abs=1e-12
    )
    assert gpt4["wins"] + gpt4["losses"] + gpt4["ties"] == gpt4["judgments"]
    assert Fit.objects.count() == 1


@pytest.mark.django_db
def test_counts_match_the_stored_judgments(mtbench_domain: Domain) -> None:
    payload = run_json("--domain", "mt-bench", "--bootstrap", "0", "--seed", "1")

    gpt4 = payload["models"][0]
    as_a = Judgment.objects.filter(model_a__name="gpt-4")
    as_b = Judgment.objects.filter(model_b__name="gpt-4")
    wins = as_a.filter(verdict="a").count() + as_b.filter(verdict="b").count()
    ties = as_a.filter(verdict="tie").count() + as_b.filter(verdict="tie").count()
    assert gpt4["judgments"] == as_a.count() + as_b.count()
    assert gpt4["wins"] == wins
    assert gpt4["ties"] == ties


@pytest.mark.django_db
def test_zero_bootstrap_gives_null_bounds(mtbench_domain: Domain) -> None:
    payload = run_json("--domain", "mt-bench", "--bootstrap", "0", "--seed", "1")

    assert {row["ci_lower"] for row in payload["models"]} == {None}
    assert {row["ci_upper"] for row in payload["models"]} == {None}
    assert [row["rank"] for row in payload["models"]] == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_same_seed_prints_identical_json(mtbench_domain: Domain, tmp_path: Path) -> None:
    first = run_json("--domain", "mt-bench", "--bootstrap", "30", "--seed", "5")
    second = run_json("--domain", "mt-bench", "--bootstrap", "30", "--seed", "5")

    assert first == second


def test_file_fit_stores_nothing_and_reports_the_rule(tmp_path: Path) -> None:
    path = write_battles(
        tmp_path, [("a", "b", "model_a"), ("b", "c", "model_a"), ("a", "c", "model_a")]
    )

    payload = run_json("--file", str(path), "--bootstrap", "0", "--seed", "1")

    assert payload["domain"] is None
    assert [row["model"] for row in payload["models"]] == ["a", "b", "c"]
    assert len(payload["warnings"]) == 1
    assert "virtual tie" in payload["warnings"][0]


def test_file_fit_with_anchor_puts_the_model_at_the_rating(tmp_path: Path) -> None:
    path = write_battles(
        tmp_path, [("a", "b", "model_a"), ("b", "a", "model_a"), ("a", "b", "tie")]
    )

    payload = run_json("--file", str(path), "--bootstrap", "0", "--seed", "1", "--anchor", "b=1500")

    ratings = {row["model"]: row["rating"] for row in payload["models"]}
    assert ratings["b"] == pytest.approx(1500.0, abs=1e-9)
    assert ratings["a"] == pytest.approx(1500.0, abs=1e-6)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--anchor", "gpt-4"], "--anchor expects MODEL=RATING with a finite number"),
        (["--anchor", "a=high"], "--anchor expects MODEL=RATING with a finite number"),
        (["--anchor", "zzz=1000"], "Anchor model 'zzz' has no judgments in this input."),
        (["--bootstrap", "-1"], "--bootstrap must be 0 or more, not -1."),
    ],
)
def test_bad_arguments_are_named(tmp_path: Path, arguments: list[str], message: str) -> None:
    path = write_battles(tmp_path, [("a", "b", "model_a"), ("b", "a", "model_a")])

    with pytest.raises(CommandError) as caught:
        call_command("fit_leaderboard", "--file", str(path), *arguments)

    assert message in str(caught.value)


@pytest.mark.django_db
def test_unknown_domain_is_named() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("fit_leaderboard", "--domain", "nowhere")

    assert str(caught.value).startswith("Domain 'nowhere' does not exist.")


@pytest.mark.django_db
def test_table_output_lists_models_by_rank(mtbench_domain: Domain) -> None:
    output = io.StringIO()

    call_command("fit_leaderboard", "--domain", "mt-bench", "--bootstrap", "0", stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[0].startswith("mt-bench: 1689 judgments, 6 models, 0 bootstrap rounds")
    assert lines[3].split()[:3] == ["1", "gpt-4", "1175.1"]
    assert lines[-1].split()[:3] == ["6", "llama-13b", "765.7"]
