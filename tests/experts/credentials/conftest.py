"""Fixtures for the credential tests: private storage in a temporary folder and the five roles.

Roles: the applicant who owns the application, another applicant, the staff member assigned
to the application, a staff member not assigned to it, and anonymous.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from experts.models import Credential, DomainApplication
from experts.services.credential import credential_upload
from tests.experts.credentials.documents import PDF_BYTES, NamedBytes
from tests.experts.factories import (
    DomainApplicationFactory,
    StaffUserFactory,
    UserFactory,
)


@dataclass(frozen=True)
class Folders:
    private_root: Path
    credentials: Path
    upload_temp: Path
    media_root: Path


@dataclass(frozen=True)
class Roles:
    applicant: User
    other_applicant: User
    assigned_staff: User
    unassigned_staff: User
    application: DomainApplication


@pytest.fixture(autouse=True)
def folders(settings: Settings, tmp_path: Path) -> Folders:
    """Point private storage, Django's upload temp folder and MEDIA_ROOT at empty folders."""
    result = Folders(
        private_root=tmp_path / "private",
        credentials=tmp_path / "private" / "credentials",
        upload_temp=tmp_path / "upload-temp",
        media_root=tmp_path / "media",
    )
    result.upload_temp.mkdir()
    result.media_root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = result.private_root
    settings.FILE_UPLOAD_TEMP_DIR = str(result.upload_temp)
    settings.MEDIA_ROOT = str(result.media_root)
    return result


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Hash test passwords with MD5, because Argon2 doubled these tests' run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db: None) -> Roles:
    applicant = UserFactory(username="applicant")
    assigned_staff = StaffUserFactory(username="assigned-staff")
    return Roles(
        applicant=applicant,
        other_applicant=UserFactory(username="other-applicant"),
        assigned_staff=assigned_staff,
        unassigned_staff=StaffUserFactory(username="unassigned-staff"),
        application=DomainApplicationFactory(applicant=applicant, assigned_staff=assigned_staff),
    )


@pytest.fixture
def credential(roles: Roles) -> Credential:
    return credential_upload(
        application=roles.application,
        uploaded_file=NamedBytes(PDF_BYTES, "diploma.pdf"),
        kind="degree",
        title="MD, University of Lisbon",
        issuer="University of Lisbon",
        actor=roles.applicant,
    )


def client_for(user: User | None) -> Client:
    """Return a test client logged in as `user`, or an anonymous one for None."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def stored_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []
