"""Qualification test routes: pages under /experts/, API under /api/."""

from django.urls import URLPattern, path

from experts.apis import qualification as apis
from experts.views import qualification as views

urlpatterns: list[URLPattern] = [
    path(
        "applications/<int:application_id>/qualification/",
        views.qualification_start,
        name="qualification-start",
    ),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/answers/", views.attempt_answers, name="attempt-answers"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit_view, name="attempt-submit"),
    path(
        "staff/applications/<int:application_id>/extra-attempt/",
        views.extra_attempt,
        name="staff-extra-attempt",
    ),
]

api_urlpatterns: list[URLPattern] = [
    path(
        "experts/applications/<int:application_id>/attempts/",
        apis.AttemptStartApi.as_view(),
        name="api-attempt-start",
    ),
    path("experts/attempts/<int:attempt_id>/", apis.AttemptDetailApi.as_view(), name="api-attempt"),
    path(
        "experts/attempts/<int:attempt_id>/answers/",
        apis.AttemptAnswersApi.as_view(),
        name="api-attempt-answers",
    ),
    path(
        "experts/attempts/<int:attempt_id>/submit/",
        apis.AttemptSubmitApi.as_view(),
        name="api-attempt-submit",
    ),
    path(
        "staff/applications/<int:application_id>/extra-attempt/",
        apis.ExtraAttemptGrantApi.as_view(),
        name="api-staff-extra-attempt",
    ),
]
