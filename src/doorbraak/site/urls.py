"""Every URL of the application, composed from the apps' ``urls.py`` (pages) and ``api.py``
(the API under /api/v1/). The paths and names are contracts: tests/test_url_names.py keeps them."""

from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (language switch via set_language)
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from doorbraak.api.docs import ApiDocsView
from doorbraak.api.schema import PublicSchemaView
from doorbraak.moneyflows import views as moneyflow_views
from doorbraak.web import assets, auth

from . import home

api_v1 = [
    path("", include("doorbraak.partners.api")),
    path("", include("doorbraak.careers.api")),
    path("", include("doorbraak.registers.api")),
    path("", include("doorbraak.privacy.api")),
    path("", include("doorbraak.audit.api")),
    path("", include("doorbraak.monitoring.api")),
    path("", include("doorbraak.jobs.api")),
    path("", include("doorbraak.enforcement.api")),
    path("", include("doorbraak.risk.api")),
]

urlpatterns = [
    path("inloggen/", auth.login_view, name="login"),
    path("uitloggen/", auth.logout_view, name="logout"),
    path("tweede-factor/instellen/", auth.otp_setup, name="otp_setup"),
    path("tweede-factor/reservecodes/", auth.backup_codes, name="otp_backup_codes"),
    path("tweede-factor/controleren/", auth.otp_verify, name="otp_verify"),
    path("", include("doorbraak.sso.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", assets.favicon, name="favicon"),
    path("", home.home, name="home"),
    path("", include("doorbraak.careers.urls")),
    path("", include("doorbraak.registers.urls")),
    path("", include("doorbraak.entities.urls")),
    path("", include("doorbraak.jobs.urls")),
    path("geldstromen/sectoren/", moneyflow_views.sector_view, name="sector_view"),
    path("", include("doorbraak.monitoring.urls")),
    path("", include("doorbraak.privacy.urls")),
    path("", include("doorbraak.audit.urls")),
    path("", include("doorbraak.partners.urls")),
    path("", include("doorbraak.areas.urls")),
    path("", include("doorbraak.enforcement.urls")),
    path("", include("doorbraak.risk.urls")),
    path("django-admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api_docs"),
    path("api/v1/openapi.json", PublicSchemaView.as_view(), name="api_openapi"),
    path("api/v1/", include(api_v1)),
]

handler403 = "doorbraak.site.errors.error_403"
handler404 = "doorbraak.site.errors.error_404"
handler500 = "doorbraak.site.errors.error_500"
