from django.urls import path

from . import health, views

urlpatterns = [
    path("taken/", views.job_list, name="job_list"),
    path("taken/<int:pk>/", views.job_detail, name="job_detail"),
    path("taken/<int:pk>/resultaat/", views.job_result, name="job_result"),
    path("gezondheid/", health.health, name="health"),
    path("health/", health.health, name="health_en"),
]
