"""Django admin for staff, one module per area."""

from experts.admin import accounts, credentials, domain, qualification

__all__ = ["accounts", "credentials", "domain", "qualification"]
