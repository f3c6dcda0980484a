"""Reads of credentials, scoped to who may see them.

A credential document is open to its owner and to the staff member assigned to its
application (or a superuser). Everyone else gets the same NotFound whether the credential
exists or not, so its id reveals nothing.
"""

from typing import Any

from django.db.models import QuerySet

from experts.models import Credential, DomainApplication
from experts.roles import is_staff_member
from experts.selectors.application import ApplicationNotFound
from seal_platform.errors import NotFound


class CredentialNotFound(NotFound):
    code = "credential_not_found"

    def __init__(self, credential_id: int) -> None:
        super().__init__(
            f"Credential {credential_id} does not exist or you may not open it. Open "
            "credentials from the application they belong to."
        )


def is_assigned_staff(*, user: Any, application: DomainApplication) -> bool:
    """Return whether the user may review the application's credentials.

    That is an active superuser, or the staff member assigned to the application who still
    has the staff permission, so removing someone from the staff group ends their access.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(application.assigned_staff_id == user.pk and is_staff_member(user))


def credential_may_open(*, user: Any, credential: Credential) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if credential.owner_id == user.pk:
        return True
    return is_assigned_staff(user=user, application=credential.application)


def credential_get_for_download(*, user: Any, credential_id: int) -> Credential:
    """Return the credential if the user may open its document, else raise CredentialNotFound."""
    credential = (
        Credential.objects.select_related("application", "application__domain")
        .filter(pk=credential_id)
        .first()
    )
    if credential is None or not credential_may_open(user=user, credential=credential):
        raise CredentialNotFound(credential_id)
    return credential


def credential_get_for_staff(*, user: Any, credential_id: int) -> Credential:
    """Return the credential for any staff member; others get CredentialNotFound.

    Staff who are not assigned to the application may see the credential's details but not its
    document, and the decision services reject their decisions.
    """
    credential = (
        Credential.objects.select_related(
            "owner", "reviewed_by", "application", "application__domain"
        )
        .filter(pk=credential_id)
        .first()
    )
    if credential is None or not is_staff_member(user):
        raise CredentialNotFound(credential_id)
    return credential


def credential_list_for_application(*, user: Any, application_id: int) -> QuerySet[Credential]:
    """Return the application's credentials, oldest first, for its applicant or assigned staff.

    Anyone else gets ApplicationNotFound (404), the same as for a missing application.
    """
    application = DomainApplication.objects.filter(pk=application_id).first()
    if application is None:
        raise ApplicationNotFound(application_id)
    is_applicant = user.is_authenticated and application.applicant_id == user.pk
    if not is_applicant and not is_assigned_staff(user=user, application=application):
        raise ApplicationNotFound(application_id)
    return (
        Credential.objects.filter(application=application)
        .select_related("reviewed_by")
        .order_by("uploaded_at", "id")
    )
