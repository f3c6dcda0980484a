"""Import private prompt sets and model responses, all or nothing, with bad lines listed."""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import CharField, Model

from annotation.import_file import (
    ImportFileInvalid,
    LineProblem,
    jsonl_objects,
    read_text_file,
)
from annotation.models import EvaluatedModel, Prompt, PromptSet, PromptStatus, Response
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


def _max_length(model: type[Model], field_name: str) -> int:
    field = model._meta.get_field(field_name)
    if not isinstance(field, CharField) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{field_name} is not a CharField with a max_length")
    return field.max_length


def _too_long(**values: str) -> str | None:
    """Name the first prompt field longer than its column, which the database would reject."""
    for field_name, value in values.items():
        limit = _max_length(Prompt, field_name)
        if len(value) > limit:
            label = field_name.replace("external_", "")
            return f"{label} is {len(value)} characters long; at most {limit} fit"
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
        too_long = _too_long(external_id=external_id, category=str(category))
        if too_long:
            problems.append(LineProblem(line, too_long))
            continue
        prompts.append(ParsedPrompt(line, external_id, body, str(category)))
    if problems:
        raise ImportFileInvalid(file_name, problems)
    if not prompts:
        raise InvalidInput(
            f"{file_name} contains no prompts. Give JSON Lines, one prompt per line."
        )
    return prompts


def prompts_import_file(*, path: Path, domain_slug: str, set_name: str) -> PromptSet:
    """Import prompts as a new, frozen prompt set of the domain; the set name must be new."""
    source = f"set:{domain_slug}:{set_name}"
    if not set_name.strip():
        raise InvalidInput("The prompt set name is empty. Give a name such as 'coding-2025-q1'.")
    if len(source) > _max_length(Prompt, "source"):
        raise InvalidInput(
            f"The domain slug and set name are {len(domain_slug) + len(set_name)} characters "
            f"together; at most {_max_length(Prompt, 'source') - 5} fit. Choose a shorter name."
        )
    text, _ = read_text_file(path)
    parsed = parse_prompts(text, file_name=path.name)
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
        numbered = _json_array_items(text, file_name)
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


def _json_array_items(text: str, file_name: str) -> list[tuple[int, Any]]:
    """Decode a JSON array into (line where each item starts, item).

    AlpacaEval files are indented arrays, so an item's index is not its line. Problems name
    the line, because that is what an editor shows.
    """
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileInvalid(
            file_name, [LineProblem(error.lineno, f"malformed JSON ({error.msg})")]
        ) from error
    if not isinstance(items, list):
        raise ImportFileInvalid(file_name, [LineProblem(1, "expected a JSON array")])

    # json.loads accepted the text, so decoding it again item by item succeeds.
    decoder = json.JSONDecoder()
    numbered: list[tuple[int, Any]] = []
    position = _after_json_whitespace(text, 0) + 1
    for _ in items:
        position = _after_json_whitespace(text, position)
        line = text.count("\n", 0, position) + 1
        value, position = decoder.raw_decode(text, position)
        numbered.append((line, value))
        position = _after_json_whitespace(text, position) + 1
    return numbered


def _after_json_whitespace(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


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
        if not isinstance(turns[0], str):
            return f"choices[0].turns[0] must be text, not {json.dumps(turns[0])[:40]}"
        return str(item["question_id"]), turns[0], None
    if fmt == "alpaca_eval":
        if not isinstance(item.get("instruction"), str) or not isinstance(item.get("output"), str):
            return "needs instruction and output"
        return item["instruction"], item["output"], _model_named(item.get("generator"))
    messages = item.get("messages")
    answer = None
    if isinstance(messages, list) and len(messages) >= 2 and isinstance(messages[1], dict):
        content = messages[1].get("content")
        answer = content.get("answer") if isinstance(content, dict) else content
    if "uid" not in item or not isinstance(answer, str):
        return "needs uid and messages[1].content.answer"
    return str(item["uid"]), answer, _model_named(item.get("model"))


def _model_named(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _model_problems(rows: list[tuple[int, Any, str, str | None]]) -> list[LineProblem]:
    """List each line that names a different model than the first line naming one.

    One file contains one model's answers, and a file mixing models would store some answers
    under the wrong model.
    """
    named = [(line, name) for line, _, _, name in rows if name is not None]
    if not named:
        return []
    first_line, first_name = named[0]
    return [
        LineProblem(line, f"names model {name!r}, but line {first_line} names {first_name!r}")
        for line, name in named
        if name != first_name
    ]


def responses_import_file(
    *, path: Path, prompt_set: PromptSet, fmt: str, model_name: str | None = None
) -> int:
    """Attach one model's answers to a prompt set's prompts; returns the number stored.

    MT-bench and Arena-Hard answers match prompts by id, AlpacaEval outputs by instruction
    text. The model is `model_name`, else the name inside the file, else the file's stem.
    An answer to an unknown prompt, a second answer to one prompt, lines naming different
    models, or a model that already answered rejects the file.
    """
    if fmt not in RESPONSE_FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}. Use one of {', '.join(RESPONSE_FORMATS)}.")
    text, _ = read_text_file(path)
    rows = _answer_rows(fmt, text, path.name)
    prompts = list(prompt_set.prompts.all())
    by_key = {
        prompt.text if fmt == "alpaca_eval" else prompt.external_id: prompt for prompt in prompts
    }
    shared_texts = Counter(prompt.text for prompt in prompts) if fmt == "alpaca_eval" else Counter()

    problems = _model_problems(rows)
    first_line: dict[Any, int] = {}
    for line, key, _, _ in rows:
        if key not in by_key:
            problems.append(
                LineProblem(line, f"no prompt in set {prompt_set.name!r} matches {str(key)[:60]!r}")
            )
        elif shared_texts[key] > 1:
            problems.append(
                LineProblem(
                    line,
                    f"{shared_texts[key]} prompts in set {prompt_set.name!r} have the text "
                    f"{str(key)[:60]!r}, so matching by text cannot tell them apart",
                )
            )
        elif key in first_line:
            problems.append(LineProblem(line, f"answers the same prompt as line {first_line[key]}"))
        else:
            first_line[key] = line
    if problems:
        raise ImportFileInvalid(path.name, sorted(problems, key=lambda problem: problem.line))
    named = model_name or next((name for *_, name in rows if name), None) or path.stem
    if len(named) > _max_length(EvaluatedModel, "name"):
        raise InvalidInput(
            f"The model name is {len(named)} characters long; at most "
            f"{_max_length(EvaluatedModel, 'name')} fit. Give a shorter one with --model."
        )
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
