"""Reads of the experts app, one module per entity, each scoped to the requesting user."""

from experts.selectors.domain import (
    DomainNotFound,
    domain_get_by_slug,
    domain_ids_with_children,
    domain_list,
)

__all__ = ["DomainNotFound", "domain_get_by_slug", "domain_ids_with_children", "domain_list"]
