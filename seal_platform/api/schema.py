"""OpenAPI schema generation for the project's API."""

from typing import Any

from drf_spectacular.openapi import AutoSchema


class SealAutoSchema(AutoSchema):
    """Name a serializer nested in a view after that view.

    Every API view nests its own `InputSerializer` and `OutputSerializer`; without a prefix
    they would all become the components "Input" and "Output" and overwrite each other.
    """

    def _get_serializer_name(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> str:
        name: str = super()._get_serializer_name(serializer, direction, bypass_extensions)
        serializer_class = serializer if isinstance(serializer, type) else type(serializer)
        has_ref_name = getattr(getattr(serializer_class, "Meta", None), "ref_name", None)
        outer, _, inner = serializer_class.__qualname__.rpartition(".")
        if outer and not has_ref_name:
            return outer.split(".")[-1].removesuffix("Api") + name
        return name
