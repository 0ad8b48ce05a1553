from django.urls import path

from . import views

urlpatterns = [
    path("verwerkingsregister/", views.processing_register, name="processing_register"),
    path("privacy/bewaartermijnen/", views.retention_view, name="retention"),
    path("privacy/inzage/", views.subject_access_search, name="subject_access"),
    path(
        "privacy/inzage/<int:pk>/export/", views.subject_access_export, name="subject_access_export"
    ),
]
