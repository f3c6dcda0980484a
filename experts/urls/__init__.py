"""Pages of the experts app, one module per area; `experts.urls.api` has the API routes."""

from experts.urls import applicant, credentials, qualification, staff

app_name = "experts"

urlpatterns = [
    *applicant.urlpatterns,
    *credentials.urlpatterns,
    *qualification.urlpatterns,
    *staff.urlpatterns,
]
