from django.urls import path

from . import views

urlpatterns = [
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/export.csv", views.monitoring_export, name="monitoring_export"),
    path("monitoring/rapport.pdf", views.report_pdf, name="monitoring_report_pdf"),
    path("monitoring/rapport/<slug:code>.csv", views.report_csv, name="monitoring_report_csv"),
    path("monitoring/opnieuw-berekenen/", views.refresh, name="monitoring_refresh"),
    path("monitoring/teksten/", views.report_texts, name="monitoring_texts"),
    path("monitoring/preventie/", views.prevention, name="prevention"),
]
