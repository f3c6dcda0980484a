from django.urls import URLPattern, path

from annotation import apis
from annotation.views import staff, work

app_name = "annotation"

urlpatterns: list[URLPattern] = [
    path("", work.work_index, name="index"),
    path("domains/<slug:slug>/next/", work.work_next, name="next"),
    path("tasks/<int:assignment_id>/", work.task, name="task"),
    path("tasks/<int:assignment_id>/submit/", work.task_submit, name="task-submit"),
    path("tasks/<int:assignment_id>/skip/", work.task_skip, name="task-skip"),
    path("staff/batches/", staff.batch_list, name="staff-batches"),
    path("staff/batches/new/", staff.batch_new, name="staff-batch-new"),
]

api_urlpatterns: list[URLPattern] = [
    path("work/<slug:slug>/next/", apis.TaskNextApi.as_view(), name="api-task-next"),
    path("work/tasks/<int:assignment_id>/", apis.TaskDetailApi.as_view(), name="api-task"),
    path(
        "work/tasks/<int:assignment_id>/judgment/",
        apis.JudgmentSubmitApi.as_view(),
        name="api-judgment-submit",
    ),
    path("work/tasks/<int:assignment_id>/skip/", apis.TaskSkipApi.as_view(), name="api-task-skip"),
    path("staff/batches/", apis.BatchListApi.as_view(), name="api-staff-batches"),
]
