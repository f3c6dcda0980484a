"""API for applicants and experts: token, profile, applications, and the access check."""

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.models import Domain
from experts.selectors.application import (
    application_get_for_applicant,
    application_list_for_applicant,
)
from experts.selectors.domain import domain_get_by_slug
from experts.services.access import WorkKind, work_access
from experts.services.account import profile_get_or_create, profile_update
from experts.services.application import application_submit
from seal_platform.errors import SealError


class InvalidLogin(SealError):
    code = "login_invalid"
    status_code = 400


class TokenObtainApi(APIView):
    """Exchange a username and password for an API token.

    Goes through Django's authenticate(), so django-axes counts failures and locks the
    account after too many, exactly as for the login page.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    class InputSerializer(serializers.Serializer[Any]):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    class OutputSerializer(serializers.Serializer[Any]):
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise InvalidLogin("The username or password is wrong. Check both and try again.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response(self.OutputSerializer({"token": token.key}).data)


class ProfileSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField(max_length=200)
    degrees = serializers.CharField(allow_blank=True, required=False, default="")
    employment = serializers.CharField(allow_blank=True, required=False, default="")
    languages = serializers.CharField(allow_blank=True, required=False, default="", max_length=300)
    years_of_practice = serializers.IntegerField(min_value=0, max_value=80)


class ProfileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(profile_get_or_create(user=request.user)).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def put(self, request: Request) -> Response:
        data = ProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = profile_update(user=request.user, **data.validated_data)
        return Response(ProfileSerializer(profile).data)


class ApplicationOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    domain = serializers.CharField(source="domain.slug")
    status = serializers.CharField()
    statement = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ApplicationListApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        domains = serializers.ListField(child=serializers.SlugField(), min_length=1)
        statement = serializers.CharField()

    @extend_schema(responses=ApplicationOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        applications = application_list_for_applicant(user=request.user)
        return Response(ApplicationOutputSerializer(applications, many=True).data)

    @extend_schema(request=InputSerializer, responses=ApplicationOutputSerializer(many=True))
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        domains: list[Domain] = [
            domain_get_by_slug(slug=slug) for slug in data.validated_data["domains"]
        ]
        created = application_submit(
            user=request.user, domains=domains, statement=data.validated_data["statement"]
        )
        return Response(
            ApplicationOutputSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationOutputSerializer)
    def get(self, request: Request, application_id: int) -> Response:
        application = application_get_for_applicant(
            user=request.user, application_id=application_id
        )
        return Response(ApplicationOutputSerializer(application).data)


class WorkAccessApi(APIView):
    """Whether the requesting user may do a kind of work in a domain now, and why not."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        domain = serializers.CharField()
        kind = serializers.CharField()
        allowed = serializers.BooleanField()
        reason = serializers.CharField(allow_blank=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("domain", str, required=True),
            OpenApiParameter("kind", str, enum=[kind.value for kind in WorkKind], required=True),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        kind_value = request.query_params.get("kind", "")
        if kind_value not in WorkKind.__members__.values():
            known = ", ".join(kind.value for kind in WorkKind)
            raise serializers.ValidationError(
                {"kind": [f"Use one of {known}, not {kind_value!r}."]}
            )
        domain = domain_get_by_slug(slug=request.query_params.get("domain", ""))
        access = work_access(user=request.user, domain=domain, kind=WorkKind(kind_value))
        payload = {
            "domain": domain.slug,
            "kind": kind_value,
            "allowed": access.allowed,
            "reason": access.reason,
        }
        return Response(self.OutputSerializer(payload).data)
