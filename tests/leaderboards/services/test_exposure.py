"""A model whose maker was sent a domain's prompts is flagged on fits of that domain."""

from datetime import UTC, datetime

import pytest

from annotation.models import EvaluatedModel, PromptExposure, PromptSet
from annotation.services.exposure import exposure_record
from experts.models import Domain
from leaderboards.services.fit import fit_create
from seal_platform.errors import InvalidInput
from tests.experts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db
SENT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def coding_set(mtbench_domain: Domain) -> PromptSet:
    coding = Domain.objects.get(slug="mt-bench-coding")
    prompt_set = PromptSet.objects.create(domain=coding, name="coding prompts")
    coding.prompts.update(prompt_set=prompt_set)
    return prompt_set


def test_exposure_flags_every_model_of_the_maker(
    mtbench_domain: Domain, coding_set: PromptSet
) -> None:
    EvaluatedModel.objects.filter(name__in=["gpt-4", "gpt-3.5-turbo"]).update(organization="OpenAI")
    gpt4 = EvaluatedModel.objects.get(name="gpt-4")

    recorded = exposure_record(
        prompt_set=coding_set, model=gpt4, sent_at=SENT, staff_user=StaffUserFactory()
    )
    fit = fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=1)

    assert recorded == 10
    flagged = set(fit.ratings.filter(is_exposed=True).values_list("model__name", flat=True))
    assert flagged == {"gpt-4", "gpt-3.5-turbo"}
    assert (
        "gpt-3.5-turbo: prompts of this leaderboard were sent to gpt-4 (OpenAI) on 2026-03-01, "
        "so its maker may have seen them."
    ) in fit.warnings


def test_exposure_elsewhere_flags_nothing(mtbench_domain: Domain) -> None:
    fit = fit_create(domain=Domain.objects.get(slug="mt-bench-math"), bootstrap_rounds=0, seed=1)

    assert not fit.ratings.filter(is_exposed=True).exists()
    assert fit.warnings == []


def test_exposure_needs_an_offset(coding_set: PromptSet) -> None:
    with pytest.raises(InvalidInput):
        exposure_record(
            prompt_set=coding_set,
            model=EvaluatedModel.objects.get(name="gpt-4"),
            sent_at=datetime(2026, 3, 1, 12, 0),  # noqa: DTZ001 (the naive time under test)
            staff_user=StaffUserFactory(),
        )

    assert not PromptExposure.objects.exists()


def test_exposed_model_is_marked_on_the_page(
    client: object, mtbench_domain: Domain, coding_set: PromptSet
) -> None:
    from django.test import Client

    exposure_record(
        prompt_set=coding_set,
        model=EvaluatedModel.objects.get(name="llama-13b"),
        sent_at=SENT,
        staff_user=StaffUserFactory(),
    )
    fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=1)

    page = Client().get("/leaderboards/mt-bench/").content.decode()

    assert page.count(">exposed</span>") == 1
    assert page.index("llama-13b") < page.index(">exposed</span>")
