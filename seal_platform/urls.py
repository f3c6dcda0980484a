from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from leaderboards.apis import LeaderboardDetailApi, LeaderboardListApi

api_patterns = [
    path("leaderboards/", LeaderboardListApi.as_view(), name="leaderboard-list"),
    path("leaderboards/<slug:slug>/", LeaderboardDetailApi.as_view(), name="leaderboard-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="leaderboards:index", permanent=False)),
    path("leaderboards/", include("leaderboards.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]
