from django.urls import include, path

from . import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("organisations/", views.OrganisationList.as_view(), name="api_organisations"),
    path("cases/", views.CaseList.as_view(), name="api_cases"),
    path("cases/<int:pk>/", views.CaseDetail.as_view(), name="api_case"),
    path("cases/<int:pk>/records/", views.CaseRecordCreate.as_view(), name="api_case_records"),
    path("premises/", views.PremisesList.as_view(), name="api_premises"),
    path("premises/<int:pk>/", views.PremisesDetail.as_view(), name="api_premises_detail"),
    path("companies/", views.CompanyList.as_view(), name="api_companies"),
    path("companies/<int:pk>/", views.CompanyDetail.as_view(), name="api_company"),
    path("persons/<int:pk>/", views.PersonDetail.as_view(), name="api_person"),
    path(
        "processing-activities/",
        views.ProcessingActivityList.as_view(),
        name="api_processing_activities",
    ),
    path("audit-entries/", views.AuditEntryList.as_view(), name="api_audit_entries"),
    path("audit-entries/verify/", views.AuditChainVerify.as_view(), name="api_audit_verify"),
    path("monitoring/", views.MonitoringView.as_view(), name="api_monitoring"),
    path("", include("doorbraak.careers.api")),
    path("", include("doorbraak.jobs.api")),
]
