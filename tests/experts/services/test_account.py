"""Sign-up, password rules and the profile."""

import pytest
from django.contrib.auth.models import User

from experts.models import ExpertProfile
from experts.services.account import (
    PasswordTooWeak,
    UsernameTaken,
    account_signup,
    profile_update,
)
from seal_platform.errors import InvalidInput
from tests.experts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_creates_user_and_profile_with_argon2() -> None:
    user = account_signup(
        username="ada", email="ada@example.org", password=TEST_PASSWORD, display_name="Ada L."
    )

    assert user.password.startswith("argon2$")
    assert user.check_password(TEST_PASSWORD)
    assert ExpertProfile.objects.get(user=user).display_name == "Ada L."


def test_weak_password_is_rejected_and_nothing_saved() -> None:
    with pytest.raises(PasswordTooWeak) as caught:
        account_signup(
            username="bob", email="bob@example.org", password="12345678", display_name=""
        )

    assert "This password is too common." in caught.value.message
    assert "This password is entirely numeric." in caught.value.fields["password"]
    assert not User.objects.filter(username="bob").exists()


def test_taken_username_is_rejected_case_insensitively() -> None:
    UserFactory(username="carol")

    with pytest.raises(UsernameTaken) as caught:
        account_signup(
            username="Carol", email="c@example.org", password=TEST_PASSWORD, display_name=""
        )

    assert caught.value.message == "Username 'Carol' is taken. Choose another one."
    assert User.objects.count() == 1


def test_profile_update_stores_qualifications() -> None:
    user = UserFactory()

    profile_update(
        user=user,
        display_name="Dr. Diaz",
        degrees="PhD Mathematics",
        employment="Professor",
        languages="es, en",
        years_of_practice=12,
    )

    stored = ExpertProfile.objects.get(user=user)
    assert (stored.degrees, stored.languages, stored.years_of_practice) == (
        "PhD Mathematics",
        "es, en",
        12,
    )


def test_profile_update_rejects_impossible_years() -> None:
    user = UserFactory()

    with pytest.raises(InvalidInput) as caught:
        profile_update(
            user=user,
            display_name="x",
            degrees="",
            employment="",
            languages="",
            years_of_practice=120,
        )

    assert caught.value.message == "Years of practice must be between 0 and 80, not 120."
    assert not ExpertProfile.objects.filter(user=user).exists()
