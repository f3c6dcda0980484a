"""Credential API: upload and list for applicants, the document download, staff decisions."""

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.credential_files import CredentialTooLarge
from experts.models import Credential, CredentialKind
from experts.permissions import IsStaffMember
from experts.selectors.application import application_get_for_applicant
from experts.selectors.credential import (
    credential_get_for_download,
    credential_get_for_staff,
    credential_list_for_application,
)
from experts.services.credential import (
    ISSUER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    credential_reject,
    credential_upload,
    credential_verify,
)
from experts.upload_handlers import upload_was_too_large
from experts.views.credentials import credential_document_response


class CredentialSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    application_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CredentialKind.choices)
    title = serializers.CharField()
    issuer = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    status = serializers.CharField()
    review_reason = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    uploaded_at = serializers.DateTimeField()
    document_url = serializers.SerializerMethodField()

    def get_document_url(self, credential: Credential) -> str:
        return reverse("api-credential-document", kwargs={"credential_id": credential.pk})


class IgnoreAcceptHeader(DefaultContentNegotiation):
    """Pick the view's first renderer and ignore the Accept header.

    The document download answers with the file's own type, so a client that sends
    `Accept: application/pdf` must not get 406. Errors are still rendered as JSON.
    """

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class CredentialUploadApi(APIView):
    """Upload a document to one of your own submitted applications (multipart/form-data).

    The document must be a PDF, PNG or JPEG of at most CREDENTIAL_MAX_BYTES; the type is
    detected from its bytes. A larger body is rejected while it streams, with 413.
    """

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        kind = serializers.ChoiceField(choices=CredentialKind.choices)
        title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
        issuer = serializers.CharField(
            max_length=ISSUER_MAX_LENGTH, required=False, allow_blank=True, default=""
        )
        document = serializers.FileField(allow_empty_file=True)

    class OutputSerializer(CredentialSerializer):
        class Meta:
            ref_name = "CredentialUploaded"

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={201: OutputSerializer},
    )
    def post(self, request: Request, application_id: int) -> Response:
        application = application_get_for_applicant(
            user=request.user, application_id=application_id
        )
        request.FILES  # noqa: B018 (parses the body, which runs the size-limit upload handler)
        if upload_was_too_large(request):
            raise CredentialTooLarge()

        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = credential_upload(
            application=application,
            uploaded_file=data.validated_data["document"],
            kind=data.validated_data["kind"],
            title=data.validated_data["title"],
            issuer=data.validated_data["issuer"],
            actor=request.user,
        )
        return Response(self.OutputSerializer(credential).data, status=status.HTTP_201_CREATED)


class CredentialListApi(APIView):
    """List an application's credentials, for its applicant or its assigned staff member."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        application = serializers.IntegerField(min_value=1)

    class OutputSerializer(CredentialSerializer):
        class Meta:
            ref_name = "CredentialListItem"

    @extend_schema(
        parameters=[OpenApiParameter("application", int, required=True)],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        credentials = credential_list_for_application(
            user=request.user, application_id=query.validated_data["application"]
        )
        return Response(self.OutputSerializer(credentials, many=True).data)


class CredentialDocumentApi(APIView):
    """Download a credential's document, as an attachment of its detected type.

    Only the owner and the staff member assigned to the application (or a superuser) may;
    anyone else gets 404, whether the credential exists or not.
    """

    permission_classes = [IsAuthenticated]
    content_negotiation_class = IgnoreAcceptHeader

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not found, or not yours to open."),
        }
    )
    def get(self, request: Request, credential_id: int) -> FileResponse:
        credential = credential_get_for_download(user=request.user, credential_id=credential_id)
        return credential_document_response(credential)


class CredentialReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )


class CredentialVerifyApi(APIView):
    """Verify a pending credential. Only the staff member assigned to the application may."""

    permission_classes = [IsAuthenticated, IsStaffMember]

    class InputSerializer(CredentialReasonSerializer):
        class Meta:
            ref_name = "CredentialVerifyInput"

    class OutputSerializer(CredentialSerializer):
        class Meta:
            ref_name = "CredentialVerified"

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, credential_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = credential_get_for_staff(user=request.user, credential_id=credential_id)
        credential = credential_verify(
            credential=credential,
            staff_user=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(self.OutputSerializer(credential).data)


class CredentialRejectApi(APIView):
    """Reject a pending credential with a reason, which is shown to the applicant.

    Only the staff member assigned to the application may. An empty reason fails with
    `credential_reason_required`.
    """

    permission_classes = [IsAuthenticated, IsStaffMember]

    class InputSerializer(CredentialReasonSerializer):
        class Meta:
            ref_name = "CredentialRejectInput"

    class OutputSerializer(CredentialSerializer):
        class Meta:
            ref_name = "CredentialRejected"

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, credential_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = credential_get_for_staff(user=request.user, credential_id=credential_id)
        credential = credential_reject(
            credential=credential,
            staff_user=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(self.OutputSerializer(credential).data)
