"""Reads for domains."""

from django.db.models import QuerySet

from experts.models import Domain
from seal_platform.errors import NotFound


class DomainNotFound(NotFound):
    code = "domain_not_found"


def domain_get_by_slug(*, slug: str) -> Domain:
    try:
        return Domain.objects.get(slug=slug)
    except Domain.DoesNotExist as error:
        raise DomainNotFound(
            f"Domain {slug!r} does not exist. List the domains at /leaderboards/ or "
            "/api/leaderboards/."
        ) from error


def domain_list() -> QuerySet[Domain]:
    return Domain.objects.select_related("parent").order_by("slug")


def domain_ids_with_children(*, domain: Domain) -> list[int]:
    """Return the domain's id and its children's ids, whose judgments its leaderboard uses."""
    return [domain.id, *domain.children.values_list("id", flat=True)]
