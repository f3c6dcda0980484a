from django.urls import URLPattern, path

from experts.apis import staff as apis
from experts.views import staff as views

urlpatterns: list[URLPattern] = [
    path("staff/", views.queue, name="staff-queue"),
    path("staff/applications/<int:application_id>/", views.application, name="staff-application"),
    path(
        "staff/applications/<int:application_id>/claim/",
        views.application_claim,
        name="staff-application-claim",
    ),
    path(
        "staff/applications/<int:application_id>/approve/",
        views.application_approve,
        name="staff-application-approve",
    ),
    path(
        "staff/applications/<int:application_id>/reject/",
        views.application_reject_view,
        name="staff-application-reject",
    ),
    path("staff/approvals/", views.approvals, name="staff-approvals"),
    path(
        "staff/approvals/<int:approval_id>/<slug:action>/",
        views.approval_change,
        name="staff-approval-change",
    ),
    path("staff/audit/", views.audit, name="staff-audit"),
]

api_urlpatterns: list[URLPattern] = [
    path("staff/applications/", apis.QueueApi.as_view(), name="api-staff-queue"),
    path(
        "staff/applications/<int:application_id>/",
        apis.StaffApplicationApi.as_view(),
        name="api-staff-application",
    ),
    path(
        "staff/applications/<int:application_id>/claim/",
        apis.ApplicationClaimApi.as_view(),
        name="api-staff-application-claim",
    ),
    path(
        "staff/applications/<int:application_id>/approve/",
        apis.ApplicationApproveApi.as_view(),
        name="api-staff-application-approve",
    ),
    path(
        "staff/applications/<int:application_id>/reject/",
        apis.ApplicationRejectApi.as_view(),
        name="api-staff-application-reject",
    ),
    path("staff/approvals/", apis.ApprovalListApi.as_view(), name="api-staff-approvals"),
    path(
        "staff/approvals/<int:approval_id>/<slug:action>/",
        apis.ApprovalChangeApi.as_view(),
        name="api-staff-approval-change",
    ),
    path("staff/audit/", apis.AuditListApi.as_view(), name="api-staff-audit"),
]
