from django.urls import path

from . import views

urlpatterns = [
    path("convenant/", views.covenant_view, name="covenant"),
    path("beheer/gebruikers/", views.user_list, name="user_list"),
    path("beheer/gebruikers/nieuw/", views.user_create, name="user_create"),
    path("beheer/gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
    path("beheer/gebruikers/<int:pk>/actief/", views.user_set_active, name="user_set_active"),
    path(
        "beheer/gebruikers/<int:pk>/tweede-factor/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("beheer/organisaties/", views.organisation_list, name="organisation_list"),
    path("beheer/organisaties/nieuw/", views.organisation_edit, name="organisation_create"),
    path("beheer/organisaties/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path(
        "beheer/organisaties/<int:pk>/convenant/",
        views.organisation_covenant,
        name="organisation_covenant",
    ),
    path("beheer/convenant/nieuw/", views.covenant_edit, name="covenant_create"),
    path("beheer/convenant/<int:pk>/", views.covenant_edit, name="covenant_edit"),
]
