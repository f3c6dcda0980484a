from experts.models.domain import Domain

__all__ = ["Domain"]
