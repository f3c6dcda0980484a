from django.urls import URLPattern, path

from experts.apis import applicant as apis
from experts.views import applicant as views

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
]

api_urlpatterns: list[URLPattern] = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="api-token"),
    path("experts/profile/", apis.ProfileApi.as_view(), name="api-profile"),
    path("experts/applications/", apis.ApplicationListApi.as_view(), name="api-applications"),
    path(
        "experts/applications/<int:application_id>/",
        apis.ApplicationDetailApi.as_view(),
        name="api-application",
    ),
    path("experts/access/", apis.WorkAccessApi.as_view(), name="api-work-access"),
]
