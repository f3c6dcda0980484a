"""API routes of the experts app, mounted under /api/."""

from experts.urls import applicant, credentials, qualification, staff

urlpatterns = [
    *applicant.api_urlpatterns,
    *credentials.api_urlpatterns,
    *qualification.api_urlpatterns,
    *staff.api_urlpatterns,
]
