from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from annotation import urls as annotation_urls

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("leaderboards.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("experts.urls.api")),
    path("", include((annotation_urls.api_urlpatterns, "annotation-api"))),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="leaderboards:index", permanent=False)),
    path("leaderboards/", include("leaderboards.urls")),
    path("accounts/", include("experts.urls.accounts")),
    path("experts/", include("experts.urls")),
    path("work/", include("annotation.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]
