import factory

from experts.models import Domain


class DomainFactory(factory.django.DjangoModelFactory[Domain]):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda number: f"domain-{number}")
    name = factory.LazyAttribute(lambda domain: domain.slug.replace("-", " ").title())
