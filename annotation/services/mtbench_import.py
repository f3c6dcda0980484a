"""Import the MT-bench human judgments with their questions and model answers.

The folder holds `question.jsonl`, `model_answer/<model>.jsonl`, optionally
`reference_answer/gpt-4.jsonl`, and `human_judgments_turn1.jsonl`. Judgments go into one
domain per question category (`mt-bench-writing`, ...), all children of `mt-bench`, so the
overall leaderboard covers every judgment while each is stored once. Models are named by their
answer file's name, because three files carry a different `model_id` inside.
"""

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from annotation.battle_file import ParsedJudgment, parse_judgment_text
from annotation.import_file import ImportFileInvalid, LineProblem, jsonl_objects, read_text_file
from annotation.models import Comparison, JudgmentImport, Prompt, Response
from annotation.services.judgment_import import (
    JudgmentRow,
    evaluated_models_get_or_create,
    import_find_earlier,
    import_record_create,
    judgments_bulk_insert,
)
from experts.models import Domain
from experts.services.domain import domain_get_or_create
from experts.services.imported_profile import imported_profiles_get_or_create
from seal_platform.errors import InvalidInput

logger = logging.getLogger(__name__)

MTBENCH_DOMAIN = "mt-bench"
PROMPT_SOURCE = "mt-bench"
JUDGMENTS_FILE = "human_judgments_turn1.jsonl"
QUESTIONS_FILE = "question.jsonl"
ANSWERS_FOLDER = "model_answer"
REFERENCE_FILE = Path("reference_answer") / "gpt-4.jsonl"


class MtBenchFolderInvalid(InvalidInput):
    code = "mtbench_folder_invalid"


@dataclass(frozen=True)
class Question:
    question_id: str
    category: str
    text: str
    reference: str


@dataclass(frozen=True)
class MtBenchImportResult:
    judgment_import: JudgmentImport
    is_new: bool
    domain_count: int
    prompt_count: int
    response_count: int


def check_folder(folder: Path) -> None:
    missing = [
        name
        for name in (JUDGMENTS_FILE, QUESTIONS_FILE, ANSWERS_FOLDER)
        if not (folder / name).exists()
    ]
    if not folder.is_dir() or missing:
        expected = f"{JUDGMENTS_FILE}, {QUESTIONS_FILE} and {ANSWERS_FOLDER}/"
        raise MtBenchFolderInvalid(
            f"MT-bench folder {folder} is missing or incomplete (expected {expected} inside; "
            f"missing: {', '.join(missing) if folder.is_dir() else 'the folder itself'}). "
            "Pass the path of a folder laid out like the MT-bench release."
        )


def _jsonl_objects(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text, _ = read_text_file(path)
    return jsonl_objects(text, file_name=path.name)


def _first_turn(value: Any) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


def read_references(folder: Path) -> dict[str, str]:
    path = folder / REFERENCE_FILE
    if not path.exists():
        return {}
    references: dict[str, str] = {}
    for _, item in _jsonl_objects(path):
        choices = item.get("choices")
        turn = (
            _first_turn(choices[0].get("turns")) if isinstance(choices, list) and choices else None
        )
        if turn is not None:
            references[str(item.get("question_id"))] = turn
    return references


def read_questions(folder: Path) -> dict[str, Question]:
    references = read_references(folder)
    questions: dict[str, Question] = {}
    problems: list[LineProblem] = []
    for number, item in _jsonl_objects(folder / QUESTIONS_FILE):
        text = _first_turn(item.get("turns"))
        category = item.get("category")
        if "question_id" not in item or text is None or not isinstance(category, str):
            problems.append(
                LineProblem(number, "needs question_id, category and a non-empty turns list")
            )
            continue
        question_id = str(item["question_id"])
        inline = _first_turn(item.get("reference")) or ""
        questions[question_id] = Question(
            question_id=question_id,
            category=category.strip().lower(),
            text=text,
            reference=references.get(question_id, inline),
        )
    if problems:
        raise ImportFileInvalid(QUESTIONS_FILE, problems)
    return questions


def read_answers(folder: Path, questions: dict[str, Question]) -> dict[tuple[str, str], str]:
    """Return the first-turn answer per (model name, question id)."""
    answers: dict[tuple[str, str], str] = {}
    for path in sorted((folder / ANSWERS_FOLDER).glob("*.jsonl")):
        problems: list[LineProblem] = []
        for number, item in _jsonl_objects(path):
            choices = item.get("choices")
            turn = (
                _first_turn(choices[0].get("turns"))
                if isinstance(choices, list) and choices and isinstance(choices[0], dict)
                else None
            )
            question_id = str(item.get("question_id"))
            if turn is None or question_id not in questions:
                problems.append(
                    LineProblem(number, "needs a known question_id and choices[0].turns")
                )
                continue
            answers[(path.stem, question_id)] = turn
        if problems:
            raise ImportFileInvalid(f"{ANSWERS_FOLDER}/{path.name}", problems)
    return answers


def check_judgment_questions(parsed: list[ParsedJudgment], questions: dict[str, Question]) -> None:
    problems = [
        LineProblem(item.line, f"question_id {item.question_id!r} is not in {QUESTIONS_FILE}")
        for item in parsed
        if item.question_id not in questions
    ]
    if problems:
        raise ImportFileInvalid(JUDGMENTS_FILE, problems)


def mtbench_import_folder(*, folder: Path, progress: TextIO | None = None) -> MtBenchImportResult:
    """Import an MT-bench folder; a second import of the same judgments stores nothing.

    Every file is read and checked before the first write, and all writes share one
    transaction, so a bad line anywhere leaves the database as it was.
    """
    check_folder(folder)
    judgments_text, content_sha256 = read_text_file(folder / JUDGMENTS_FILE)
    earlier = import_find_earlier(domain_slug=MTBENCH_DOMAIN, content_sha256=content_sha256)
    if earlier is not None:
        return MtBenchImportResult(earlier, False, 0, 0, 0)

    questions = read_questions(folder)
    answers = read_answers(folder, questions)
    parsed = parse_judgment_text(judgments_text, file_name=JUDGMENTS_FILE)
    check_judgment_questions(parsed, questions)

    with transaction.atomic():
        domains = _create_domains(questions)
        prompt_ids = _create_prompts(questions, domains)
        model_ids = evaluated_models_get_or_create(
            names=[model for model, _ in answers]
            + [name for item in parsed for name in (item.model_a, item.model_b)]
        )
        response_ids = _create_responses(answers, prompt_ids, model_ids)
        expert_ids = imported_profiles_get_or_create(
            source=PROMPT_SOURCE, judges=[item.judge for item in parsed]
        )
        source_import = import_record_create(
            domain=domains[MTBENCH_DOMAIN],
            file_name=JUDGMENTS_FILE,
            content_sha256=content_sha256,
            judgment_count=len(parsed),
        )
        comparison_ids = _create_comparisons(parsed, questions, domains, prompt_ids, response_ids)
        rows = _judgment_rows(parsed, questions, domains, model_ids, response_ids, comparison_ids)
        rows = [replace(row, expert_id=expert_ids.get(row.judge)) for row in rows]
        judgments_bulk_insert(rows=rows, source_import=source_import, progress=progress)

    logger.info(
        "annotation.mtbench_import.completed",
        extra={"import_id": source_import.pk, "judgments": len(rows), "prompts": len(prompt_ids)},
    )
    return MtBenchImportResult(
        source_import, True, len(domains), len(prompt_ids), len(response_ids)
    )


def category_domain_slug(category: str) -> str:
    return f"{MTBENCH_DOMAIN}-{category}"


def _create_domains(questions: dict[str, Question]) -> dict[str, Domain]:
    overall = domain_get_or_create(slug=MTBENCH_DOMAIN, name="MT-bench (all categories)")
    domains = {MTBENCH_DOMAIN: overall}
    for category in sorted({question.category for question in questions.values()}):
        slug = category_domain_slug(category)
        domains[slug] = domain_get_or_create(slug=slug, name=f"MT-bench {category}", parent=overall)
    return domains


def _create_prompts(questions: dict[str, Question], domains: dict[str, Domain]) -> dict[str, int]:
    Prompt.objects.bulk_create(
        [
            Prompt(
                domain=domains[category_domain_slug(question.category)],
                source=PROMPT_SOURCE,
                external_id=question.question_id,
                category=question.category,
                text=question.text,
                reference_answer=question.reference,
            )
            for question in questions.values()
        ],
        ignore_conflicts=True,
    )
    return dict(
        Prompt.objects.filter(source=PROMPT_SOURCE, external_id__in=list(questions)).values_list(
            "external_id", "id"
        )
    )


def _create_responses(
    answers: dict[tuple[str, str], str], prompt_ids: dict[str, int], model_ids: dict[str, int]
) -> dict[tuple[str, str], int]:
    Response.objects.bulk_create(
        [
            Response(prompt_id=prompt_ids[question_id], model_id=model_ids[model], text=text)
            for (model, question_id), text in answers.items()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    id_to_model = {model_id: name for name, model_id in model_ids.items()}
    id_to_question = {prompt_id: question_id for question_id, prompt_id in prompt_ids.items()}
    rows = Response.objects.filter(prompt_id__in=list(id_to_question)).values_list(
        "id", "prompt_id", "model_id"
    )
    return {
        (id_to_model[model_id], id_to_question[prompt_id]): response_id
        for response_id, prompt_id, model_id in rows
        if model_id in id_to_model
    }


def _judgment_rows(
    parsed: list[ParsedJudgment],
    questions: dict[str, Question],
    domains: dict[str, Domain],
    model_ids: dict[str, int],
    response_ids: dict[tuple[str, str], int],
    comparison_ids: dict[tuple[int, int], int],
) -> list[JudgmentRow]:
    rows = []
    for item in parsed:
        domain = domains[category_domain_slug(questions[item.question_id].category)]
        key = _comparison_key(item, response_ids)
        rows.append(
            JudgmentRow(
                domain_id=domain.id,
                comparison_id=comparison_ids.get(key) if key else None,
                model_a_id=model_ids[item.model_a],
                model_b_id=model_ids[item.model_b],
                verdict=item.verdict,
                judge=item.judge,
                judged_at=item.judged_at,
                source_line=item.line,
                source_question_id=item.question_id,
            )
        )
    return rows


def _comparison_key(
    item: ParsedJudgment, response_ids: dict[tuple[str, str], int]
) -> tuple[int, int] | None:
    response_a = response_ids.get((item.model_a, item.question_id))
    response_b = response_ids.get((item.model_b, item.question_id))
    if response_a is None or response_b is None:
        return None
    return response_a, response_b


def _create_comparisons(
    parsed: list[ParsedJudgment],
    questions: dict[str, Question],
    domains: dict[str, Domain],
    prompt_ids: dict[str, int],
    response_ids: dict[tuple[str, str], int],
) -> dict[tuple[int, int], int]:
    """Create one comparison per question and ordered pair of responses that was judged."""
    wanted: dict[tuple[int, int], Comparison] = {}
    for item in parsed:
        key = _comparison_key(item, response_ids)
        if key is None or key in wanted:
            continue
        question = questions[item.question_id]
        wanted[key] = Comparison(
            domain=domains[category_domain_slug(question.category)],
            prompt_id=prompt_ids[item.question_id],
            response_a_id=key[0],
            response_b_id=key[1],
        )
    Comparison.objects.bulk_create(list(wanted.values()), ignore_conflicts=True)
    stored = Comparison.objects.filter(
        response_a_id__in=[key[0] for key in wanted], response_b_id__in=[key[1] for key in wanted]
    ).values_list("response_a_id", "response_b_id", "id")
    return {(response_a, response_b): pk for response_a, response_b, pk in stored}
