"""The public leaderboard API, included under /api/ by the project's URLconf."""

from django.urls import URLPattern, path

from leaderboards import apis

urlpatterns: list[URLPattern] = [
    path("leaderboards/", apis.LeaderboardListApi.as_view(), name="leaderboard-list"),
    path(
        "leaderboards/<slug:slug>/", apis.LeaderboardDetailApi.as_view(), name="leaderboard-detail"
    ),
    path(
        "leaderboards/<slug:slug>/snapshots/",
        apis.SnapshotListApi.as_view(),
        name="leaderboard-snapshots",
    ),
    path(
        "leaderboards/<slug:slug>/snapshots/<int:version>/",
        apis.SnapshotDetailApi.as_view(),
        name="leaderboard-snapshot",
    ),
    path(
        "leaderboards/<slug:slug>/snapshots/<int:version>/export.json",
        apis.SnapshotExportJsonApi.as_view(),
        name="leaderboard-snapshot-json",
    ),
    path(
        "leaderboards/<slug:slug>/snapshots/<int:version>/export.csv",
        apis.SnapshotExportCsvApi.as_view(),
        name="leaderboard-snapshot-csv",
    ),
]
