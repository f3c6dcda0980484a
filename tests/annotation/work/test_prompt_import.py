"""Importing prompt sets and model responses from the public data sets, and bad files."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotation.models import EvaluatedModel, Prompt, PromptSet, PromptStatus, Response
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db

ID_KEYS = "id, question_id, uid, index"
ALPACA_MISSING_INSTRUCTION = "A user story is an informal, general explanation"


def shared_file(relative: str) -> Path:
    """A file of the shared data folder. A missing file fails the test, never skips it."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.fail(
            f"Shared data file not found: expected {path}. Put the shared data folder beside "
            "the project or set SEAL_SHARED_DATA."
        )
    return path


def import_prompts(path: Path, domain: str, set_name: str) -> str:
    output = StringIO()
    call_command("import_prompts", str(path), domain=domain, set_name=set_name, stdout=output)
    return output.getvalue()


def import_responses(path: Path, domain: str, set_name: str, fmt: str, **options: str) -> str:
    output = StringIO()
    call_command(
        "import_responses",
        str(path),
        domain=domain,
        set_name=set_name,
        fmt=fmt,
        stdout=output,
        **options,
    )
    return output.getvalue()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_mtbench_questions_import_as_frozen_prompts() -> None:
    output = import_prompts(shared_file("mt_bench/question.jsonl"), "mt-bench", "mt-bench 80")

    prompt_set = PromptSet.objects.get(domain__slug="mt-bench", name="mt-bench 80")
    first = prompt_set.prompts.get(external_id="81")
    assert output == "Imported 80 prompts into set 'mt-bench 80' of 'mt-bench'.\n"
    assert prompt_set.prompts.count() == 80
    assert set(prompt_set.prompts.values_list("status", flat=True)) == {PromptStatus.FROZEN}
    assert first.category == "writing"
    assert first.text.startswith("Compose an engaging travel blog post about a recent trip")
    assert first.source == "set:mt-bench:mt-bench 80"
    assert prompt_set.prompts.filter(category="coding").count() == 10


def test_arena_hard_questions_import_by_uid() -> None:
    output = import_prompts(shared_file("arena_hard_v0.1/question.jsonl"), "hard", "arena")

    prompt = Prompt.objects.get(external_id="328c149ed45a41c0b9d6f14659e63599")
    assert output == "Imported 500 prompts into set 'arena' of 'hard'.\n"
    assert Prompt.objects.count() == 500
    assert prompt.text == "Use ABC notation to write a melody in the style of a folk tune."
    assert prompt.category == "arena-hard-v0.1"


def test_alpaca_eval_set_imports_by_index() -> None:
    output = import_prompts(shared_file("alpaca_eval/eval_set.jsonl"), "general", "alpaca")

    first = Prompt.objects.get(external_id="0")
    assert output == "Imported 805 prompts into set 'alpaca' of 'general'.\n"
    assert Prompt.objects.count() == 805
    assert first.text == (
        "What are the names of some famous actors that started their careers on Broadway?"
    )
    assert Prompt.objects.filter(external_id="804").exists()


def test_mtbench_answers_attach_by_question_id() -> None:
    import_prompts(shared_file("mt_bench/question.jsonl"), "mt-bench", "mt")

    output = import_responses(
        shared_file("mt_bench/model_answer/gpt-4.jsonl"), "mt-bench", "mt", "mtbench"
    )

    response = Response.objects.select_related("model").get(prompt__external_id="81")
    assert output == "Imported 80 responses into set 'mt'.\n"
    assert Response.objects.count() == 80
    assert response.model.name == "gpt-4"
    assert response.text.startswith("Title: Aloha, Hawaii! A Cultural and Natural Paradise")


def test_mtbench_model_named_by_file() -> None:
    import_prompts(shared_file("mt_bench/question.jsonl"), "mt-bench", "mt")

    import_responses(
        shared_file("mt_bench/model_answer/vicuna-13b-v1.3.jsonl"), "mt-bench", "mt", "mtbench"
    )

    assert list(EvaluatedModel.objects.values_list("name", flat=True)) == ["vicuna-13b-v1.3"]


def test_arena_hard_answers_attach_by_uid() -> None:
    import_prompts(shared_file("arena_hard_v0.1/question.jsonl"), "hard", "arena")

    output = import_responses(
        shared_file("arena_hard_v0.1/model_answer/gpt-4-0613.jsonl"), "hard", "arena", "arena_hard"
    )

    response = Response.objects.select_related("model").get(
        prompt__external_id="0122ab60646b4961bc39e9c03bdf6bcc"
    )
    assert output == "Imported 500 responses into set 'arena'.\n"
    assert response.model.name == "gpt-4-0613"
    assert response.text.startswith("Implementing a SCIM (System for Cross-domain Identity")


def test_alpaca_outputs_match_by_instruction_text() -> None:
    import_prompts(shared_file("alpaca_eval/eval_set.jsonl"), "general", "alpaca")

    output = import_responses(
        shared_file("alpaca_eval/model_outputs/llama-2-70b-chat-hf.json"),
        "general",
        "alpaca",
        "alpaca_eval",
    )

    unanswered = Prompt.objects.filter(responses__isnull=True)
    first = Response.objects.select_related("model").get(prompt__external_id="0")
    assert output == "Imported 804 responses into set 'alpaca'.\n"
    assert Response.objects.count() == 804
    assert first.model.name == "llama-2-70b-chat-hf"
    assert first.text.startswith("There are many famous actors who started their careers")
    assert unanswered.count() == 1
    assert unanswered.get().text.startswith(ALPACA_MISSING_INSTRUCTION)


def test_second_import_of_same_model_is_rejected() -> None:
    import_prompts(shared_file("mt_bench/question.jsonl"), "mt-bench", "mt")
    answers = shared_file("mt_bench/model_answer/gpt-4.jsonl")
    import_responses(answers, "mt-bench", "mt", "mtbench")

    with pytest.raises(CommandError) as caught:
        import_responses(answers, "mt-bench", "mt", "mtbench")

    assert str(caught.value) == (
        "Model 'gpt-4' already has responses in prompt set 'mt'; nothing was stored."
    )
    assert Response.objects.count() == 80


def test_existing_set_name_is_rejected() -> None:
    questions = shared_file("mt_bench/question.jsonl")
    import_prompts(questions, "mt-bench", "mt")

    with pytest.raises(CommandError) as caught:
        import_prompts(questions, "mt-bench", "mt")

    assert str(caught.value) == (
        "Prompt set 'mt' already exists in 'mt-bench'. Choose a new name; frozen prompts are "
        "never edited."
    )
    assert Prompt.objects.count() == 80


def test_prompt_line_without_id_rejects_the_file(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "prompts.jsonl",
        [
            json.dumps({"id": "p1", "prompt": "First prompt"}),
            json.dumps({"prompt": "No id here"}),
            json.dumps({"id": "p3"}),
            json.dumps({"id": "p1", "prompt": "Repeated id"}),
        ],
    )

    with pytest.raises(CommandError) as caught:
        import_prompts(path, "coding", "broken")

    assert str(caught.value) == (
        "prompts.jsonl was rejected and nothing was stored: 3 bad lines. Fix them and import "
        "the file again.\n"
        f"  line 2: missing an id (one of {ID_KEYS})\n"
        "  line 3: missing the prompt text (one of prompt, text, instruction or turns)\n"
        "  line 4: id 'p1' repeats line 1"
    )
    assert not Prompt.objects.exists()
    assert not PromptSet.objects.exists()


def test_malformed_prompt_line_rejects_the_file(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "prompts.jsonl",
        [json.dumps({"id": "p1", "prompt": "Fine"}), '{"id": "p2", "prompt": ', "[1, 2]"],
    )

    with pytest.raises(CommandError) as caught:
        import_prompts(path, "coding", "broken")

    assert str(caught.value) == (
        "prompts.jsonl was rejected and nothing was stored: 2 bad lines. Fix them and import "
        "the file again.\n"
        "  line 2: malformed JSON (Expecting value at column 24)\n"
        "  line 3: expected a JSON object, found list"
    )
    assert not Prompt.objects.exists()
    assert not PromptSet.objects.exists()


@pytest.fixture
def small_set(tmp_path: Path) -> str:
    path = write_lines(
        tmp_path / "questions.jsonl",
        [
            json.dumps({"question_id": 1, "turns": ["Say hello."]}),
            json.dumps({"question_id": 2, "turns": ["Say goodbye."]}),
        ],
    )
    import_prompts(path, "coding", "small")
    return "small"


def mtbench_answer(question_id: object, text: str = "Hello.") -> str:
    return json.dumps({"question_id": question_id, "model_id": "m", "choices": [{"turns": [text]}]})


@pytest.mark.parametrize(
    ("lines", "problems"),
    [
        (
            [mtbench_answer(1), mtbench_answer(999)],
            ["line 2: no prompt in set 'small' matches '999'"],
        ),
        (
            [mtbench_answer(1), mtbench_answer(2), mtbench_answer(1, "Hi again.")],
            ["line 3: answers the same prompt as line 1"],
        ),
        (
            [mtbench_answer(1), "{not json", mtbench_answer(2)],
            [
                "line 2: malformed JSON (Expecting property name enclosed in double quotes at "
                "column 2)"
            ],
        ),
        (
            [json.dumps({"choices": [{"turns": ["No id."]}]}), mtbench_answer(2)],
            ["line 1: needs question_id and choices[0].turns"],
        ),
        (
            [mtbench_answer(1), json.dumps({"question_id": 2, "choices": [{"turns": [None]}]})],
            ["line 2: choices[0].turns[0] must be text, not null"],
        ),
    ],
    ids=["unknown_prompt", "repeated_answer", "malformed_json", "no_id", "answer_not_text"],
)
def test_bad_answer_file_is_rejected_whole(
    tmp_path: Path, small_set: str, lines: list[str], problems: list[str]
) -> None:
    path = write_lines(tmp_path / "answers.jsonl", lines)

    with pytest.raises(CommandError) as caught:
        import_responses(path, "coding", small_set, "mtbench")

    count = len(problems)
    assert str(caught.value) == (
        f"answers.jsonl was rejected and nothing was stored: {count} bad "
        f"line{'s' if count != 1 else ''}. Fix them and import the file again.\n"
        + "\n".join(f"  {problem}" for problem in problems)
    )
    assert not Response.objects.exists()
    assert not EvaluatedModel.objects.exists()


def test_alpaca_problems_name_the_line_of_the_item(tmp_path: Path, small_set: str) -> None:
    items = [
        {"instruction": "Say hello.", "output": "Hello.", "generator": "m"},
        {"instruction": "Say goodbye.", "generator": "m"},
    ]
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        import_responses(path, "coding", small_set, "alpaca_eval")

    assert str(caught.value).endswith("\n  line 7: needs instruction and output")
    assert not Response.objects.exists()


def test_malformed_alpaca_file_names_the_line(tmp_path: Path, small_set: str) -> None:
    path = tmp_path / "outputs.json"
    path.write_text('[\n  {"instruction": "Say hello.",\n   "output": }\n]\n', encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        import_responses(path, "coding", small_set, "alpaca_eval")

    assert str(caught.value).endswith("\n  line 3: malformed JSON (Expecting value)")
    assert not Response.objects.exists()


def test_answers_naming_two_models_are_rejected(tmp_path: Path) -> None:
    import_prompts(shared_file("arena_hard_v0.1/question.jsonl"), "hard", "arena")
    source = shared_file("arena_hard_v0.1/model_answer/gpt-4-0613.jsonl")
    lines = source.read_text(encoding="utf-8").splitlines()[:3]
    second = json.loads(lines[1])
    second["model"] = "gpt-3.5-turbo-0125"
    lines[1] = json.dumps(second)
    path = write_lines(tmp_path / "mixed.jsonl", lines)

    with pytest.raises(CommandError) as caught:
        import_responses(path, "hard", "arena", "arena_hard")

    assert str(caught.value).endswith(
        "\n  line 2: names model 'gpt-3.5-turbo-0125', but line 1 names 'gpt-4-0613'"
    )
    assert not Response.objects.exists()


def test_unknown_prompt_set_is_named() -> None:
    with pytest.raises(CommandError) as caught:
        import_responses(
            shared_file("mt_bench/model_answer/gpt-4.jsonl"), "mt-bench", "nowhere", "mtbench"
        )

    assert str(caught.value) == (
        "Prompt set 'nowhere' does not exist in domain 'mt-bench'. Import it first with "
        "import_prompts."
    )


def test_overlong_values_reject_the_file(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "prompts.jsonl",
        [
            json.dumps({"id": "x" * 201, "prompt": "Long id"}),
            json.dumps({"id": "p2", "prompt": "Long category", "category": "c" * 101}),
            json.dumps({"id": "p3", "prompt": "Fine"}),
        ],
    )

    with pytest.raises(CommandError) as caught:
        import_prompts(path, "coding", "long")

    assert str(caught.value).endswith(
        "\n  line 1: id is 201 characters long; at most 200 fit"
        "\n  line 2: category is 101 characters long; at most 100 fit"
    )
    assert not Prompt.objects.exists()


@pytest.mark.parametrize(
    ("set_name", "message"),
    [
        (
            "s" * 90,
            "The domain slug and set name are 96 characters together; at most 95 fit. Choose a "
            "shorter name.",
        ),
        ("  ", "The prompt set name is empty. Give a name such as 'coding-2025-q1'."),
    ],
    ids=["too_long", "empty"],
)
def test_bad_set_name_is_rejected(set_name: str, message: str) -> None:
    with pytest.raises(CommandError) as caught:
        import_prompts(shared_file("mt_bench/question.jsonl"), "coding", set_name)

    assert str(caught.value) == message
    assert not PromptSet.objects.exists()


def test_overlong_model_name_is_rejected(tmp_path: Path, small_set: str) -> None:
    answers = write_lines(tmp_path / "answers.jsonl", [mtbench_answer(1), mtbench_answer(2)])

    with pytest.raises(CommandError) as caught:
        import_responses(answers, "coding", small_set, "mtbench", model="m" * 201)

    assert str(caught.value) == (
        "The model name is 201 characters long; at most 200 fit. Give a shorter one with --model."
    )
    assert not EvaluatedModel.objects.exists()


def test_text_shared_by_two_prompts_cannot_be_matched(tmp_path: Path) -> None:
    questions = write_lines(
        tmp_path / "questions.jsonl",
        [
            json.dumps({"id": "1", "instruction": "Say hello."}),
            json.dumps({"id": "2", "instruction": "Say hello."}),
            json.dumps({"id": "3", "instruction": "Say goodbye."}),
        ],
    )
    import_prompts(questions, "general", "twins")
    outputs = tmp_path / "outputs.json"
    items = [
        {"instruction": "Say goodbye.", "output": "Bye.", "generator": "m"},
        {"instruction": "Say hello.", "output": "Hello.", "generator": "m"},
    ]
    outputs.write_text(json.dumps(items, indent=1), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        import_responses(outputs, "general", "twins", "alpaca_eval")

    assert str(caught.value).endswith(
        "\n  line 7: 2 prompts in set 'twins' have the text 'Say hello.', so matching by text "
        "cannot tell them apart"
    )
    assert not Response.objects.exists()
