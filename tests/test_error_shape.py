"""Every API error has one shape, with nested field errors flattened to plain strings."""

from rest_framework import serializers

from seal_platform.api.exception_handler import seal_exception_handler


def test_nested_field_errors_become_dotted_keys() -> None:
    error = serializers.ValidationError(
        {"dimension_scores": {"correctness": ["Must be an integer."]}, "verdict": ["Required."]}
    )

    response = seal_exception_handler(error, {})

    assert response is not None
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {
        "dimension_scores.correctness": ["Must be an integer."],
        "verdict": ["Required."],
    }
    assert response.data["error"]["code"] == "invalid"
