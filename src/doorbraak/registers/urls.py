from django.urls import path

from . import views

urlpatterns = [
    path("panden/", views.premises_list, name="premises_list"),
    path("panden/<int:pk>/", views.premises_detail, name="premises_detail"),
    path("bedrijven/", views.company_list, name="company_list"),
    path("bedrijven/<int:pk>/", views.company_detail, name="company_detail"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/onthullen/", views.person_reveal, name="person_reveal"),
    path("bronnen/", views.source_list, name="source_list"),
    path("bronnen/importen/", views.import_list, name="import_list"),
    path("bronnen/importen/<int:pk>/", views.import_detail, name="import_detail"),
]
