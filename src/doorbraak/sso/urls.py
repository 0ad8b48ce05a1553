from django.urls import path

from . import views

urlpatterns = [
    path("sso/inloggen/", views.SsoStart.as_view(), name="sso_start"),
    path("sso/terug/", views.SsoCallback.as_view(), name="oidc_authentication_callback"),
]
