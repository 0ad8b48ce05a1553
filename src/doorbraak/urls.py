from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (language switch via set_language)
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from doorbraak.api.docs import ApiDocsView
from doorbraak.moneyflows import views as moneyflow_views
from doorbraak.registers import views as register_views
from doorbraak.web import assets, auth, views

urlpatterns = [
    path("inloggen/", auth.login_view, name="login"),
    path("uitloggen/", auth.logout_view, name="logout"),
    path("tweede-factor/instellen/", auth.otp_setup, name="otp_setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", assets.favicon, name="favicon"),
    path("", views.home, name="home"),
    path("", include("doorbraak.careers.urls")),
    path("panden/", views.premises_list, name="premises_list"),
    path("panden/<int:pk>/", views.premises_detail, name="premises_detail"),
    path("bedrijven/", views.company_list, name="company_list"),
    path("bedrijven/<int:pk>/", views.company_detail, name="company_detail"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/onthullen/", views.person_reveal, name="person_reveal"),
    path("bronnen/", register_views.source_list, name="source_list"),
    path("bronnen/importen/", register_views.import_list, name="import_list"),
    path("bronnen/importen/<int:pk>/", register_views.import_detail, name="import_detail"),
    path("", include("doorbraak.entities.urls")),
    path("", include("doorbraak.jobs.urls")),
    path("geldstromen/sectoren/", moneyflow_views.sector_view, name="sector_view"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/export.csv", views.monitoring_export, name="monitoring_export"),
    path("verwerkingsregister/", views.processing_register, name="processing_register"),
    path("convenant/", views.covenant_view, name="covenant"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/controle/", views.audit_verify, name="audit_verify"),
    path("privacy/bewaartermijnen/", views.retention_view, name="retention"),
    path("privacy/inzage/", views.subject_access_search, name="subject_access"),
    path(
        "privacy/inzage/<int:pk>/export/", views.subject_access_export, name="subject_access_export"
    ),
    path("", include("doorbraak.partners.urls")),
    path("django-admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api_docs"),
    path("api/v1/", include("doorbraak.api.urls")),
]

handler403 = "doorbraak.web.views.error_403"
handler404 = "doorbraak.web.views.error_404"
handler500 = "doorbraak.web.views.error_500"
