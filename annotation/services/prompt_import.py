"""Import private prompt sets and model responses, all or nothing, with bad lines listed."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from annotation.import_file import (
    ImportFileInvalid,
    LineProblem,
    jsonl_objects,
    read_text_file,
)
from annotation.models import Prompt, PromptSet, PromptStatus, Response
from annotation.services.judgment_import import evaluated_models_get_or_create
from experts.services.domain import domain_get_or_create
from seal_platform.errors import InvalidInput

ID_KEYS = ("id", "question_id", "uid", "index")
TEXT_KEYS = ("prompt", "text", "instruction")
RESPONSE_FORMATS = ("mtbench", "alpaca_eval", "arena_hard")


@dataclass(frozen=True)
class ParsedPrompt:
    line: int
    external_id: str
    text: str
    category: str


def _prompt_text(item: dict[str, Any]) -> str | None:
    for key in TEXT_KEYS:
        if isinstance(item.get(key), str) and item[key].strip():
            return str(item[key])
    turns = item.get("turns")
    if isinstance(turns, list) and turns and isinstance(turns[0], str) and turns[0].strip():
        return turns[0]
    return None


def parse_prompts(text: str, *, file_name: str) -> list[ParsedPrompt]:
    prompts: list[ParsedPrompt] = []
    problems: list[LineProblem] = []
    seen: dict[str, int] = {}
    for line, item in jsonl_objects(text, file_name=file_name):
        key = next((key for key in ID_KEYS if item.get(key) not in (None, "")), None)
        body = _prompt_text(item)
        if key is None:
            problems.append(LineProblem(line, f"missing an id (one of {', '.join(ID_KEYS)})"))
            continue
        if body is None:
            problems.append(
                LineProblem(
                    line, f"missing the prompt text (one of {', '.join(TEXT_KEYS)} or turns)"
                )
            )
            continue
        external_id = str(item[key])
        if external_id in seen:
            problems.append(
                LineProblem(line, f"id {external_id!r} repeats line {seen[external_id]}")
            )
            continue
        seen[external_id] = line
        category = item.get("category") if isinstance(item.get("category"), str) else ""
        prompts.append(ParsedPrompt(line, external_id, body, str(category)))
    if problems:
        raise ImportFileInvalid(file_name, problems)
    if not prompts:
        raise InvalidInput(f"{file_name} holds no prompts. Give JSON Lines, one prompt per line.")
    return prompts


def prompts_import_file(*, path: Path, domain_slug: str, set_name: str) -> PromptSet:
    """Import prompts as a new, frozen prompt set of the domain; the set name must be new."""
    text, _ = read_text_file(path)
    parsed = parse_prompts(text, file_name=path.name)
    source = f"set:{domain_slug}:{set_name}"
    with transaction.atomic():
        domain = domain_get_or_create(slug=domain_slug)
        prompt_set, created = PromptSet.objects.get_or_create(domain=domain, name=set_name)
        if not created:
            raise InvalidInput(
                f"Prompt set {set_name!r} already exists in {domain_slug!r}. Choose a new name; "
                "frozen prompts are never edited."
            )
        Prompt.objects.bulk_create(
            [
                Prompt(
                    domain=domain,
                    source=source,
                    external_id=item.external_id,
                    category=item.category,
                    text=item.text,
                    prompt_set=prompt_set,
                    status=PromptStatus.FROZEN,
                )
                for item in parsed
            ],
            batch_size=2000,
        )
    return prompt_set


def _answer_rows(fmt: str, text: str, file_name: str) -> list[tuple[int, Any, str, str | None]]:
    """Return (line, prompt key, answer, model named inside the file) per answer."""
    rows: list[tuple[int, Any, str, str | None]] = []
    problems: list[LineProblem] = []
    if fmt == "alpaca_eval":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileInvalid(
                file_name, [LineProblem(error.lineno, f"malformed JSON ({error.msg})")]
            ) from error
        if not isinstance(items, list):
            raise ImportFileInvalid(file_name, [LineProblem(1, "expected a JSON array")])
        numbered = list(enumerate(items, start=1))
    else:
        numbered = list(jsonl_objects(text, file_name=file_name))
    for line, item in numbered:
        extracted = _extract_answer(fmt, item)
        if isinstance(extracted, str):
            problems.append(LineProblem(line, extracted))
        else:
            rows.append((line, *extracted))
    if problems:
        raise ImportFileInvalid(file_name, problems)
    return rows


def _extract_answer(fmt: str, item: Any) -> tuple[Any, str, str | None] | str:
    if not isinstance(item, dict):
        return "expected a JSON object"
    if fmt == "mtbench":
        choices = item.get("choices")
        turns = (
            choices[0].get("turns")
            if isinstance(choices, list) and choices and isinstance(choices[0], dict)
            else None
        )
        if "question_id" not in item or not isinstance(turns, list) or not turns:
            return "needs question_id and choices[0].turns"
        return str(item["question_id"]), str(turns[0]), None
    if fmt == "alpaca_eval":
        if not isinstance(item.get("instruction"), str) or not isinstance(item.get("output"), str):
            return "needs instruction and output"
        return item["instruction"], item["output"], item.get("generator")
    messages = item.get("messages")
    answer = None
    if isinstance(messages, list) and len(messages) >= 2 and isinstance(messages[1], dict):
        content = messages[1].get("content")
        answer = content.get("answer") if isinstance(content, dict) else content
    if "uid" not in item or not isinstance(answer, str):
        return "needs uid and messages[1].content.answer"
    return str(item["uid"]), answer, item.get("model")


def responses_import_file(
    *, path: Path, prompt_set: PromptSet, fmt: str, model_name: str | None = None
) -> int:
    """Attach one model's answers to a prompt set's prompts; returns the number stored.

    MT-bench and Arena-Hard answers match prompts by id, AlpacaEval outputs by instruction
    text. The model is `model_name`, else the name inside the file, else the file's stem.
    An answer to an unknown prompt, or a model that already answered, rejects the file.
    """
    if fmt not in RESPONSE_FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}. Use one of {', '.join(RESPONSE_FORMATS)}.")
    text, _ = read_text_file(path)
    rows = _answer_rows(fmt, text, path.name)
    prompts = list(prompt_set.prompts.all())
    by_key = {
        prompt.text if fmt == "alpaca_eval" else prompt.external_id: prompt for prompt in prompts
    }

    problems: list[LineProblem] = []
    first_line: dict[Any, int] = {}
    for line, key, _, _ in rows:
        if key not in by_key:
            problems.append(
                LineProblem(line, f"no prompt in set {prompt_set.name!r} matches {str(key)[:60]!r}")
            )
        elif key in first_line:
            problems.append(LineProblem(line, f"answers the same prompt as line {first_line[key]}"))
        else:
            first_line[key] = line
    if problems:
        raise ImportFileInvalid(path.name, problems)
    named = model_name or next((name for *_, name in rows if name), None) or path.stem
    with transaction.atomic():
        model_id = evaluated_models_get_or_create(names=[named])[named]
        if Response.objects.filter(prompt__prompt_set=prompt_set, model_id=model_id).exists():
            raise InvalidInput(
                f"Model {named!r} already has responses in prompt set {prompt_set.name!r}; "
                "nothing was stored."
            )
        Response.objects.bulk_create(
            [
                Response(prompt=by_key[key], model_id=model_id, text=answer)
                for _, key, answer, _ in rows
            ],
            batch_size=2000,
        )
    return len(rows)
