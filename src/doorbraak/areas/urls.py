from django.urls import path

from . import views

urlpatterns = [
    path("beheer/gebieden/", views.area_list, name="area_list"),
    path("beheer/gebieden/nieuw/", views.focus_area_edit, name="focus_area_create"),
    path("beheer/gebieden/<int:pk>/", views.focus_area_edit, name="focus_area_edit"),
]
