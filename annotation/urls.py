from django.urls import URLPattern, path

from annotation import apis, apis_quality, apis_review
from annotation.views import prompts, quality, review, staff, staff_review, work

app_name = "annotation"

urlpatterns: list[URLPattern] = [
    path("", work.work_index, name="index"),
    path("domains/<slug:slug>/next/", work.work_next, name="next"),
    path("tasks/<int:assignment_id>/", work.task, name="task"),
    path("tasks/<int:assignment_id>/submit/", work.task_submit, name="task-submit"),
    path("tasks/<int:assignment_id>/skip/", work.task_skip, name="task-skip"),
    path("staff/batches/", staff.batch_list, name="staff-batches"),
    path("staff/batches/new/", staff.batch_new, name="staff-batch-new"),
    path("staff/quality/", quality.quality_index, name="staff-quality"),
    path(
        "staff/quality/batches/<int:batch_id>/agreement/",
        quality.quality_batch_agreement,
        name="staff-quality-batch-agreement",
    ),
    path(
        "staff/quality/batches/<int:batch_id>/judgments.csv",
        quality.quality_batch_export,
        name="staff-quality-batch-export",
    ),
    path("staff/quality/<slug:slug>/", quality.quality_domain, name="staff-quality-domain"),
    path(
        "staff/quality/<slug:slug>/judgments.csv",
        quality.quality_domain_export,
        name="staff-quality-domain-export",
    ),
    path(
        "staff/batches/<int:batch_id>/close/",
        staff_review.batch_close_view,
        name="staff-batch-close",
    ),
    path(
        "staff/review-rounds/<slug:slug>/",
        staff_review.review_rounds_edit,
        name="staff-review-rounds",
    ),
    path("review/", review.review_index, name="review-index"),
    path("prompts/", prompts.my_prompts, name="prompts"),
    path("prompts/<int:prompt_id>/", prompts.prompt_detail, name="prompt"),
    path(
        "review/prompts/domains/<slug:slug>/next/",
        prompts.prompt_review_take,
        name="prompt-review-take",
    ),
    path("review/prompts/<int:review_id>/", prompts.prompt_review, name="prompt-review"),
    path("review/domains/<slug:slug>/next/", review.review_take, name="review-take"),
    path("review/tasks/<int:task_id>/", review.review_task, name="review-task"),
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
    path(
        "staff/quality/<slug:slug>/experts/",
        apis_quality.ExpertQualityListApi.as_view(),
        name="api-staff-quality-experts",
    ),
    path(
        "staff/quality/batches/<int:batch_id>/agreement/",
        apis_quality.BatchAgreementApi.as_view(),
        name="api-staff-quality-batch-agreement",
    ),
    path("review/<slug:slug>/next/", apis_review.ReviewNextApi.as_view(), name="api-review-next"),
    path(
        "review/tasks/<int:task_id>/", apis_review.ReviewTaskApi.as_view(), name="api-review-task"
    ),
    path(
        "review/tasks/<int:task_id>/decision/",
        apis_review.ReviewDecideApi.as_view(),
        name="api-review-decide",
    ),
]
