"""Credential routes: pages under /experts/ (namespace `experts`), API routes under /api/."""

from django.urls import URLPattern, path

from experts.apis import credentials as apis
from experts.views import credentials as views

urlpatterns: list[URLPattern] = [
    path(
        "applications/<int:application_id>/credentials/",
        views.credential_upload_view,
        name="credential-upload",
    ),
    path(
        "credentials/<int:credential_id>/document/",
        views.credential_document,
        name="credential-document",
    ),
    path(
        "staff/credentials/<int:credential_id>/", views.credential_review, name="credential-review"
    ),
    path(
        "staff/credentials/<int:credential_id>/verify/",
        views.credential_verify_view,
        name="credential-verify",
    ),
    path(
        "staff/credentials/<int:credential_id>/reject/",
        views.credential_reject_view,
        name="credential-reject",
    ),
]

api_urlpatterns: list[URLPattern] = [
    path("experts/credentials/", apis.CredentialListApi.as_view(), name="api-credential-list"),
    path(
        "experts/applications/<int:application_id>/credentials/",
        apis.CredentialUploadApi.as_view(),
        name="api-credential-upload",
    ),
    path(
        "experts/credentials/<int:credential_id>/document/",
        apis.CredentialDocumentApi.as_view(),
        name="api-credential-document",
    ),
    path(
        "staff/credentials/<int:credential_id>/verify/",
        apis.CredentialVerifyApi.as_view(),
        name="api-credential-verify",
    ),
    path(
        "staff/credentials/<int:credential_id>/reject/",
        apis.CredentialRejectApi.as_view(),
        name="api-credential-reject",
    ),
]
