from django.urls import path

from . import views

urlpatterns = [
    path("risico/", views.picture, name="risk_picture"),
    path("risico/kaart.json", views.map_data, name="risk_map_data"),
    path("risico/export.csv", views.export_csv, name="risk_export_csv"),
    path("risico/export.pdf", views.export_pdf, name="risk_export_pdf"),
    path("risico/eerlijkheid/", views.fairness, name="risk_fairness"),
    path("risico/panden/<str:bag_id>/", views.premises_page, name="risk_premises"),
    path("risico/bedrijven/<str:kvk>/", views.company_page, name="risk_company"),
    path("risico/runs/", views.run_list, name="risk_runs"),
    path("risico/runs/starten/", views.run_start, name="risk_run_start"),
    path("risico/runs/<int:pk>/", views.run_detail, name="risk_run"),
    path("risico/regelsets/", views.rule_set_list, name="risk_rule_sets"),
    path("risico/regelsets/nieuw/", views.rule_set_upload, name="risk_rule_set_upload"),
    path("risico/regelsets/<int:pk>/", views.rule_set_detail, name="risk_rule_set"),
    path(
        "risico/regelsets/<int:pk>/vaststellen/", views.rule_set_adopt, name="risk_rule_set_adopt"
    ),
    path("risico/algoritmeregister/", views.algorithm_register, name="risk_algorithm_register"),
    path(
        "risico/algoritmeregister.json",
        views.algorithm_register_json,
        name="risk_algorithm_register_json",
    ),
]
