from django.urls import path

from leaderboards import views

app_name = "leaderboards"

urlpatterns = [
    path("", views.leaderboard_index, name="index"),
    path("<slug:slug>/", views.leaderboard_detail, name="detail"),
]
