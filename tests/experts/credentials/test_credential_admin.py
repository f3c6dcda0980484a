"""The credential admin is read-only and links to the permission-checked download view."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from experts.models import Credential, CredentialStatus
from tests.experts.credentials.conftest import Roles
from tests.experts.factories import UserFactory


@pytest.fixture
def admin_client_for_superuser(roles: Roles) -> Client:
    superuser: User = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


def change_url(credential: Credential) -> str:
    return reverse("admin:experts_credential_change", args=[credential.pk])


def test_admin_change_page_links_to_download_view(
    admin_client_for_superuser: Client, credential: Credential
) -> None:
    response = admin_client_for_superuser.get(change_url(credential))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/experts/credentials/{credential.pk}/document/"' in page
    assert credential.stored_name not in page
    assert str(settings.PRIVATE_MEDIA_ROOT) not in page


def test_admin_cannot_change_a_credential(
    admin_client_for_superuser: Client, credential: Credential
) -> None:
    response = admin_client_for_superuser.post(
        change_url(credential), {"status": CredentialStatus.VERIFIED}
    )

    credential.refresh_from_db()
    assert response.status_code == 403
    assert credential.status == CredentialStatus.PENDING


def test_admin_cannot_add_a_credential(admin_client_for_superuser: Client) -> None:
    response = admin_client_for_superuser.get(reverse("admin:experts_credential_add"))

    assert response.status_code == 403


def test_admin_cannot_delete_a_credential(
    admin_client_for_superuser: Client, credential: Credential
) -> None:
    response = admin_client_for_superuser.post(
        reverse("admin:experts_credential_delete", args=[credential.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Credential.objects.filter(pk=credential.pk).exists()


def test_admin_list_shows_credentials(
    admin_client_for_superuser: Client, credential: Credential
) -> None:
    response = admin_client_for_superuser.get(reverse("admin:experts_credential_changelist"))

    assert response.status_code == 200
    assert credential.title in response.content.decode()
