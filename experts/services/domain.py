"""Writes for domains."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from experts.models import Domain
from seal_platform.errors import InvalidInput


class DomainSlugInvalid(InvalidInput):
    code = "domain_slug_invalid"


class DomainNestingTooDeep(InvalidInput):
    code = "domain_nesting_too_deep"


def domain_get_or_create(*, slug: str, name: str = "", parent: Domain | None = None) -> Domain:
    """Return the domain with this slug, creating it if new.

    Raises DomainSlugInvalid for a slug that is not lowercase letters, digits, hyphens and
    underscores, and DomainNestingTooDeep when `parent` itself has a parent: leaderboards of
    a parent domain include the judgments of its children, one level only.
    """
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise DomainSlugInvalid(
            f"Domain name {slug!r} is not a valid slug. Use letters, digits, hyphens and "
            "underscores only, for example 'mt-bench-coding'."
        ) from error
    if slug != slug.lower():
        raise DomainSlugInvalid(
            f"Domain name {slug!r} has capital letters. Use {slug.lower()!r} instead."
        )
    if parent is not None and parent.parent_id is not None:
        raise DomainNestingTooDeep(
            f"Domain {parent.slug!r} is itself a child of another domain, so it cannot have "
            f"child {slug!r}. Attach {slug!r} to a top-level domain."
        )

    with transaction.atomic():
        domain, _ = Domain.objects.get_or_create(
            slug=slug, defaults={"name": name or slug, "parent": parent}
        )
    return domain
