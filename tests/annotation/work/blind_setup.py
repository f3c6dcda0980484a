"""A batch whose models, responses and comparisons have distinctive primary keys.

Finding one of those numbers, a model name or an orientation word in anything the expert
receives would be a leak, not a collision with a counter on the page.
"""

from annotation.models import (
    Comparison,
    ComparisonBatch,
    EvaluatedModel,
    Prompt,
    PromptSet,
    Response,
    Rubric,
)
from experts.models import Domain
from tests.annotation.work_setup import SECRET_MODELS
from tests.experts.factories import StaffUserFactory

MODEL_PKS = (731_415_926, 731_415_927)
FIRST_RESPONSE_PK = 845_296_301
FIRST_COMPARISON_PK = 918_273_641
COMPARISONS = 3
# Neither text hints at which side it is stored on.
RIVER_ANSWERS = ("Nile, Amazon and Danube.", "Volga, Rhine and Ganges.")
# Words that would name a stored side or a model field if a page or body carried them.
ORIENTATION_WORDS = ["swap", "response_a_id", "response_b_id", "model_a", "model_b", "model_id"]


def secret_batch(domain: Domain) -> list[Comparison]:
    """Comparisons between the two secret models, with distinctive primary keys."""
    staff = StaffUserFactory()
    prompt_set = PromptSet.objects.create(domain=domain, name="blind set")
    batch = ComparisonBatch.objects.create(
        domain=domain, prompt_set=prompt_set, name="blind", created_by=staff
    )
    models = [
        EvaluatedModel.objects.create(pk=pk, name=name)
        for pk, name in zip(MODEL_PKS, SECRET_MODELS, strict=True)
    ]
    comparisons = []
    for number in range(COMPARISONS):
        prompt = Prompt.objects.create(
            domain=domain,
            source="blind",
            external_id=str(number),
            text=f"Prompt {number}: name three rivers.",
            prompt_set=prompt_set,
        )
        first, second = (
            Response.objects.create(
                pk=FIRST_RESPONSE_PK + 2 * number + side,
                prompt=prompt,
                model=models[side],
                text=RIVER_ANSWERS[side],
            )
            for side in (0, 1)
        )
        comparisons.append(
            Comparison.objects.create(
                pk=FIRST_COMPARISON_PK + number,
                domain=domain,
                prompt=prompt,
                response_a=first,
                response_b=second,
                batch=batch,
            )
        )
    Rubric.objects.create(
        domain=domain,
        dimensions=[
            {"key": "correctness", "label": "Correctness"},
            {"key": "readability", "label": "Readability"},
        ],
        min_rationale_length=20,
    )
    return comparisons


def forbidden_tokens() -> list[str]:
    response_pks = Response.objects.values_list("pk", flat=True)
    return [
        *SECRET_MODELS,
        *(str(pk) for pk in MODEL_PKS),
        *(str(pk) for pk in response_pks),
        *(str(FIRST_COMPARISON_PK + number) for number in range(COMPARISONS)),
        *ORIENTATION_WORDS,
    ]


def leaks(items: list[tuple[str, str]], tokens: list[str]) -> list[str]:
    """Describe each (label, text) item that contains a token, ignoring case."""
    return [
        f"{token!r} in {label}"
        for label, text in items
        for token in tokens
        if token.lower() in text.lower()
    ]
