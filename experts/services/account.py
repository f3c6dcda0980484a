"""Sign-up and profile writes."""

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from experts.models import ExpertProfile
from seal_platform.errors import Conflict, InvalidInput

MAX_YEARS_OF_PRACTICE = 80


class UsernameTaken(Conflict):
    code = "username_taken"


class PasswordTooWeak(InvalidInput):
    code = "password_too_weak"


def account_signup(*, username: str, email: str, password: str, display_name: str) -> User:
    """Create a user and their expert profile; the password must pass Django's validators."""
    username = username.strip()
    if not username:
        raise InvalidInput(
            "Username is missing. Choose a username.", fields={"username": ["Required."]}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(
            f"Username {username!r} is taken. Choose another one.",
            fields={"username": ["Taken."]},
        )
    candidate = User(username=username, email=email.strip())
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise PasswordTooWeak(
            "The password is too weak: " + " ".join(error.messages),
            fields={"password": list(error.messages)},
        ) from error

    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email.strip(), password=password)
        ExpertProfile.objects.create(user=user, display_name=display_name.strip() or username)
    return user


def profile_get_or_create(*, user: Any) -> ExpertProfile:
    profile, _ = ExpertProfile.objects.get_or_create(
        user=user, defaults={"display_name": user.get_username()}
    )
    return profile


def profile_update(
    *,
    user: Any,
    display_name: str,
    degrees: str,
    employment: str,
    languages: str,
    years_of_practice: int,
) -> ExpertProfile:
    """Store the qualifications an applicant states about themselves."""
    if not 0 <= years_of_practice <= MAX_YEARS_OF_PRACTICE:
        raise InvalidInput(
            f"Years of practice must be between 0 and {MAX_YEARS_OF_PRACTICE}, not "
            f"{years_of_practice}.",
            fields={"years_of_practice": ["Out of range."]},
        )
    with transaction.atomic():
        profile = profile_get_or_create(user=user)
        profile.display_name = display_name.strip() or user.get_username()
        profile.degrees = degrees.strip()
        profile.employment = employment.strip()
        profile.languages = languages.strip()
        profile.years_of_practice = years_of_practice
        profile.save()
    return profile
