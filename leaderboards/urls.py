from django.urls import path

from leaderboards import views, views_staff

app_name = "leaderboards"

# NOTE: the staff pages live under "staff/", listed before the domain pages, so a domain
# with the slug "staff" would have no public page.
urlpatterns = [
    path("", views.leaderboard_index, name="index"),
    path("staff/", views_staff.staff_index, name="staff-index"),
    path("staff/fits/<int:fit_id>/", views_staff.staff_fit_detail, name="staff-fit"),
    path(
        "staff/fits/<int:fit_id>/publish/", views_staff.staff_fit_publish, name="staff-fit-publish"
    ),
    path(
        "staff/fits/<int:fit_id>/charts/<slug:kind>.svg",
        views_staff.staff_fit_chart,
        name="staff-fit-chart",
    ),
    path("staff/<slug:slug>/fits/", views_staff.staff_fit_list, name="staff-fits"),
    path("staff/<slug:slug>/snapshots/", views_staff.staff_snapshot_list, name="staff-snapshots"),
    path("<slug:slug>/", views.leaderboard_detail, name="detail"),
    path("<slug:slug>/versions/<int:version>/", views.snapshot_detail, name="snapshot"),
    path(
        "<slug:slug>/versions/<int:version>/charts/<slug:kind>.svg",
        views.snapshot_chart,
        name="snapshot-chart",
    ),
]
