import factory

from annotation.models import EvaluatedModel, Judgment, Verdict
from tests.experts.factories import DomainFactory


class EvaluatedModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluatedModel
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda number: f"model-{number}")


class JudgmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgment

    domain = factory.SubFactory(DomainFactory)
    model_a = factory.SubFactory(EvaluatedModelFactory)
    model_b = factory.SubFactory(EvaluatedModelFactory)
    verdict = Verdict.A_BETTER
